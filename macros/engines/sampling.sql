{% macro rows_with_smallest(relation, key, count) -%}
    {{ return(adapter.dispatch('rows_with_smallest', 'customer_segments')(relation, key, count)) }}
{%- endmacro %}
