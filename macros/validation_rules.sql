{#-
    The validation rules for customer values, in one place. The README's "What gets rejected"
    section documents the same ranges.
-#}

{#- Accepted range and unit of each numeric customer column. -#}
{% macro numeric_column_rules() -%}
    {{ return({
        'age': {'label': 'age', 'min': 0, 'max': 120, 'whole': true},
        'annual_income': {'label': 'annual income (k$)', 'min': 0, 'max': 10000, 'whole': false},
        'spending_score': {'label': 'spending score', 'min': 0, 'max': 100, 'whole': false},
    }) }}
{%- endmacro %}


{#- The value as a finite double, or null when it is blank or not a number. -#}
{% macro parse_number(raw) -%}
    case
        when isfinite(try_cast(trim({{ raw }}) as double))
            then try_cast(trim({{ raw }}) as double)
    end
{%- endmacro %}


{#-
    Why a numeric value cannot be used, or null when it can. A blank value is only a problem
    for a feature column: other columns are informational and may be empty.
-#}
{% macro numeric_rejection_reason(name, is_feature) -%}
    {%- set rule = numeric_column_rules()[name] -%}
    {%- set raw = 'raw_' ~ name -%}
    {%- set number = name ~ '_number' -%}
    case
        when nullif(trim({{ raw }}), '') is null
            then {{ "'missing " ~ rule.label ~ " (a feature column)'" if is_feature else 'null' }}
        when {{ number }} is null
            then '{{ rule.label }} ''' || {{ raw }} || ''' is not a number'
        when {{ number }} < {{ rule.min }} or {{ number }} > {{ rule.max }}
            then '{{ rule.label }} ' || {{ raw }} || ' is outside {{ rule.min }} to {{ rule.max }}'
        {%- if rule.whole %}
        when {{ number }} <> round({{ number }})
            then '{{ rule.label }} ' || {{ raw }} || ' is not a whole number'
        {%- endif %}
    end
{%- endmacro %}


{#- Male / Female / Other / Unknown from the many spellings files use. -#}
{% macro normalize_gender(raw) -%}
    case
        when lower(trim({{ raw }})) in ('male', 'm', 'man') then 'Male'
        when lower(trim({{ raw }})) in ('female', 'f', 'woman') then 'Female'
        when lower(trim({{ raw }})) in ('other', 'non-binary', 'nonbinary', 'diverse', 'x')
            then 'Other'
        else 'Unknown'
    end
{%- endmacro %}


{#-
    Values as read are kept for the rejections mart, which restores them for the rejected rows
    only. They are stored only where the typed value does not already say them: writing ten
    million strings that repeat the numbers beside them (and a values hash) was about a
    quarter of the time it took to store the file. typed_value_text() is the text a typed
    value stands for; it is null whenever the value as read is null, so a stored null always
    means "the same as the typed value's text" and restored_raw_value() gives back exactly
    what was read.
-#}
{% macro typed_value_text(name) -%}
    {%- if name == 'customer_id' -%}
        customer_id
    {%- elif name == 'gender' -%}
        nullif(gender, 'Unknown')
    {%- else -%}
        {#- whole numbers as integers ('56', not '56.0'), as most files write them -#}
        case
            when {{ name }} = round({{ name }}) and abs({{ name }}) < 1e15
                then cast(cast({{ name }} as bigint) as varchar)
            else cast({{ name }} as varchar)
        end
    {%- endif -%}
{%- endmacro %}


{#- raw_<name>_if_different: the value as read when it is not typed_value_text(name), else null. -#}
{% macro raw_value_if_different(name) -%}
    case when raw_{{ name }} is distinct from {{ typed_value_text(name) }} then raw_{{ name }} end
{%- endmacro %}


{#- The value exactly as read, from raw_<name>_if_different and the typed value. -#}
{% macro restored_raw_value(name) -%}
    coalesce(raw_{{ name }}_if_different, {{ typed_value_text(name) }})
{%- endmacro %}


{#- Plain words for why DuckDB could not parse a CSV line (its reject_errors error types). -#}
{% macro unreadable_line_problem(error_type, error_message) -%}
    case {{ error_type }}
        when 'MISSING COLUMNS' then 'it has '
            || regexp_extract({{ error_message }}, 'Found: (\d+)', 1)
            || ' field(s), the header has '
            || regexp_extract({{ error_message }}, 'Columns: (\d+)', 1)
        when 'TOO MANY COLUMNS' then 'it has '
            || regexp_extract({{ error_message }}, 'Found: (\d+)', 1)
            || ' field(s), the header has '
            || regexp_extract({{ error_message }}, 'Columns: (\d+)', 1)
            || '; is a value with the delimiter in it not quoted?'
        when 'UNQUOTED VALUE' then 'a quoted value is not closed properly'
        when 'LINE SIZE OVER MAXIMUM' then 'the line is longer than DuckDB reads'
        when 'INVALID ENCODING' then 'it has bytes that are not valid text in the file encoding'
        else lower({{ error_type }}) || ': ' || {{ error_message }}
    end
{%- endmacro %}


{#-
    The customers K-means needs, checked in SQL so the user gets a message instead of a Python
    traceback: at least k + 1 valid customers (k, or k_min when k is searched; silhouette needs
    fewer segments than customers) and no feature with the same value for everyone.
    It reads the columns of valid_customer_summary(): valid_count, input_count,
    first_rejection and, per feature, <feature>_min and <feature>_max. Returns an expression that raises the error, else null.
-#}
{% macro segmentation_readiness_error(input_label) -%}
    {%- set ks = k_settings() -%}
    {%- set needed = ks.k if ks.k is not none else ks.k_min -%}
    {%- set k_var = 'k' if ks.k is not none else 'k_min' -%}
    case
        when input_count = 0 then error(
            'The customer file {{ input_label | replace("'", "''") }} has no data rows '
            || '(only a header, or nothing). Export it again with one line per customer.')
        when valid_count < {{ needed + 1 }} then error(
            'Only ' || valid_count || ' of ' || input_count || ' input rows are usable customers, '
            || 'too few for {{ k_var }} = {{ needed }}: K-means needs at least {{ needed + 1 }}. '
            || coalesce('The first rejected row is data row ' || first_rejection || '. ', '')
            || 'Fix the rejected rows (column rejection_reason of intermediate.int_customer_rows) '
            || 'or lower var ''{{ k_var }}'' (2 at least).')
        {%- for feature in segment_features() %}
        when {{ feature }}_min = {{ feature }}_max then error(
            'Feature ''{{ feature }}'' has the same value (' || {{ feature }}_min || ') for every '
            || 'valid customer, so it cannot separate segments. Remove it from var ''features'', '
            || 'e.g. --vars ''{features: [{{ (segment_features() | reject('equalto', feature) | list
                or allowed_features() | reject('equalto', feature) | list) | join(', ') }}]}'''
            || ', or check the file.')
        {%- endfor %}
    end
{%- endmacro %}


{#-
    One pass over int_customer_rows-shaped rows: what segmentation_readiness_error() reads, and
    each feature's mean and population standard deviation over the valid customers (the
    z-score parameters, as scikit-learn's StandardScaler computes them). The sums are exact
    (decimals with 8 places), so the same customers give the same parameters to the last
    digit: avg() and stddev_pop() of doubles add in the order DuckDB's threads finish, and
    their last digits changed from one build to the next (then so could a K-means fit).
-#}
{% macro valid_customer_summary(customers) -%}
    select
        *,
        {%- for feature in segment_features() %}
        {{ feature }}_sum / valid_count as {{ feature }}_mean,
        -- E[x^2] - E[x]^2 from exact sums
        sqrt(greatest(
            {{ feature }}_squares_sum / valid_count - ({{ feature }}_sum / valid_count) ** 2, 0
        )) as {{ feature }}_stddev,
        {%- endfor %}
    from (
        select
            count(*) as input_count,
            count(*) filter (where rejection_reason is null) as valid_count,
            min(source_row_number) filter (where rejection_reason is not null)
                || ' (' || arg_min(rejection_reason, source_row_number)
                    filter (where rejection_reason is not null) || ')' as first_rejection,
            {%- for feature in segment_features() %}
            min({{ feature }}) filter (where rejection_reason is null) as {{ feature }}_min,
            max({{ feature }}) filter (where rejection_reason is null) as {{ feature }}_max,
            sum({{ feature }}_exact) as {{ feature }}_sum,
            sum({{ feature }}_exact * {{ feature }}_exact) as {{ feature }}_squares_sum,
            {%- endfor %}
        from (
            select
                *,
                {%- for feature in segment_features() %}
                -- valid customers only: their range checks keep x under 10^4 and the sums
                -- inside decimal(38, 8); a rejected row may hold any number
                case when rejection_reason is null then {{ feature }}::decimal(38, 8) end
                    as {{ feature }}_exact,
                {%- endfor %}
            from {{ customers }}
        ) as customers
    ) as sums
{%- endmacro %}


{#-
    Fails (with the message of segmentation_readiness_error) before any mart is rebuilt, so a
    file that cannot be segmented leaves the previous marts as they were; int_customer_rows
    still shows every row's rejection_reason, for the user to look at.
-#}
{% test segmentable_customers(model) %}

with

summary as (

    {{ valid_customer_summary(model) }}

),

final as (

    select {{ segmentation_readiness_error(customer_source_label()) }} as problem,
    from summary

)

select * from final where problem is not null

{% endtest %}
