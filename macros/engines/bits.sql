{#- An unsigned 64-bit integer with only bit `position` (0 to 63) set. -#}
{% macro one_bit_at(position) -%}
    {{ return(adapter.dispatch('one_bit_at', 'customer_segments')(position)) }}
{%- endmacro %}

{% macro default__one_bit_at(position) -%}
    cast(1 as ubigint) << cast({{ position }} as integer)
{%- endmacro %}


{#- The number of bits set in the bitwise or of `bits` (an aggregate). -#}
{% macro bit_count_of_or(bits) -%}
    {{ return(adapter.dispatch('bit_count_of_or', 'customer_segments')(bits)) }}
{%- endmacro %}

{% macro default__bit_count_of_or(bits) -%}
    bit_count(bit_or({{ bits }}))
{%- endmacro %}
