{#-
    Writes the query `manifest` and each of `marts` (relations) as Parquet files into `directory`,
    each file replaced whole (export_marts_to_parquet).
-#}
{% macro write_parquet_export(directory, marts, manifest) -%}
    {{ return(adapter.dispatch('write_parquet_export', 'customer_segments')(directory, marts, manifest)) }}
{%- endmacro %}
