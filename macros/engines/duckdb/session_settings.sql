{% macro duckdb__engine_session_settings() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- set threads = env_var('SEGMENTS_DUCKDB_THREADS', '') | trim -%}
    {%- if threads != '' -%}
        {%- if not threads.isdigit() or threads | int < 1 -%}
            {{ exceptions.raise_compiler_error(
                "SEGMENTS_DUCKDB_THREADS is '" ~ threads ~ "'; set it to a whole number of "
                ~ "threads (1 or more), or unset it to use every core.") }}
        {%- endif -%}
        {%- do statements.append('set threads = ' ~ (threads | int)) -%}
    {%- endif -%}
    {%- set temp_directory = env_var('SEGMENTS_DUCKDB_TEMP_DIRECTORY', '') | trim -%}
    {%- if temp_directory != '' -%}
        {%- do statements.append(
            "set temp_directory = '" ~ (temp_directory | replace("'", "''")) ~ "'") -%}
    {%- endif -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}
