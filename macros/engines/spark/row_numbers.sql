{#- Spark numbered the rows as it read the file. -#}
{% macro spark__numbered_file_rows(staged) -%}
    select * from {{ staged }}
{%- endmacro %}
