{#- Whole days from `start_date` to `end_date` (dates). -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'customer_segments')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}


{#- A select list item: one row per day from `first_day` to `last_day` (dates), both included. -#}
{% macro days_from_to(first_day, last_day) -%}
    {{ return(adapter.dispatch('days_from_to', 'customer_segments')(first_day, last_day)) }}
{%- endmacro %}

{% macro default__days_from_to(first_day, last_day) -%}
    unnest(generate_series({{ first_day }}, {{ last_day }}, interval 1 day))
{%- endmacro %}

{% macro spark__days_from_to(first_day, last_day) -%}
    explode(sequence({{ first_day }}, {{ last_day }}, interval 1 day))
{%- endmacro %}
