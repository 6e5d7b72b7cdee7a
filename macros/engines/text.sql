{#- Whether `text` matches the regular expression `pattern` (SQL expressions). -#}
{% macro matches_regexp(text, pattern) -%}
    {{ return(adapter.dispatch('matches_regexp', 'customer_segments')(text, pattern)) }}
{%- endmacro %}

{% macro default__matches_regexp(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}
