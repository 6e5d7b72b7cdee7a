{#- Whether `text` matches the regular expression `pattern` (SQL expressions). -#}
{% macro matches_regexp(text, pattern) -%}
    {{ return(adapter.dispatch('matches_regexp', 'customer_segments')(text, pattern)) }}
{%- endmacro %}


{#- `text` with every match of the regular expression `pattern` replaced (SQL expressions). -#}
{% macro replace_regexp(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_regexp', 'customer_segments')(text, pattern, replacement)) }}
{%- endmacro %}


{#-
    `text` as a SQL string literal. DuckDB doubles a quote and takes backslashes as they are;
    Spark escapes both with a backslash (it reads '' as two adjacent literals, and drops the
    backslash of '\s'), so regular expressions go through here too.
-#}
{% macro sql_string_literal(text) -%}
    {{ return(adapter.dispatch('sql_string_literal', 'customer_segments')(text)) }}
{%- endmacro %}

{% macro default__sql_string_literal(text) -%}
    {{ return("'" ~ (text | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}


{#- A column name as a quoted identifier: "name" on DuckDB, `name` on Spark. -#}
{% macro quote_identifier(name) -%}
    {{ return(adapter.dispatch('quote_identifier', 'customer_segments')(name)) }}
{%- endmacro %}

{% macro default__quote_identifier(name) -%}
    {{ return('"' ~ (name | replace('"', '""')) ~ '"') }}
{%- endmacro %}


{#- `expression` (SQL) between single quotes, as messages quote a value; the same on every engine. -#}
{% macro quoted_text(expression) -%}
    chr(39) || {{ expression }} || chr(39)
{%- endmacro %}
