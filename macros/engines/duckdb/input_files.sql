{% macro duckdb__input_file_read(input) -%}
    {%- set file_format = input_file_format(input) -%}
    {%- set first_file = check_input_file_exists(input) if execute and file_format in ['csv', 'parquet'] -%}
    {%- do check_input_table_exists(input) if execute and file_format == 'table' else none -%}
    {#- rows are numbered once stored (rowid: no cost), as read only for SQL that joins: DuckDB
        keeps the file's order through scans and projections, not through a join -#}
    {%- set read = {'rows': input_file(input), 'row_number': 'cast(null as bigint)',
        'row_number_before_joins': 'row_number() over ()', 'unreadable_record': 'cast(null as string)'} -%}
    {%- if file_format == 'parquet' -%}
        {%- do read.update({'rows': 'read_parquet(' ~ input_path_literal(input) ~ ')'}) -%}
    {%- elif file_format == 'csv' -%}
        {%- do read.update(input_csv_reader(input, first_file)) -%}
    {%- endif -%}
    {%- if not execute or (file_format == 'sample' and (is_unit_test_rows(read.rows) or load_relation(read.rows) is none)) -%}
        {%- do read.update({'headers': sample_customers_header()}) -%}
        {{ return(read) }}
    {%- endif -%}
    {#- the columns only: DuckDB's sniffer reads the header and a sample, never the whole file -#}
    {%- do read.update({'headers': run_query('describe select * from ' ~ read.rows).columns[0].values() | list}) -%}
    {%- if read.headers[0].startswith('\ufffe') -%}
        {{ exceptions.raise_compiler_error("The file " ~ input_path(input) ~ " is UTF-16 big-endian, which DuckDB does "
            ~ "not read. Save it as UTF-8 CSV (or UTF-16 little-endian, \"Unicode Text\" in Excel).") }}
    {%- endif -%}
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


{% macro input_csv_reader(input, first_file) -%}
    {%- set sniffed = run_query("select Delimiter, contains(cast(Columns as string), chr(0)) from sniff_csv("
        ~ sql_string_literal(first_file) ~ ", encoding = 'utf-8', ignore_errors = true)").rows[0] if execute else [',', false] -%}
    {%- set encoding = input_encoding_var(input) or ('utf-16' if sniffed[1] else 'utf-8') -%}
    {%- set path = ('windows-1252://' if encoding == 'windows-1252' else '') ~ input_path(input) -%}
    {{ return({'delimiter': sniffed[0], 'rows':
        'read_csv(' ~ sql_string_literal(path) ~ ', header = true, all_varchar = true, '
        ~ "encoding = '" ~ encoding | replace('windows-1252', 'utf-8') ~ "', store_rejects = true, "
        ~ "rejects_table = '" ~ input ~ "_file_reject_errors', "
        ~ "rejects_scan = '" ~ input ~ "_file_reject_scans')"}) }}
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
            replace(scans.file_path, 'windows-1252://', '') as file_path,
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
                    "). Files saved by Excel on Windows are usually Windows-1252: set "
                    ~ "--vars '{" ~ encoding_var ~ ": windows-1252}'"
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
    {%- set first_file = run_query(
        'select min(file) from glob(' ~ input_path_literal(input) ~ ')').columns[0].values()[0] -%}
    {%- if first_file is none -%}
        {{ exceptions.raise_compiler_error(
            input ~ "_path '" ~ input_path(input) ~ "' matches no file. Give the path of a CSV or "
            ~ "Parquet file, absolute or relative to the project root (where you run dbt).") }}
    {%- endif -%}
    {{ return(first_file) }}
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
