{% macro duckdb__input_file_read(input) -%}
    {%- set file_format = input_file_format(input) -%}
    {%- set read = {
        'rows': input_file(input),
        'row_number': 'cast(null as bigint)',
        'unreadable_record': 'cast(null as string)',
        'unreadable_lines': '(select null::bigint as line_number, null::bigint as data_row_estimate, '
            ~ 'null::varchar as error_type, null::varchar as error_message, '
            ~ 'null::varchar as raw_line where false)',
    } -%}
    {%- if file_format in ['csv', 'parquet'] and execute -%}
        {%- do check_input_file_exists(input) -%}
    {%- elif file_format == 'table' and execute -%}
        {%- do check_input_table_exists(input) -%}
    {%- endif -%}
    {%- if file_format == 'parquet' -%}
        {%- do read.update({'rows': 'read_parquet(' ~ input_path_literal(input) ~ ')'}) -%}
    {%- elif file_format == 'csv' -%}
        {%- set encoding = scan_input_file(input) if execute else 'utf-8' -%}
        {%- do read.update({'rows': input_csv_reader(input, encoding)}) -%}
        {%- if execute -%}
            {%- do read.update({'unreadable_lines': 'temp.main.' ~ input ~ '_file_unreadable_lines'}) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not execute or (file_format == 'sample' and (is_unit_test_rows(read.rows)
        or load_relation(read.rows) is none)) -%}
        {#- parsing, or the sample seed as a unit test's rows or before the first build -#}
        {%- do read.update({'headers': sample_customers_header()}) -%}
    {%- else -%}
        {%- do read.update({'headers':
            run_query('describe select * from ' ~ read.rows).columns[0].values() | list}) -%}
        {%- do check_input_file_has_a_header(input, read.headers) -%}
    {%- endif -%}
    {{ return(read) }}
{%- endmacro %}


{% macro duckdb__input_file_headers(input) -%}
    {%- set file_format = input_file_format(input) -%}
    {%- if file_format == 'sample' -%}
        {%- if load_relation(ref('sample_customers')) is none -%}
            {{ return(sample_customers_header()) }}
        {%- endif -%}
        {{ return(run_query('describe select * from ' ~ ref('sample_customers')).columns[0].values() | list) }}
    {%- elif file_format == 'table' -%}
        {%- do check_input_table_exists(input) -%}
        {{ return(run_query('describe select * from ' ~ input_file(input)).columns[0].values() | list) }}
    {%- endif -%}
    {%- do check_input_file_exists(input) -%}
    {%- if file_format == 'parquet' -%}
        {{ return(run_query('describe select * from read_parquet(' ~ input_path_literal(input) ~ ')')
            .columns[0].values() | list) }}
    {%- endif -%}
    {%- set encoding = input_encoding_var(input) or ('utf-16' if input_file_is_utf16(input) else 'latin-1') -%}
    {%- set read = run_query('describe select * from ' ~ input_csv_reader(input, encoding)).columns[0].values() -%}
    {%- set headers = [] -%}
    {%- for header in read -%}
        {%- set text = header.encode('latin-1').decode('utf-8', 'replace') if encoding == 'latin-1' else header -%}
        {%- set text = header if '\ufffd' in text else text -%}
        {%- do headers.append(text.lstrip('\ufeff').strip().strip('"').strip()) -%}
    {%- endfor -%}
    {%- do check_input_file_has_a_header(input, headers) -%}
    {{ return(headers) }}
{%- endmacro %}


{% macro duckdb__orders_file_rows() -%}
    {%- if input_file_format('orders') == 'parquet' -%}
        {{ return('read_parquet(' ~ input_path_literal('orders') ~ ')') }}
    {%- endif -%}
    {{ return(input_csv_reader('orders', input_encoding_var('orders') or 'latin-1')) }}
{%- endmacro %}


{% macro input_csv_reader(input, encoding) -%}
    {{ return(
        'read_csv(' ~ input_path_literal(input) ~ ', header = true, all_varchar = true, '
        ~ "encoding = '" ~ encoding ~ "', store_rejects = true, "
        ~ "rejects_table = '" ~ input ~ "_file_reject_errors', "
        ~ "rejects_scan = '" ~ input ~ "_file_reject_scans')") }}
{%- endmacro %}


{% macro scan_input_file(input) -%}
    {%- set forced = input_encoding_var(input) -%}
    {%- set encoding = forced or ('utf-16' if input_file_is_utf16(input) else 'utf-8') -%}
    {%- set unreadable = scan_input_file_with(input, encoding) -%}
    {%- if encoding == 'utf-8' and unreadable.invalid_encoding_lines > 0 -%}
        {%- if forced -%}
            {{ exceptions.raise_compiler_error(
                "The file " ~ input_path(input) ~ " is not valid UTF-8 (first at line "
                ~ unreadable.first_invalid_line ~ "), but var '" ~ input ~ "_encoding' says utf-8. "
                ~ "Files saved by Excel on Windows are usually Latin-1 / Windows-1252: set "
                ~ "--vars '{" ~ input ~ "_encoding: latin-1}', or leave the var unset to detect it.") }}
        {%- endif -%}
        {#- Latin-1 decodes any byte: the usual encoding of spreadsheets that are not UTF-8. -#}
        {%- set encoding = 'latin-1' -%}
        {%- do scan_input_file_with(input, encoding) -%}
    {%- endif -%}
    {{ return(encoding) }}
{%- endmacro %}


{% macro input_file_is_utf16(input) -%}
    {%- set header = run_query(
        "select count(*) filter (where contains(column_name, chr(0))), "
        ~ "bool_or(starts_with(column_name, chr(254) || chr(255))) "
        ~ "from (describe select * from " ~ input_csv_reader(input, 'latin-1') ~ ")") -%}
    {%- if header.columns[1].values()[0] -%}
        {{ exceptions.raise_compiler_error(
            "The file " ~ input_path(input) ~ " is UTF-16 big-endian, which DuckDB "
            ~ "does not read. Save it as UTF-8 CSV (or UTF-16 little-endian, \"Unicode Text\" "
            ~ "in Excel).") }}
    {%- endif -%}
    {{ return(header.columns[0].values()[0] > 0) }}
{%- endmacro %}


{% macro scan_input_file_with(input, encoding) -%}
    {%- do run_query('drop table if exists temp.main.' ~ input ~ '_file_reject_errors') -%}
    {%- do run_query('drop table if exists temp.main.' ~ input ~ '_file_reject_scans') -%}
    {#- count(columns(*)) makes DuckDB decode every value, so bad bytes are found too. -#}
    {%- do run_query('select count(columns(*)) from ' ~ input_csv_reader(input, encoding)) -%}
    {#- One row per line; a line of spaces is a blank line to the file's reader, not a row. -#}
    {%- do run_query(
        "create or replace temp table " ~ input ~ "_file_unreadable_lines as "
        ~ "select errors.line as line_number, "
        ~ "errors.line - 1 - coalesce(any_value(scans.skip_rows), 0) as data_row_estimate, "
        ~ "arg_min(errors.error_type, errors.column_idx) as error_type, "
        ~ "arg_min(errors.error_message, errors.column_idx) as error_message, "
        ~ "trim(any_value(errors.csv_line), chr(13) || chr(10)) as raw_line "
        ~ "from temp.main." ~ input ~ "_file_reject_errors as errors "
        ~ "left join temp.main." ~ input ~ "_file_reject_scans as scans using (scan_id, file_id) "
        ~ "group by errors.line "
        ~ "having trim(any_value(errors.csv_line), chr(13) || chr(10) || ' ' || chr(9)) <> ''") -%}
    {%- set summary = run_query(
        "select count(*) filter (where error_type = 'INVALID ENCODING'), "
        ~ "min(line_number) filter (where error_type = 'INVALID ENCODING') "
        ~ "from temp.main." ~ input ~ "_file_unreadable_lines") -%}
    {{ return({
        'invalid_encoding_lines': summary.columns[0].values()[0],
        'first_invalid_line': summary.columns[1].values()[0],
    }) }}
{%- endmacro %}


{% macro check_input_file_exists(input) -%}
    {%- set matches = run_query(
        'select count(*) from glob(' ~ input_path_literal(input) ~ ')').columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error(
            input ~ "_path '" ~ input_path(input) ~ "' matches no file. Give the path of a CSV or "
            ~ "Parquet file, absolute or relative to the project root (where you run dbt).") }}
    {%- endif -%}
{%- endmacro %}


{% macro check_input_file_has_a_header(input, headers) -%}
    {%- if input_file_format(input) != 'csv' or headers != ['column0'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set size = run_query(
        'select count(*) from ' ~ input_csv_reader(input, 'latin-1')).columns[0].values()[0] -%}
    {%- if size == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The file " ~ input_path(input) ~ " is empty: no header and no rows. Export "
            ~ "it again with a header line, e.g. " ~ example_header(input) ~ ", and one line per "
            ~ ('customer' if input == 'customers' else 'order') ~ ".") }}
    {%- endif -%}
{%- endmacro %}
