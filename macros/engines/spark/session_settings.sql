{#-
    Spark: dates in var order_date_format are read by Spark's current parser only (see
    spark__parse_date_in_format); the rest of Spark's settings are in profiles.yml.
-#}
{% macro spark__engine_session_settings() -%}
    {{ return('set spark.sql.legacy.timeParserPolicy = CORRECTED') }}
{%- endmacro %}
