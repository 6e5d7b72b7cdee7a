{#- The engine's resource settings of this run, as columns of int_segmentation_settings. -#}
{% macro engine_settings() -%}
    {{ return(adapter.dispatch('engine_settings', 'customer_segments')()) }}
{%- endmacro %}
