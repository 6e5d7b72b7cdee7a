{#- The continuous `fraction` quantile of `expression` (an aggregate). -#}
{% macro continuous_quantile(expression, fraction) -%}
    {{ return(adapter.dispatch('continuous_quantile', 'customer_segments')(expression, fraction)) }}
{%- endmacro %}

{% macro default__continuous_quantile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}
