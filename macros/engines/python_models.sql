{% macro drop_python_model_leftovers() -%}
    {{ return(adapter.dispatch('drop_python_model_leftovers', 'customer_segments')()) }}
{%- endmacro %}

{% macro default__drop_python_model_leftovers() -%}
    select 1
{%- endmacro %}
