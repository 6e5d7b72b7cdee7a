{% macro write_parquet_export(directory, marts, manifest) -%}
    {{ return(adapter.dispatch('write_parquet_export', 'customer_segments')(directory, marts, manifest)) }}
{%- endmacro %}
