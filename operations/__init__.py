"""Tools `./run` calls around a dbt build: spark_build (dbt on Apache Spark in this process,
with the Python models), warehouse_lock (one clear line when DuckDB's file is held) and
rejection_summary (what the build rejected, and why)."""
