{#- An expression that stops the query with `message` (a SQL string expression). -#}
{% macro raise_error(message) -%}
    {{ return(adapter.dispatch('raise_error', 'customer_segments')(message)) }}
{%- endmacro %}
