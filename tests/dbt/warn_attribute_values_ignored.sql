{#-
    Warns (one row per column) when a column matched to an attribute of the catalog that is not
    a feature, or a profile feature (var profile_features), has values that attribute cannot
    take (not a number, outside its range): they are ignored (null in the marts; a profile
    feature profiles them as missing), never a reason to reject a row, since the user did not
    ask to cluster on it. The row names the file's header and how to map the column away. The rows are
    kept in the table the build prints ("See test failures").
-#}
{{ config(severity='warn', store_failures=true, enabled=customer_file_is_input()) }}
{%- set ignored = [] %}
{%- for name, rule in numeric_column_rules({}).items() if not rule.required %}
{%- do ignored.append({'name': name, 'rule': rule}) %}
{%- endfor %}

with

file_rows as (

    select * from {{ ref('stg_customer_file_rows') }}

),

-- the file's header of each column (null: the file has no such column)
file_columns as (

    select * from {{ ref('stg_customer_file_columns') }}

),

ignored_values as (

    {%- for column in ignored %}
    select
        {{ sql_string_literal(column.name) }} as attribute_name,
        {{ sql_string_literal(column.rule.reason_name) }} as reason_name,
        count(*) as ignored_value_count,
        min(raw_{{ column.name }}_if_different) as example_value
    from file_rows
    where
        {{ column.name }} is null
        -- blank or a placeholder (NA, N/A, ...) is missing, not a value ignored
        and lower(trim(coalesce(raw_{{ column.name }}_if_different, ''))) not in {{ missing_value_texts() }}
    union all
    {%- endfor %}
    select
        cast(null as string) as attribute_name,
        cast(null as string) as reason_name,
        cast(null as bigint) as ignored_value_count,
        cast(null as string) as example_value
    from file_rows
    where false

),

final as (

    select
        ignored_values.attribute_name,
        file_columns.file_header,
        ignored_values.ignored_value_count,
        case
            when file_columns.column_role = 'profile feature'
                then 'column ' || {{ quoted_text('file_columns.file_header') }} || ' is the profile feature '
                || ignored_values.attribute_name || ': ' || cast(ignored_values.ignored_value_count as string)
                || ' of its values are not a valid ' || ignored_values.reason_name || ' (e.g. '
                || {{ quoted_text('ignored_values.example_value') }} || '), so they are profiled as '
                || 'missing (missing_count of segment_feature_profiles)'
            else 'column ' || {{ quoted_text('file_columns.file_header') }} || ' is read as '
                || ignored_values.reason_name || ', which is not a feature: '
                || cast(ignored_values.ignored_value_count as string) || ' of its values are not one '
                || '(e.g. ' || {{ quoted_text('ignored_values.example_value') }} || '), so they are '
                || 'ignored (null). If the column is something else, map it away: --vars ' || chr(39)
                || '{column_map: {' || ignored_values.attribute_name || ': null}}' || chr(39)
        end as warning
    from ignored_values
    inner join file_columns on ignored_values.attribute_name = file_columns.column_name
    where ignored_values.ignored_value_count > 0

)

select * from final
