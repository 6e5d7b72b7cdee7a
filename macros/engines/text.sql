{% macro matches_regexp(text, pattern) -%}
    {{ return(adapter.dispatch('matches_regexp', 'customer_segments')(text, pattern)) }}
{%- endmacro %}


{% macro replace_regexp(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_regexp', 'customer_segments')(text, pattern, replacement)) }}
{%- endmacro %}


{% macro sql_string_literal(text) -%}
    {{ return(adapter.dispatch('sql_string_literal', 'customer_segments')(text)) }}
{%- endmacro %}

{% macro default__sql_string_literal(text) -%}
    {{ return("'" ~ (text | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}


{% macro quote_identifier(name) -%}
    {{ return(adapter.dispatch('quote_identifier', 'customer_segments')(name)) }}
{%- endmacro %}

{% macro default__quote_identifier(name) -%}
    {{ return('"' ~ (name | replace('"', '""')) ~ '"') }}
{%- endmacro %}


{% macro quoted_text(expression) -%}
    chr(39) || {{ expression }} || chr(39)
{%- endmacro %}
