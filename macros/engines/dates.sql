{#- Whole days from `start_date` to `end_date` (dates). -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'customer_segments')(start_date, end_date)) }}
{%- endmacro %}


{#- A select list item: one row per day from `first_day` to `last_day` (dates), both included. -#}
{% macro days_from_to(first_day, last_day) -%}
    {{ return(adapter.dispatch('days_from_to', 'customer_segments')(first_day, last_day)) }}
{%- endmacro %}


{#- The text `raw` (SQL) as a date in the strptime format `date_format`; null when it does not parse. -#}
{% macro parse_date_in_format(raw, date_format) -%}
    {{ return(adapter.dispatch('parse_date_in_format', 'customer_segments')(raw, date_format)) }}
{%- endmacro %}
