{% macro spark__engine_session_settings() -%}
    {{ return('set spark.sql.legacy.timeParserPolicy = CORRECTED') }}
{%- endmacro %}
