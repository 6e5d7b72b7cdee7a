{% macro one_bit_at(position) -%}
    {{ return(adapter.dispatch('one_bit_at', 'customer_segments')(position)) }}
{%- endmacro %}
