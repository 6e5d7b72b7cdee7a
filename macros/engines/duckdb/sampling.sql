{% macro duckdb__rows_with_smallest(relation, key, count) -%}
    select unnest(kept_rows, recursive := true)
    from (
        select min_by({{ relation }}, {{ key }}, {{ count }}) as kept_rows
        from {{ relation }}
    ) as smallest
{%- endmacro %}
