{% macro duckdb__matches_regexp(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}


{% macro duckdb__replace_regexp(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}
