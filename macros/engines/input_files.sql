{% macro input_file_read(input) -%}
    {{ return(adapter.dispatch('input_file_read', 'customer_segments')(input)) }}
{%- endmacro %}


{% macro input_file_headers(input) -%}
    {%- if not execute -%}
        {{ return(sample_customers_header()) }}
    {%- endif -%}
    {{ return(adapter.dispatch('input_file_headers', 'customer_segments')(input)) }}
{%- endmacro %}


{% macro append_unreadable_lines(input) -%}
    {{ return(adapter.dispatch('append_unreadable_lines', 'customer_segments')(input)) }}
{%- endmacro %}


{% macro create_input_file_views() -%}
    {{ return(adapter.dispatch('create_input_file_views', 'customer_segments')()) }}
{%- endmacro %}

{% macro default__create_input_file_views() %}{% endmacro %}
