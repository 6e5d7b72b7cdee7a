{#-
    The attribute catalog (var attribute_catalog, declared once in dbt_project.yml) as rows, for
    the SQL that reads it: one row per attribute the project knows. A view of constants.
-#}
{{ config(materialized='view') }}
{%- set null_text = 'cast(null as string)' %}

with

final as (

    {%- for name, entry in var('attribute_catalog').items() %}
    {%- set naming = entry.get('naming') %}
    {%- set words = naming if naming is not none and naming is not string else [none, none, none] %}
    select
        {{ sql_string_literal(name) }} as attribute_name,
        {{ loop.index }} as catalog_position,
        {{ sql_string_literal('orders file' if entry.get('source') == 'orders' else 'customer file') }}
            as attribute_source,
        {{ sql_string_literal(entry.get('kind', 'number')) }} as attribute_kind,
        {{ sql_string_literal(entry.get('aliases', []) | join('|')) }} as attribute_aliases,
        {{ sql_string_literal(entry.label) if entry.get('label') is not none else null_text }}
            as attribute_label,
        {{ sql_string_literal(entry.get('unit', '')) }} as attribute_unit,
        cast({{ entry.get('min') if entry.get('min') is not none else 'null' }} as double) as min_value,
        cast({{ entry.get('max') if entry.get('max') is not none else 'null' }} as double) as max_value,
        {{ entry.get('whole', false) }} as is_whole,
        {%- for word in words %}
        {{ sql_string_literal(word) if word is not none else null_text }}
            as {{ ['low', 'mid', 'high'][loop.index0] }}_word,
        {%- endfor %}
        {{ entry.get('log', false) }} as is_log_by_default,
        {{ entry.get('money', false) }} as is_money,
        {{ naming == 'decade' }} as is_named_by_decade,
        {{ sql_string_literal(entry.role) if entry.get('role') is not none else null_text }}
            as attribute_role,
        {{ entry.get('default_feature', false) }} as is_default_feature
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from final
