{% macro duckdb__write_parquet_export(directory, marts, manifest) -%}
    {%- do run_query(
        "copy (" ~ manifest ~ ") to " ~ sql_string_literal(directory) ~ " (format parquet, "
        ~ "per_thread_output true, overwrite_or_ignore true, filename_pattern 'export_manifest_')") -%}
    {%- for mart in marts -%}
        {%- do run_query(
            "copy (select * from " ~ mart ~ ") to "
            ~ sql_string_literal(directory ~ '/' ~ mart.identifier ~ '.parquet')
            ~ " (format parquet, compression zstd, use_tmp_file true)") -%}
    {%- endfor -%}
{%- endmacro %}
