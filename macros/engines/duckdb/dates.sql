{% macro duckdb__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}


{% macro duckdb__days_from_to(first_day, last_day) -%}
    unnest(generate_series({{ first_day }}, {{ last_day }}, interval 1 day))
{%- endmacro %}


{% macro duckdb__parse_date_in_format(raw, date_format) -%}
    cast(try_strptime(trim({{ raw }}), {{ sql_string_literal(date_format) }}) as date)
{%- endmacro %}
