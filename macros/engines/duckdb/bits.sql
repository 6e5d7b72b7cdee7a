{% macro duckdb__one_bit_at(position) -%}
    cast(1 as ubigint) << cast({{ position }} as integer)
{%- endmacro %}
