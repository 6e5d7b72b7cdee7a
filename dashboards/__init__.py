"""The segment dashboard: reads the dbt marts and draws them; run it as `python -m dashboards`."""
