{#- Spark has no unsigned type: bit 63 makes a negative bigint, which bit_or and bit_count take as is. -#}
{% macro spark__one_bit_at(position) -%}
    shiftleft(cast(1 as bigint), cast({{ position }} as int))
{%- endmacro %}
