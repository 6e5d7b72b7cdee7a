{% macro duckdb__input_file_read(input) -%}
    {%- set file_format = input_file_format(input) -%}
    {%- if execute and file_format in ['csv', 'parquet'] -%}
        {%- do check_input_file_exists(input) -%}
    {%- elif execute and file_format == 'table' -%}
        {%- do check_input_table_exists(input) -%}
    {%- endif -%}
    {%- set rows = input_file(input) -%}
    {%- if file_format == 'parquet' -%}
        {%- set rows = 'read_parquet(' ~ input_path_literal(input) ~ ')' -%}
    {%- elif file_format == 'csv' -%}
        {%- set rows = input_csv_reader(input) -%}
    {%- endif -%}
    {%- set read = {'rows': rows, 'row_number': 'cast(null as bigint)', 'unreadable_record': 'cast(null as string)'} -%}
    {%- if not execute or (file_format == 'sample' and (is_unit_test_rows(rows) or load_relation(rows) is none)) -%}
        {%- do read.update({'headers': sample_customers_header()}) -%}
        {{ return(read) }}
    {%- endif -%}
    {#- the columns only: DuckDB's sniffer reads the header and a sample, never the whole file -#}
    {%- do read.update({'headers': run_query('describe select * from ' ~ rows).columns[0].values() | list}) -%}
    {%- do check_input_file_has_a_header(input, read.headers) -%}
    {{ return(read) }}
{%- endmacro %}


{% macro duckdb__input_file_headers(input) -%}
    {%- set headers = [] -%}
    {%- for header in duckdb__input_file_read(input).headers -%}
        {%- do headers.append(header.lstrip('\ufeff').strip().strip('"').strip()) -%}
    {%- endfor -%}
    {{ return(headers) }}
{%- endmacro %}


{% macro input_csv_reader(input) -%}
    {%- set encoding = input_encoding_var(input) or ('utf-16' if input_file_is_utf16(input) else 'utf-8') -%}
    {{ return(
        'read_csv(' ~ input_path_literal(input) ~ ', header = true, all_varchar = true, '
        ~ "encoding = '" ~ encoding ~ "', store_rejects = true, "
        ~ "rejects_table = '" ~ input ~ "_file_reject_errors', "
        ~ "rejects_scan = '" ~ input ~ "_file_reject_scans')") }}
{%- endmacro %}


{% macro input_file_is_utf16(input) -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set header = run_query(
        "select count(*) filter (where contains(column_name, chr(0))), "
        ~ "bool_or(starts_with(column_name, chr(254) || chr(255))) "
        ~ "from (describe select * from read_csv(" ~ input_path_literal(input)
        ~ ", header = true, all_varchar = true, encoding = 'latin-1'))") -%}
    {%- if header.columns[1].values()[0] -%}
        {{ exceptions.raise_compiler_error(
            "The file " ~ input_path(input) ~ " is UTF-16 big-endian, which DuckDB "
            ~ "does not read. Save it as UTF-8 CSV (or UTF-16 little-endian, \"Unicode Text\" "
            ~ "in Excel).") }}
    {%- endif -%}
    {{ return(header.columns[0].values()[0] > 0) }}
{%- endmacro %}


{% macro duckdb__append_unreadable_lines(input) -%}
    {%- if input_file_format(input) != 'csv' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set errors = 'temp.main.' ~ input ~ '_file_reject_errors' -%}
    {%- set encoding_var = input ~ '_encoding' -%}
    {%- set is_glob = modules.re.search('[*?\[{]', input_path(input)) is not none -%}
    insert into {{ this }} by name
    with unreadable_lines as (
        select
            scans.file_path,
            errors.line as line_number,
            errors.line - 1 - coalesce(any_value(scans.skip_rows), 0) as data_row_estimate,
            arg_min(errors.error_type, errors.column_idx) as error_type,
            arg_min(errors.error_message, errors.column_idx) as error_message,
            trim(any_value(errors.csv_line), chr(13) || chr(10)) as raw_line
        from {{ errors }} as errors
        left join temp.main.{{ input }}_file_reject_scans as scans using (scan_id, file_id)
        group by scans.file_path, errors.line
        -- a line of spaces is a blank line to the file's reader, not a row
        having trim(any_value(errors.csv_line), chr(13) || chr(10) || ' ' || chr(9)) <> ''
    )
    select
        line_number as unreadable_line_number,
        data_row_estimate,
        case
            when error_type = 'INVALID ENCODING' then error(
                {{ sql_string_literal("The file " ~ input_path(input) ~ " is not valid UTF-8 (first at line ") }}
                || (select min(line) from {{ errors }} where error_type = 'INVALID ENCODING')
                || {{ sql_string_literal(
                    "). Files saved by Excel on Windows are usually Latin-1 / Windows-1252: set "
                    ~ "--vars '{" ~ encoding_var ~ ": latin-1}'"
                    ~ (", not " ~ var(encoding_var) if input_encoding_var(input) else '') ~ ".") }})
            else 'line ' || line_number || ' of ' || {{ 'file_path' if is_glob else "'the file'" }}
                || ' could not be read ('
                || case
                    when error_type in ('MISSING COLUMNS', 'TOO MANY COLUMNS') then 'it has '
                        || regexp_extract(error_message, 'Found: ([0-9]+)', 1)
                        || ' field(s), the header has '
                        || regexp_extract(error_message, 'Columns: ([0-9]+)', 1)
                        || if(error_type = 'TOO MANY COLUMNS', '; is a value with the delimiter in it not quoted?', '')
                    when error_type = 'UNQUOTED VALUE' then 'a quoted value is not closed properly'
                    when error_type = 'LINE SIZE OVER MAXIMUM' then 'the line is longer than DuckDB reads'
                    else lower(error_type) || ': ' || error_message
                end
                || '): ' || {{ quoted_text('left(raw_line, 200)') }} || '; fix or remove that line'
        end as value_problems
    from unreadable_lines;
    -- read once: a rerun in this session starts from empty reject tables
    drop table {{ errors }};
    drop table temp.main.{{ input }}_file_reject_scans
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
    {#- the file's size, not its rows -#}
    {%- set size = run_query(
        'select max(size) from read_blob(' ~ input_path_literal(input) ~ ')').columns[0].values()[0] -%}
    {%- if size == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The file " ~ input_path(input) ~ " is empty: no header and no rows. Export "
            ~ "it again with a header line, e.g. " ~ example_header(input) ~ ", and one line per "
            ~ ('customer' if input == 'customers' else 'order') ~ ".") }}
    {%- endif -%}
{%- endmacro %}
