{#-
    dbt-duckdb 1.11 writes an incremental Python model's new rows to a table
    <model>__dbt_tmp<timestamp> of the target schema and never drops it (its Python writer
    ignores `temporary`): this post-hook drops it, so no stray table sits beside the marts.
    Rendered when the hook runs, after the model's table is written.
-#}
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
