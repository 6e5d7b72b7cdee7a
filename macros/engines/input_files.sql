{#-
    The input file read for staging, as {rows, headers, row_number, unreadable_record,
    unreadable_lines}: `rows` the relation of the rows the engine could read, every value as
    text; `headers` its column names exactly as the reader gives them (what staging selects);
    `row_number` and `unreadable_record` expressions over `rows`: the row's position among the
    file's data rows where the reader numbers rows (Spark; null on DuckDB, where staging
    stores rows in file order and numbered_file_rows() numbers them) and the text of a record
    the reader could not split into the header's fields (Spark; null on DuckDB);
    `unreadable_lines` a relation of the lines DuckDB could not parse (line_number,
    data_row_estimate, error_type, error_message, raw_line; empty on Spark). A CSV file is
    read once here: call it once per model.
-#}
{% macro input_file_read(input) -%}
    {{ return(adapter.dispatch('input_file_read', 'customer_segments')(input)) }}
{%- endmacro %}


{#-
    The file's headers as the header line says them, whatever the encoding, for labels
    (stg_customer_file_columns); cheaper than input_file_read(), which reads the whole file.
-#}
{% macro input_file_headers(input) -%}
    {%- if not execute -%}
        {{ return(sample_customers_header()) }}
    {%- endif -%}
    {{ return(adapter.dispatch('input_file_headers', 'customer_segments')(input)) }}
{%- endmacro %}


{#- The orders file's rows for the freshness query (latest_order_date_query). -#}
{% macro orders_file_rows() -%}
    {{ return(adapter.dispatch('orders_file_rows', 'customer_segments')()) }}
{%- endmacro %}
