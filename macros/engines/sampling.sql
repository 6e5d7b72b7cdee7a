{#-
    A select of the `count` rows of `relation` with the smallest `key` (an expression unique
    per row), with the relation's columns.
-#}
{% macro rows_with_smallest(relation, key, count) -%}
    {{ return(adapter.dispatch('rows_with_smallest', 'customer_segments')(relation, key, count)) }}
{%- endmacro %}

{#-
    min_by with a count keeps only those rows while it scans; ORDER BY ... LIMIT sorts every
    row when DuckDB cannot estimate how many there are (through the views upstream), which is
    much slower on large files (BENCHMARKS.md).
-#}
{% macro default__rows_with_smallest(relation, key, count) -%}
    select unnest(kept_rows, recursive := true)
    from (
        select min_by({{ relation }}, {{ key }}, {{ count }}) as kept_rows
        from {{ relation }}
    ) as smallest
{%- endmacro %}

{#- Spark keeps the top `count` rows per partition while it scans (TakeOrderedAndProject). -#}
{% macro spark__rows_with_smallest(relation, key, count) -%}
    select *
    from {{ relation }}
    order by {{ key }}
    limit {{ count }}
{%- endmacro %}
