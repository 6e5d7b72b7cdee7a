{#-
    One row per column the build reads from the customer file: our name for it, the file's
    header it comes from (null when the file has none: the catalog's attributes are then
    empty), and the label and unit the marts and the dashboard show (var feature_settings,
    else the catalog's, else from the header: 'Tenure (months)' -> Tenure, months).
    Known from the file's header alone (its columns, described when the model is compiled):
    a view of constants.
-#}
{{ config(materialized='view', enabled=customer_file_is_input()) }}
{#- the customer file (a source) or the sample seed: what this model describes -#}
{%- do input_file('customers') %}
{%- set columns = input_columns('customers') %}
{%- set numeric = segment_feature_names() %}
{%- set categorical = categorical_features() | map(attribute='name') | list %}

with

final as (

    {%- for name, column in columns.items() %}
    {%- set described = feature_label_and_unit(name, column.header) %}
    select
        {{ sql_string_literal(name) }} as column_name,
        {{ loop.index }} as column_position,
        {{ sql_string_literal(column.header) if column.header is not none else 'cast(null as string)' }}
            as file_header,
        {{ sql_string_literal(described.label) }} as column_label,
        {{ sql_string_literal(described.unit) }} as column_unit,
        {{ sql_string_literal(
            'numeric feature' if name in numeric
            else 'categorical feature' if name in categorical
            else 'id' if name == 'customer_id'
            else 'profile feature' if name in profile_features() + profile_features('profile_categorical_features')
            else 'attribute') }} as column_role
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from final
