{#-
    min_by with a count keeps only those rows while it scans; ORDER BY ... LIMIT sorts every
    row when DuckDB cannot estimate how many there are (through the views upstream), which is
    much slower on large files (BENCHMARKS.md).
-#}
{% macro duckdb__rows_with_smallest(relation, key, count) -%}
    select unnest(kept_rows, recursive := true)
    from (
        select min_by({{ relation }}, {{ key }}, {{ count }}) as kept_rows
        from {{ relation }}
    ) as smallest
{%- endmacro %}
