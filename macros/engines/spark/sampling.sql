{#- Spark keeps the top `count` rows per partition while it scans (TakeOrderedAndProject). -#}
{% macro spark__rows_with_smallest(relation, key, count) -%}
    select *
    from {{ relation }}
    order by {{ key }}
    limit {{ count }}
{%- endmacro %}
