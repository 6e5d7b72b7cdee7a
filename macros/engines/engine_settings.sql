{#- The engine's resource settings of this run, as columns of int_segmentation_settings. -#}
{% macro engine_settings() -%}
    {{ return(adapter.dispatch('engine_settings', 'customer_segments')()) }}
{%- endmacro %}

{% macro default__engine_settings() -%}
    current_setting('memory_limit') as duckdb_memory_limit,
    current_setting('threads') as duckdb_threads,
    current_setting('temp_directory') as duckdb_temp_directory
{%- endmacro %}

{#- DuckDB's settings do not exist on Spark (its resources are in the profile). -#}
{% macro spark__engine_settings() -%}
    cast(null as string) as duckdb_memory_limit,
    cast(null as string) as duckdb_threads,
    cast(null as string) as duckdb_temp_directory
{%- endmacro %}
