{% macro numbered_file_rows(staged) -%}
    {{ return(adapter.dispatch('numbered_file_rows', 'customer_segments')(staged)) }}
{%- endmacro %}
