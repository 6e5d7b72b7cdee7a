{#-
    Helpers for macros that read a model at compile time (to shape the SQL they generate).

    A dbt unit test gives each ref'd model as rows of a CTE named __dbt__cte__<model>: there is
    no table to query and no rowid. And `dbt compile` before the first build has no tables yet.
-#}

{% macro is_unit_test_rows(relation) -%}
    {{ return((relation | string).startswith('__dbt__cte__')) }}
{%- endmacro %}


{#- Whether `relation` can be queried now: executing, a real table, and already built. -#}
{% macro can_query_at_compile_time(relation) -%}
    {%- if not execute or is_unit_test_rows(relation) -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(load_relation(relation) is not none) }}
{%- endmacro %}
