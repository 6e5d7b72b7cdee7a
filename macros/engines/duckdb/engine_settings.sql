{% macro duckdb__engine_settings() -%}
    current_setting('memory_limit') as duckdb_memory_limit,
    current_setting('threads') as duckdb_threads,
    current_setting('temp_directory') as duckdb_temp_directory
{%- endmacro %}
