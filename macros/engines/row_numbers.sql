{#-
    A select of every row of a staged file (stg_customer_file_rows, stg_order_file_rows) with
    source_row_number: its position among the file's data rows. Used by the models that read a
    staged file; rows are never dropped.
-#}
{% macro numbered_file_rows(staged) -%}
    {{ return(adapter.dispatch('numbered_file_rows', 'customer_segments')(staged)) }}
{%- endmacro %}
