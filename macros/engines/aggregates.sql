{#- The continuous `fraction` quantile of `expression` (an aggregate). -#}
{% macro continuous_quantile(expression, fraction) -%}
    {{ return(adapter.dispatch('continuous_quantile', 'customer_segments')(expression, fraction)) }}
{%- endmacro %}

{% macro default__continuous_quantile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- Spark's percentile is exact and interpolates between the two nearest values, like quantile_cont. -#}
{% macro spark__continuous_quantile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}
