{% macro raise_error(message) -%}
    {{ return(adapter.dispatch('raise_error', 'customer_segments')(message)) }}
{%- endmacro %}
