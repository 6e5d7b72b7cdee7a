{% macro segmentation_readiness_error(input_label) -%}
    {%- set ks = k_settings() -%}
    {%- set needed = ks.k if ks.k is not none else ks.k_min -%}
    {%- set k_var = 'k' if ks.k is not none else 'k_min' -%}
    {%- set names = segment_feature_names() -%}
    case
        when valid_count = 0 and input_count > 0 then {{ raise_error(
            "'No customer can be segmented: all ' || input_count || ' rows are rejected, the first is data row '
            || first_rejection || '. The most common reasons are in the output of test assert_some_customer_row_is_usable.'") }}
        when input_count = 0 then {{ raise_error(sql_string_literal(
            input_label ~ " has no data rows (only a header, or nothing). Export it again with "
            ~ "one line per customer.")) }}
        when valid_count < {{ needed + 1 }} then {{ raise_error(
            "'Only ' || valid_count || ' of ' || input_count || ' input rows are usable customers, '
            || 'too few for " ~ k_var ~ " = " ~ needed ~ ": K-means needs at least " ~ (needed + 1) ~ ". '
            || coalesce('The first rejected row is data row ' || first_rejection || '. ', '')
            || 'Fix the rejected rows (column rejection_reason of intermediate.int_customer_rows) '
            || " ~ sql_string_literal("or lower var '" ~ k_var ~ "' (2 at least).")) }}
        {#- the segments would describe the few rows left: stop, unless var max_rejected_share allows it -#}
        when input_count - valid_count > input_count * {{ [0.5, max_rejected_share()] | max }}
            then {{ raise_error(
            "'Only ' || valid_count || ' of ' || input_count || ' input rows are usable customers: more than half '
            || 'are rejected, so the file is most likely read the wrong way (a header mapped to the wrong column, '
            || 'numbers written 1,234 or 59,5: var decimal_separator), and the segments would describe the '
            || 'few left. The first rejected row is data row ' || first_rejection || '. Every row and its reason: '
            || 'column rejection_reason of intermediate.int_customer_rows. To segment what is left all the same, '
            || 'set var max_rejected_share above the share rejected.'") }}
        {%- for name in names %}
        {%- set others = names | reject('equalto', name) | list %}
        when {{ name }}_min = {{ name }}_max then {{ raise_error(
            sql_string_literal("Feature '" ~ name ~ "' has the same value (") ~ " || " ~ name ~ "_min || "
            ~ sql_string_literal(") for every valid customer, so it cannot separate segments. Remove it "
                ~ "from var 'features'" ~ (", e.g. --vars '{features: [" ~ others | join(', ') ~ "]}'"
                if others else '') ~ ", or check the file.")) }}
        {%- endfor %}
    end
{%- endmacro %}


{% macro clustered_value(feature, column) -%}
    {{ 'ln(1 + ' ~ column ~ ')' if feature.log else column }}
{%- endmacro %}


{% macro valid_customer_summary(customers) -%}
    select
        *,
        {%- for feature in segment_features() %}
        cast({{ feature.name }}_sum as double) / valid_count as {{ feature.name }}_mean,
        -- E[x^2] - E[x]^2 from exact sums (divided as doubles: Spark's decimal division
        -- would round to 6 decimals)
        sqrt(greatest(
            cast({{ feature.name }}_squares_sum as double) / valid_count
            - (cast({{ feature.name }}_sum as double) / valid_count)
            * (cast({{ feature.name }}_sum as double) / valid_count),
            0
        )) as {{ feature.name }}_stddev{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            count(*) as input_count,
            count(*) filter (where rejection_reason is null) as valid_count,
            min(source_row_number) filter (where rejection_reason is not null)
            || ' (' || min_by(rejection_reason, source_row_number)
                filter (where rejection_reason is not null) || ')' as first_rejection,
            {%- for feature in segment_features() %}
            min({{ feature.name }}) filter (where rejection_reason is null) as {{ feature.name }}_min,
            max({{ feature.name }}) filter (where rejection_reason is null) as {{ feature.name }}_max,
            sum({{ feature.name }}_exact) as {{ feature.name }}_sum,
            sum({{ feature.name }}_square) as {{ feature.name }}_squares_sum{{ ',' if not loop.last }}
            {%- endfor %}
        from (
            select
                *,
                {%- for feature in segment_features() %}
                case
                    when rejection_reason is null
                        then cast({{ clustered_value(feature, feature.name) }} as decimal(38, 8))
                end as {{ feature.name }}_exact,
                case
                    when rejection_reason is null
                        then cast(
                            {{ clustered_value(feature, feature.name) }} * {{ clustered_value(feature, feature.name) }}
                            as decimal(38, 6)
                        )
                end as {{ feature.name }}_square{{ ',' if not loop.last }}
                {%- endfor %}
            from {{ customers }}
        ) as customers
    ) as sums
{%- endmacro %}


{% test segmentable_customers(model) %}

with

summary as (

    {{ valid_customer_summary(model) }}

),

final as (

    select {{ segmentation_readiness_error(readiness_input_label()) }} as problem
    from summary

)

select * from final where problem is not null

{% endtest %}


{% macro readiness_input_label() -%}
    {{ return('The customer file ' ~ input_label('customers') if customer_file_is_input()
        else 'The orders file ' ~ input_label('orders')) }}
{%- endmacro %}
