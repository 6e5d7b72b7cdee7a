{% macro duckdb__raise_error(message) -%}
    error({{ message }})
{%- endmacro %}
