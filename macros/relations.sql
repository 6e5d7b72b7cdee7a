{% macro is_unit_test_rows(relation) -%}
    {{ return((relation | string).startswith('__dbt__cte__')) }}
{%- endmacro %}
