{% macro spark__raise_error(message) -%}
    raise_error({{ message }})
{%- endmacro %}
