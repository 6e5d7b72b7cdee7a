{% macro spark__write_parquet_export(directory, marts, manifest) -%}
    {%- do run_query(
        "insert overwrite directory " ~ sql_string_literal(directory ~ '/export_manifest_0.parquet')
        ~ " using parquet select /*+ COALESCE(1) */ * from (" ~ manifest ~ ") as manifest") -%}
    {%- for mart in marts -%}
        {%- do run_query(
            "insert overwrite directory "
            ~ sql_string_literal(directory ~ '/' ~ mart.identifier ~ '.parquet')
            ~ " using parquet options (compression 'zstd') select /*+ COALESCE(1) */ * from " ~ mart) -%}
    {%- endfor -%}
{%- endmacro %}
