{#-
    Spark writes a directory of part files per output; one part each here (COALESCE(1)), in
    <directory>/<mart>.parquet/ and <directory>/export_manifest_0.parquet/. Spark, pandas and
    pyarrow read such a directory as the file; ./run build --target spark (segmentation/
    spark_build.py) then replaces each directory by its one part file, so the directory looks
    as DuckDB's export does. A directory is replaced whole, so a reader may find it missing
    for a moment, not half-written.
-#}
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
