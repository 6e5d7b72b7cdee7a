{#- A 64-bit integer with only bit `position` (0 to 63) set. -#}
{% macro one_bit_at(position) -%}
    {{ return(adapter.dispatch('one_bit_at', 'customer_segments')(position)) }}
{%- endmacro %}
