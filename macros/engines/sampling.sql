{#-
    A select of the `count` rows of `relation` with the smallest `key` (an expression unique
    per row), with the relation's columns.
-#}
{% macro rows_with_smallest(relation, key, count) -%}
    {{ return(adapter.dispatch('rows_with_smallest', 'customer_segments')(relation, key, count)) }}
{%- endmacro %}
