{% macro spark__matches_regexp(text, pattern) -%}
    {{ text }} rlike {{ pattern }}
{%- endmacro %}


{% macro spark__replace_regexp(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


{% macro spark__sql_string_literal(text) -%}
    {{ return("'" ~ (text | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}


{% macro spark__quote_identifier(name) -%}
    {{ return('`' ~ (name | replace('`', '``')) ~ '`') }}
{%- endmacro %}
