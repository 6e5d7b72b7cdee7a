{% macro continuous_quantile(expression, fraction) -%}
    {{ return(adapter.dispatch('continuous_quantile', 'customer_segments')(expression, fraction)) }}
{%- endmacro %}
