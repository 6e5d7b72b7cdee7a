{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'customer_segments')(start_date, end_date)) }}
{%- endmacro %}


{% macro days_from_to(first_day, last_day) -%}
    {{ return(adapter.dispatch('days_from_to', 'customer_segments')(first_day, last_day)) }}
{%- endmacro %}


{% macro parse_date_in_format(raw, date_format) -%}
    {{ return(adapter.dispatch('parse_date_in_format', 'customer_segments')(raw, date_format)) }}
{%- endmacro %}
