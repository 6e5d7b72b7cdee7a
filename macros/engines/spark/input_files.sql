{% macro spark__input_file_read(input) -%}
    {%- set file_format = input_file_format(input) -%}
    {%- set file = input_file(input) -%}
    {%- set read = {
        'row_number': 'file_row_number',
        'unreadable_record': 'cast(null as string)',
    } -%}
    {%- if file_format == 'sample' or not execute -%}
        {#- the seed (a unit test's rows), or parsing: any valid SQL will do -#}
        {%- do read.update({
            'rows': '(select *, row_number() over (order by monotonically_increasing_id()) '
                ~ 'as file_row_number from ' ~ file ~ ') as file_rows',
            'headers': sample_customers_header(),
        }) -%}
    {%- elif file_format == 'table' -%}
        {%- do check_input_table_exists(input) -%}
        {%- do read.update({
            'rows': '(select *, row_number() over (order by monotonically_increasing_id()) '
                ~ 'as file_row_number from ' ~ file ~ ') as file_rows',
            'headers': run_query('select * from ' ~ file ~ ' limit 0').column_names | list,
        }) -%}
    {%- elif file_format == 'parquet' -%}
        {%- set parquet = spark_parquet_file(input) -%}
        {%- do read.update({
            'rows': '(select *, row_number() over (order by _metadata.file_path, _metadata.row_index) '
                ~ 'as file_row_number from ' ~ parquet ~ ') as file_rows',
            'headers': run_query('select * from ' ~ parquet ~ ' limit 0').column_names | list,
        }) -%}
    {%- else -%}
        {%- set headers = spark_csv_headers(input) -%}
        {%- set view = input ~ '_file_records' -%}
        {%- set columns = [] -%}
        {%- set values = [] -%}
        {%- for header in headers -%}
            {%- do columns.append(quote_identifier(header) ~ ' string') -%}
            {%- do values.append('case when _corrupt_record is null then ' ~ quote_identifier(header)
                ~ ' end as ' ~ quote_identifier(header)) -%}
        {%- endfor -%}
        {#- Without this, Spark fills _corrupt_record only when every column is read. -#}
        {%- do run_query('set spark.sql.csv.parser.columnPruning.enabled = false') -%}
        {%- do run_query(
            'create or replace temporary view ' ~ view ~ ' (' ~ columns | join(', ')
            ~ ', _corrupt_record string) using csv options (' ~ spark_csv_options(input)
            ~ ", mode 'PERMISSIVE', columnNameOfCorruptRecord '_corrupt_record')") -%}
        {%- do read.update({
            'rows': '(select ' ~ values | join(', ') ~ ', _corrupt_record, '
                ~ 'row_number() over (order by input_file_name(), monotonically_increasing_id()) '
                ~ 'as file_row_number from ' ~ view ~ ') as file_rows',
            'headers': headers,
            'unreadable_record': '_corrupt_record',
        }) -%}
    {%- endif -%}
    {{ return(read) }}
{%- endmacro %}


{% macro spark__input_file_headers(input) -%}
    {%- set file_format = input_file_format(input) -%}
    {%- if file_format == 'sample' -%}
        {{ return(sample_customers_header()) }}
    {%- elif file_format == 'table' -%}
        {%- do check_input_table_exists(input) -%}
        {{ return(run_query('select * from ' ~ input_file(input) ~ ' limit 0').column_names | list) }}
    {%- elif file_format == 'parquet' -%}
        {{ return(run_query('select * from ' ~ spark_parquet_file(input) ~ ' limit 0').column_names | list) }}
    {%- endif -%}
    {{ return(spark_csv_headers(input)) }}
{%- endmacro %}


{% macro spark__append_unreadable_lines(input) -%}
    {#- Spark keeps a line it cannot split in place, as its row's unreadable_record -#}
    {{ return('') }}
{%- endmacro %}


{% macro spark_parquet_file(input) -%}
    {{ return('parquet.' ~ quote_identifier(input_path(input))) }}
{%- endmacro %}


{% macro spark_csv_headers(input) -%}
    {%- do run_query(
        'create or replace temporary view ' ~ input ~ '_file_header using csv options ('
        ~ spark_csv_options(input) ~ ')') -%}
    {%- set headers = [] -%}
    {%- for header in run_query('select * from ' ~ input ~ '_file_header limit 0').column_names -%}
        {%- do headers.append(header.lstrip('\ufeff').strip()) -%}
    {%- endfor -%}
    {%- if headers | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The file " ~ input_path(input) ~ " is empty: no header and no rows. Export "
            ~ "it again with a header line, e.g. " ~ example_header(input) ~ ", and one line per "
            ~ ('customer' if input == 'customers' else 'order') ~ ".") }}
    {%- endif -%}
    {{ return(headers) }}
{%- endmacro %}


{% macro spark_csv_options(input) -%}
    {%- set first_line = run_query(
        'select value from text.' ~ quote_identifier(input_path(input)) ~ ' limit 1'
    ).columns[0].values() -%}
    {%- set first_line = first_line[0] if first_line | length > 0 else '' -%}
    {%- set delimiter = {'value': ',', 'count': 0} -%}
    {%- for candidate in [',', ';', '\t', '|'] -%}
        {%- if first_line.count(candidate) > delimiter.count -%}
            {%- do delimiter.update({'value': candidate, 'count': first_line.count(candidate)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set encodings = {'utf-8': 'UTF-8', 'latin-1': 'ISO-8859-1', 'utf-16': 'UTF-16'} -%}
    {%- set encoding = encodings[input_encoding_var(input) or 'utf-8'] -%}
    {{ return(
        'path ' ~ sql_string_literal(input_path(input)) ~ ", header 'true', "
        ~ 'sep ' ~ sql_string_literal(delimiter.value) ~ ", quote '\"', escape '\"', "
        ~ "encoding '" ~ encoding ~ "'" ~ (", multiLine 'true'" if encoding == 'UTF-16' else '')) }}
{%- endmacro %}
