{% macro is_unit_test_rows(relation) -%}
    {{ return((relation | string).startswith('__dbt__cte__')) }}
{%- endmacro %}


{% macro can_query_at_compile_time(relation) -%}
    {%- if not execute or is_unit_test_rows(relation) -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(load_relation(relation) is not none) }}
{%- endmacro %}
