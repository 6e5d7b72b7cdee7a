{#- Spark's percentile is exact and interpolates between the two nearest values, like quantile_cont. -#}
{% macro spark__continuous_quantile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}
