{% macro spark__rows_with_smallest(relation, key, count) -%}
    select *
    from {{ relation }}
    order by {{ key }}
    limit {{ count }}
{%- endmacro %}
