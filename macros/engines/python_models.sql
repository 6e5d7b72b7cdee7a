{% macro drop_python_model_leftovers() -%}
    {{ return(adapter.dispatch('drop_python_model_leftovers', 'customer_segments')()) }}
{%- endmacro %}

{#- Spark drops what its Python models write on the way. -#}
{% macro default__drop_python_model_leftovers() -%}
    select 1
{%- endmacro %}
