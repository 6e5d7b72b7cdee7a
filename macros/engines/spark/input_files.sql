{% macro spark__create_input_file_views() -%}
    {%- for input in ['customers', 'orders'] if execute and input_file_format(input) in ['csv', 'parquet'] -%}
        {%- set create_view = 'create or replace global temporary view ' ~ input_file(input).identifier -%}
        {%- set path_option = 'path ' ~ sql_string_literal(input_path(input)) -%}
        {%- if input_file_format(input) == 'parquet' -%}
            {%- do run_query(create_view ~ ' using parquet options (' ~ path_option ~ ')') -%}
        {%- else -%}
            {%- set encoding = {'utf-8': 'UTF-8', 'windows-1252': 'windows-1252', 'utf-16': 'UTF-16'}[
                input_encoding_var(input) or 'utf-8'] -%}
            {%- set options = path_option ~ ", header 'true', quote '\"', escape '\"', encoding '"
                ~ encoding ~ "'" ~ (", multiLine 'true'" if encoding == 'UTF-16' else '') -%}
            {#- the header split at commas, then at the delimiter it has most of -#}
            {%- set line = spark_csv_header(input, create_view, options, ',') | join(',') -%}
            {%- set delimiter = {'value': ',', 'count': 0} -%}
            {%- for candidate in [',', ';', '\t', '|'] if line.count(candidate) > delimiter.count -%}
                {%- do delimiter.update({'value': candidate, 'count': line.count(candidate)}) -%}
            {%- endfor -%}
            {%- set header = spark_csv_header(input, create_view, options, delimiter.value) -%}
            {%- set columns = [] -%}
            {%- for name in header -%}
                {%- do columns.append(quote_identifier(name) ~ ' string') -%}
            {%- endfor -%}
            {%- do run_query(create_view ~ ' (' ~ columns | join(', ') ~ ', _corrupt_record string) '
                ~ 'using csv options (' ~ options ~ ', sep ' ~ sql_string_literal(delimiter.value)
                ~ ", mode 'PERMISSIVE', columnNameOfCorruptRecord '_corrupt_record')") -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{% macro spark_csv_header(input, create_view, options, delimiter) -%}
    {%- do run_query(create_view ~ ' using csv options (' ~ options ~ ', sep '
        ~ sql_string_literal(delimiter) ~ ')') -%}
    {%- set header = adapter.get_columns_in_relation(input_file(input)) | map(attribute='name')
        | map('trim', '\ufeff \t\r\n') | list -%}
    {%- if header | length == 0 -%}
        {{ exceptions.raise_compiler_error("The file " ~ input_path(input) ~ " is empty: no header and no rows. "
            ~ "Export it again with a header line, e.g. " ~ example_header(input) ~ ", and one line per "
            ~ ('customer' if input == 'customers' else 'order') ~ ".") }}
    {%- endif -%}
    {{ return(header) }}
{%- endmacro %}

{% macro spark__input_file_headers(input) -%}
    {%- if input_file_format(input) == 'sample' -%}
        {{ return(sample_customers_header()) }}
    {%- elif input_file_format(input) == 'table' -%}
        {%- do check_input_table_exists(input) -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(input_file(input)) | map(attribute='name')
        | reject('equalto', '_corrupt_record') | list -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("Spark reads " ~ input_label(input) ~ " through " ~ input_file(input)
            ~ ", a view the on-run-start hook creates (dbt build, run, test, seed, source freshness); "
            ~ "dbt compile, show and docs generate run no hooks, so they cannot read a file on Spark.") }}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro spark__input_file_read(input) -%}
    {%- set file = input_file(input) -%}
    {%- set headers = input_file_headers(input) -%}
    {%- set is_csv = input_file_format(input) == 'csv' -%}
    {%- set columns = [] -%}
    {%- for header in headers -%}
        {%- do columns.append(('case when _corrupt_record is null then ' ~ quote_identifier(header)
            ~ ' end as ' if is_csv else '') ~ quote_identifier(header)) -%}
    {%- endfor -%}
    {%- do columns.append('_corrupt_record' if is_csv else 'cast(null as string) as _corrupt_record') -%}
    {%- set position = 'struct(input_file_name(), input_file_block_start(), spark_partition_id()) as block, '
        ~ 'monotonically_increasing_id() as record_id' -%}
    {%- set rows -%}
        with
        -- Spark reads a file in blocks, each in one task and in file order, where
        -- monotonically_increasing_id() counts the records one by one (a block: file, start, task)
        blocks as (
            select block, min(record_id) as first_record_id, count(*) as record_count
            from (select {{ position }} from {{ file }}) as block_records
            group by block
        ),

        -- the records before each block: those of the blocks before it (files by name)
        block_offsets as (
            select blocks.block, blocks.first_record_id, coalesce(sum(earlier.record_count), 0) as records_before
            from blocks
            left join blocks as earlier on earlier.block < blocks.block
            group by blocks.block, blocks.first_record_id
        )

        -- a second pass numbers each record from its block's offset (broadcast: no row moves)
        select /*+ broadcast(block_offsets) */
            records.*,
            block_offsets.records_before + records.record_id - block_offsets.first_record_id + 1 as file_row_number
        from (select {{ columns | join(', ') }}, {{ position }} from {{ file }}) as records
        inner join block_offsets on records.block = block_offsets.block
    {%- endset -%}
    {%- set line = run_query('select value from text.' ~ quote_identifier(input_path(input)) ~ ' limit 1').rows[0][0] if is_csv and execute else '' -%}
    {{ return({
        'delimiter': ';' if line.count(';') > [line.count(','), line.count('\t'), line.count('|')] | max else none,
        'rows': '(' ~ rows ~ ') as file_rows',
        'headers': headers,
        'row_number': 'file_row_number',
        'row_number_before_joins': 'file_row_number',
        'unreadable_record': '_corrupt_record',
    }) }}
{%- endmacro %}

{% macro spark__append_unreadable_lines(input) -%}
    {#- Spark keeps a line it cannot split in place, as its row's unreadable_record -#}
    {{ return('') }}
{%- endmacro %}
