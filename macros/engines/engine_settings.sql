{% macro engine_settings() -%}
    {{ return(adapter.dispatch('engine_settings', 'customer_segments')()) }}
{%- endmacro %}
