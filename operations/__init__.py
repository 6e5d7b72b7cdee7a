"""Tools around a dbt build: spark_build (dbt on Apache Spark in this process, with the Python
models), warehouse_lock (one clear line when DuckDB's file is held) and rejection_summary (what
the build rejected, and why), which `./run` calls, and windows1252 (Windows-1252 files read as
UTF-8), the plugin the profile gives dbt-duckdb."""
