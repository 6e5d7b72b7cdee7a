{% macro spark__numbered_file_rows(staged) -%}
    select * from {{ staged }}
{%- endmacro %}
