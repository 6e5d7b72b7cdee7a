{#-
    Custom schemas are used as given (`staging`, `intermediate`) instead of dbt's default
    `<target schema>_<custom>`, so BI users find the marts in `main` and nothing else there.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
