{#- on-run-start: settings of the engine's session, before any model runs. -#}
{% macro engine_session_settings() -%}
    {{ return(adapter.dispatch('engine_session_settings', 'customer_segments')()) }}
{%- endmacro %}
