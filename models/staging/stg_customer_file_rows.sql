{#-
    The customer file read once and checked in the same pass: the typed values, what makes the
    row's own values unusable (value_problems, null when nothing), and each value as read where
    it differs from its typed value's text (raw_<column>_if_different; customer_rejections
    restores the values as read). After the parsed rows, one row per line DuckDB could not
    parse (its line number and text; that it could not be read is its problem), appended from
    the read's own reject table (append_unreadable_lines). Stored in file order, so on DuckDB
    the rows are numbered by their position here (rowid) and written only once, except when
    the date orders are joined to them (a join does not keep the order): then, and on Spark,
    they are numbered as read (source_row_number). Spark hands back a record it could not split
    into the header's fields whole (unreadable_record), in place.
    The columns: customer_id, gender, the numeric attributes (the catalog's customer-file
    attributes, null when the file lacks them, and the numeric features), the date features
    as dates (read like order dates; int_customer_rows turns them into days) and the
    categorical features. Only a feature's value can make a row unusable: an attribute that is not a
    feature keeps its valid values, and its impossible ones are null (kept as read;
    tests/dbt/warn_attribute_values_ignored.sql names the column).
-#}
{{ config(
    enabled=customer_file_is_input(),
    post_hook="{{ append_unreadable_lines('customers') }}",
) }}
{%- set file = input_file_read('customers') %}
{%- set columns = input_columns('customers', file.headers) %}
{%- set kinds = customer_column_kinds() %}
{%- set headers = {} %}
{%- for name, column in columns.items() %}{% do headers.update({name: column.header}) %}{% endfor %}
{%- set rules = numeric_column_rules(headers) %}
{%- set date_columns = kinds.items() | selectattr('1', 'equalto', 'date') | map(attribute='0') | list %}
{%- set days_and_months_ordered = date_columns and not order_date_format() %}

with

parsed_rows as (

    select
        {%- for name in kinds %}
        cast({{ columns[name].column or 'null' }} as string) as raw_{{ name }},
        {%- endfor %}
        cast(null as bigint) as unreadable_line_number,
        -- numbered as read when the date orders below are joined to the rows
        {{ file.row_number_before_joins if days_and_months_ordered else file.row_number }}
            as source_row_number,
        {{ file.unreadable_record }} as unreadable_record
    from {{ file.rows }}

),
{%- if days_and_months_ordered %}

-- Without var order_date_format, whether each date column puts the day or the month first, as
-- its own dates show (a number above 12): d/m, m/d, both, or null (either way).
date_orders as (

    select
        {%- for name in date_columns %}
        {{ day_month_order('raw_' ~ name) | indent(8) }} as {{ name }}_order{{ ',' if not loop.last }}
        {%- endfor %}
    from parsed_rows

),
{%- endif %}

typed as (

    select
        *,
        {%- for name, kind in kinds.items() %}
        {%- if kind == 'id' %}
        {{ id_value('raw_' ~ name) | indent(8) }} as {{ name }},
        {%- elif kind == 'gender' %}
        -- the many spellings files use, in English, then French, German, Spanish, Italian,
        -- Portuguese, Dutch, Chinese and Japanese (H and Homme, W and Weiblich, D for Divers; M
        -- is male, as most files mean it). Short lists: DuckDB compares a long one more slowly
        -- (+0.2 s per 10^7 rows).
        case
            when lower(trim(raw_gender)) in ('male', 'm', 'man') then 'Male'
            when lower(trim(raw_gender)) in ('female', 'f', 'woman') then 'Female'
            when lower(trim(raw_gender)) in ('other', 'non-binary', 'nonbinary', 'diverse', 'x') then 'Other'
            when lower(trim(raw_gender)) in (
                'h', 'homme', 'masculin', 'mann', 'männlich', 'maennlich', 'hombre', 'masculino',
                'uomo', 'maschio', 'homem', '男', '男性'
            ) then 'Male'
            when lower(trim(raw_gender)) in (
                'w', 'femme', 'féminin', 'feminin', 'frau', 'weiblich', 'mujer', 'femenino', 'donna',
                'femmina', 'mulher', 'feminino', 'vrouw', '女', '女性'
            ) then 'Female'
            when lower(trim(raw_gender)) in ('d', 'divers', 'autre', 'otro', 'altro') then 'Other'
            else 'Unknown'
        end as gender,
        {%- elif kind == 'category' %}
        -- trimmed, inner spaces collapsed, in the user's capitals (int_category_levels pools letter
        -- cases); a placeholder (NULL, N/A, ...) is missing, as for ids
        case
            when length(trim(raw_{{ name }})) > 4
                or lower(trim(raw_{{ name }})) not in {{ missing_value_texts() }}
                then {{ replace_regexp('trim(raw_' ~ name ~ ')', sql_string_literal('\\s+'), "' '") }}
        end as {{ name }},
        {%- elif kind == 'date' %}
        {{ parse_order_date('raw_' ~ name, name ~ '_order' if days_and_months_ordered else 'null') }} as {{ name }},
        {%- else %}
        {{ parse_number('raw_' ~ name, 'customers', file.delimiter) }} as {{ name }}_number,
        {%- endif %}
        {%- endfor %}
        cast(null as bigint) as data_row_estimate
    from parsed_rows
    {%- if days_and_months_ordered %}
    cross join date_orders
    {%- endif %}

),

checked as (

    select
        *,
        {%- for name, rule in rules.items() %}
        {%- set value = name ~ '_number' %}
        {%- set value = 'try_cast(' ~ value ~ ' as ' ~ rule.type ~ ')' if rule.type else value %}
        {%- if rule.required %}
        {{ value }} as {{ name }},
        {%- else %}
        -- not a feature: an impossible value is ignored (null, kept as read), never a reason
        case
            when ({{ numeric_rejection_reason('raw_' ~ name, name ~ '_number', rule) | indent(12) }}) is null
                then {{ value }}
        end as {{ name }},
        {%- endif %}
        {%- endfor %}
        coalesce(
            {{ unreadable_record_problem('source_row_number', 'unreadable_record') | indent(12) }},
            nullif(
                concat_ws(
                    '; ',
                    {{ "case when customer_id is null then 'missing customer id' end"
                        if not customer_ids_are_row_numbers() else 'cast(null as string)' }}
                    {%- for name, rule in rules.items() if rule.required %},
                    {{ numeric_rejection_reason('raw_' ~ name, name ~ '_number', rule) | indent(20) }}
                    {%- endfor %}
                    {%- for name, kind in kinds.items() if kind == 'date' %}
                    {%- set header = headers[name] if (headers[name] or name) | lower != name else none %},
                    {{ date_rejection_reason('raw_' ~ name, name, name ~ (' (' ~ header ~ ')' if header else ''),
                        'missing ' ~ name ~ ' (' ~ (header ~ ', ' if header else '') ~ 'a feature column)',
                        name ~ '_order' if days_and_months_ordered else 'null') | indent(20) }}
                    {%- endfor %}
                ),
                ''
            )
        ) as value_problems
    from typed

),

-- What is stored of a row: a value as read only where the typed value does not say it.
final as (

    select
        unreadable_line_number,
        data_row_estimate,
        source_row_number,
        {%- for name in kinds %}
        {{ name }},
        {%- endfor %}
        {%- for name, kind in kinds.items() %}
        {{ raw_value_if_different(name, kind) }} as raw_{{ name }}_if_different,
        {%- endfor %}
        value_problems
    from checked

)

select * from final
