{% macro duckdb__drop_python_model_leftovers() -%}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set leftovers = run_query(
        "select table_schema, table_name from information_schema.tables "
        ~ "where table_catalog = current_database() and starts_with(table_name, "
        ~ sql_string_literal(this.identifier ~ '__dbt_tmp') ~ ")") -%}
    {%- for leftover in leftovers.rows %}
    drop table if exists {{ quote_identifier(leftover[0]) }}.{{ quote_identifier(leftover[1]) }};
    {%- endfor %}
    select 1
{%- endmacro %}
