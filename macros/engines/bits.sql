{#- A 64-bit integer with only bit `position` (0 to 63) set. -#}
{% macro one_bit_at(position) -%}
    {{ return(adapter.dispatch('one_bit_at', 'customer_segments')(position)) }}
{%- endmacro %}

{% macro default__one_bit_at(position) -%}
    cast(1 as ubigint) << cast({{ position }} as integer)
{%- endmacro %}

{#- Spark has no unsigned type: bit 63 makes a negative bigint, which bit_or and bit_count take as is. -#}
{% macro spark__one_bit_at(position) -%}
    shiftleft(cast(1 as bigint), cast({{ position }} as int))
{%- endmacro %}

