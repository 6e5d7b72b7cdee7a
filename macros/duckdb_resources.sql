{#-
    on-run-start: DuckDB's thread count from the environment variable SEGMENTS_DUCKDB_THREADS,
    when it is set (unset: DuckDB uses every core). The memory limit and temp directory are
    set in profiles.yml; a SET here would apply to the whole database instance, as there.
-#}
{% macro set_duckdb_threads() -%}
    {%- set threads = env_var('SEGMENTS_DUCKDB_THREADS', '') | trim -%}
    {%- if not execute or threads == '' -%}
        {{ return('') }}
    {%- endif -%}
    {%- if not threads.isdigit() or threads | int < 1 -%}
        {{ exceptions.raise_compiler_error(
            "SEGMENTS_DUCKDB_THREADS is '" ~ threads ~ "'; set it to a whole number of threads "
            ~ "(1 or more), or unset it to use every core.") }}
    {%- endif -%}
    {{ return('set threads = ' ~ (threads | int)) }}
{%- endmacro %}
