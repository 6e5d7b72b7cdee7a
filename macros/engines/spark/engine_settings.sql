{% macro spark__engine_settings() -%}
    cast(null as string) as duckdb_memory_limit,
    cast(null as string) as duckdb_threads,
    cast(null as string) as duckdb_temp_directory
{%- endmacro %}
