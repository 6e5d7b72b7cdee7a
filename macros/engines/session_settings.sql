{% macro engine_session_settings() -%}
    {{ return(adapter.dispatch('engine_session_settings', 'customer_segments')()) }}
{%- endmacro %}
