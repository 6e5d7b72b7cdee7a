{#-
    Reading the input files: the customer file (var customers_path, else the bundled sample
    seed) and the orders file (var orders_path). `input` is 'customers' or 'orders'.

    `input_file_rows(input)` is the relation to read: the file read by DuckDB directly, every
    value as text, or the sample seed. For a CSV file it reads the whole file once to find the
    lines DuckDB cannot parse and the encoding; those lines are in
    `input_file_unreadable_lines(input)`. Only the staging models read them, so nothing else
    reads a file again. `input_columns(input, rows)` maps our column names to the file's
    headers: known aliases, the features by their normalized headers, then var column_map.
-#}

{% macro input_path(input) -%}
    {%- set path = var(input ~ '_path', none) -%}
    {%- if path is none or (path | string | trim) in ['', 'none', 'null'] -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(path | string | trim) }}
{%- endmacro %}


{#-
    Var customers_table: a table of customers already in the warehouse (schema.table, or a
    table of the target schema), read instead of a file; none when unset.
-#}
{% macro input_table(input) -%}
    {%- set name = var('customers_table', none) if input == 'customers' else none -%}
    {%- if name is none or (name | string | trim) in ['', 'none', 'null'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if input_path(input) is not none -%}
        {{ exceptions.raise_compiler_error(
            "vars customers_path and customers_table are both set: a build reads one customer "
            ~ "input. Unset one of them.") }}
    {%- endif -%}
    {{ return(name | string | trim) }}
{%- endmacro %}


{#-
    The input as dbt knows it: the source inputs.customer_file or inputs.orders_file (its
    location is the path var; see models/staging/_staging__sources.yml), the source
    warehouse.customer_table (var customers_table), else the bundled sample seed. Only staging
    models call it, so the DAG shows where every input is read.
-#}
{% macro input_file(input) -%}
    {%- if input_table(input) is not none -%}
        {{ return(source('warehouse', 'customer_table')) }}
    {%- elif input_path(input) is none -%}
        {{ return(ref('sample_customers')) }}
    {%- endif -%}
    {{ return(source('inputs', 'customer_file' if input == 'customers' else 'orders_file')) }}
{%- endmacro %}


{#- The file's path as a SQL string literal (the source's location is the same var). -#}
{% macro input_path_literal(input) -%}
    {{ return(sql_string_literal(input_path(input))) }}
{%- endmacro %}


{#- 'sample', 'table', 'csv' or 'parquet'; any other extension stops the build. -#}
{% macro input_file_format(input) -%}
    {%- set path = input_path(input) -%}
    {%- if input_table(input) is not none -%}
        {{ return('table') }}
    {%- elif path is none -%}
        {{ return('sample') }}
    {%- endif -%}
    {%- set lowered = path | lower -%}
    {%- if lowered.endswith('.parquet') or lowered.endswith('.pq') -%}
        {{ return('parquet') }}
    {%- elif lowered.endswith(('.csv', '.tsv', '.txt', '.csv.gz', '.tsv.gz', '.txt.gz')) -%}
        {{ return('csv') }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        input ~ "_path '" ~ path ~ "' is neither CSV (.csv, .tsv, .txt, optionally .gz) "
        ~ "nor Parquet (.parquet); convert it or rename it with the right extension.") }}
{%- endmacro %}


{% macro input_label(input) -%}
    {%- if input_table(input) is not none -%}
        {{ return('the table ' ~ input_table(input)) }}
    {%- elif input == 'customers' -%}
        {{ return(input_path(input) or 'the bundled sample seed (sample_customers)') }}
    {%- endif -%}
    {{ return(input_path(input)) }}
{%- endmacro %}


{#-
    Var <input>_encoding, checked against what DuckDB reads without extensions; none when
    unset (then UTF-16 is detected, else UTF-8 is tried and Latin-1 used when the file is
    not valid UTF-8).
-#}
{% macro input_encoding_var(input) -%}
    {%- set name = input ~ '_encoding' -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value | string | trim | lower) in ['', 'none', 'null', 'auto'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set spellings = {
        'utf-8': 'utf-8', 'utf8': 'utf-8',
        'latin-1': 'latin-1', 'latin1': 'latin-1', 'iso-8859-1': 'latin-1',
        'iso8859-1': 'latin-1', 'cp1252': 'latin-1', 'windows-1252': 'latin-1',
        'utf-16': 'utf-16', 'utf16': 'utf-16',
    } -%}
    {%- set key = value | string | trim | lower -%}
    {%- if key not in spellings -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' is '" ~ value ~ "'; use utf-8, latin-1 (also for Windows-1252 "
            ~ "files from Excel) or utf-16, or leave it unset to detect UTF-8 / Latin-1.") }}
    {%- endif -%}
    {{ return(spellings[key]) }}
{%- endmacro %}


{#-
    read_csv of the file, every value as text (staging casts and reports what does not parse).
    A line DuckDB cannot parse (more or fewer fields than the header, ...) is skipped here and
    recorded in the temp table <input>_file_reject_errors, so that scan_input_file() can
    return it as a rejected row: never lost, never fatal.
-#}
{% macro input_csv_reader(input, encoding) -%}
    {{ return(
        'read_csv(' ~ input_path_literal(input) ~ ', header = true, all_varchar = true, '
        ~ "encoding = '" ~ encoding ~ "', store_rejects = true, "
        ~ "rejects_table = '" ~ input ~ "_file_reject_errors', "
        ~ "rejects_scan = '" ~ input ~ "_file_reject_scans')") }}
{%- endmacro %}


{#-
    Reads the whole CSV once (execute time only) to find the lines DuckDB cannot parse and the
    encoding. Leaves them in the temp table <input>_file_unreadable_lines of this connection
    (one row per line: line_number, data_row_estimate, error_type, error_message, raw_line)
    and returns the encoding to read with.
-#}
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


{#-
    Whether the CSV file is UTF-16 (little-endian, as Excel's "Unicode Text" and Windows tools
    write it): read as Latin-1, which decodes any byte, its header has a NUL byte beside every
    ASCII character. Describing the read sniffs only the start of the file. DuckDB reads
    little-endian UTF-16 only; a big-endian byte-order mark stops the build, saying what to do.
-#}
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


{#- Stops the build when var customers_table names no table of the warehouse. -#}
{% macro check_input_table_exists(input) -%}
    {%- if load_relation(input_file(input)) is none -%}
        {{ exceptions.raise_compiler_error(
            "customers_table '" ~ input_table(input) ~ "' is not a table of the warehouse ("
            ~ input_file(input) ~ " does not exist). Give schema.table, or a table of the target "
            ~ "schema '" ~ target.schema ~ "'.") }}
    {%- endif -%}
{%- endmacro %}


{#- Stops the build when the path matches no file (before DuckDB's own message). -#}
{% macro check_input_file_exists(input) -%}
    {%- set matches = run_query(
        'select count(*) from glob(' ~ input_path_literal(input) ~ ')').columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error(
            input ~ "_path '" ~ input_path(input) ~ "' matches no file. Give the path of a CSV or "
            ~ "Parquet file, absolute or relative to the project root (where you run dbt).") }}
    {%- endif -%}
{%- endmacro %}


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
    DuckDB reads the file in place (the sample seed when customers_path is unset); for a CSV
    file it first reads the whole file once to find the lines it cannot parse and the encoding
    (scan_input_file), and leaves those lines in a temp table.
-#}
{% macro default__input_file_read(input) -%}
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
    {%- endif -%}
    {{ return(read) }}
{%- endmacro %}


{#- The header of the bundled sample seed (known without reading it: dbt compile and docs
    generate work before the first build). -#}
{% macro sample_customers_header() -%}
    {{ return(['customer_id', 'gender', 'age', 'annual_income_k', 'spending_score_1_100']) }}
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

{#-
    DuckDB: a CSV file read as Latin-1 (which decodes any byte), decoded again as UTF-8 when
    that is what the bytes are, a byte-order mark and quotes taken off. Describing a read
    sniffs only the start of the file.
-#}
{% macro default__input_file_headers(input) -%}
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
    {{ return(headers) }}
{%- endmacro %}


{#-
    The columns an input provides: {our name: {'required': bool, 'aliases': [...]}}. For the
    customer file: the known columns and the features; for orders: id, order id, date, amount
    (or price and quantity).
-#}
{% macro input_column_spec(input) -%}
    {%- if input == 'orders' -%}
        {{ return({
            'customer_id': {'required': true, 'aliases': known_customer_columns().customer_id.aliases},
            'order_id': {'required': false, 'aliases': ['order_id', 'orderid', 'order_no', 'order_number',
                                                        'invoice', 'invoice_id', 'invoice_no', 'invoiceno',
                                                        'invoice_number', 'transaction_id']},
            'order_date': {'required': true, 'aliases': ['order_date', 'date', 'invoice_date',
                                                         'invoicedate', 'order_datetime', 'purchase_date',
                                                         'transaction_date', 'created_at', 'ordered_at']},
            'amount': {'required': false, 'aliases': ['amount', 'total', 'revenue', 'order_total',
                                                      'total_amount', 'order_amount', 'order_value',
                                                      'sales', 'sale_amount', 'line_total', 'value']},
            'price': {'required': false, 'aliases': ['price', 'unit_price', 'unitprice', 'item_price']},
            'quantity': {'required': false, 'aliases': ['quantity', 'qty', 'units']},
        }) }}
    {%- endif -%}
    {%- set spec = {} -%}
    {%- for name, known in known_customer_columns().items() -%}
        {%- do spec.update({name: {
            'required': name == 'customer_id' or name in segment_feature_names(),
            'aliases': known.aliases}}) -%}
    {%- endfor -%}
    {%- for feature in segment_features() if feature.source == 'customers' and feature.name not in spec -%}
        {%- do spec.update({feature.name: {'required': true, 'aliases': [feature.name]}}) -%}
    {%- endfor -%}
    {%- for feature in categorical_features() if feature.name not in spec -%}
        {%- do spec.update({feature.name: {'required': true, 'aliases': [feature.name]}}) -%}
    {%- endfor -%}
    {{ return(spec) }}
{%- endmacro %}


{#-
    {our column: {'column': quoted header or none, 'header': the header text or none}} of the
    input, given its `headers` (input_file_read().headers; none: input_file_headers(), for
    labels). Stops the build when a required column is missing, naming it, the headers found,
    and the var that maps it (column_map, orders_column_map).
-#}
{% macro input_columns(input, headers=none) -%}
    {%- set spec = input_column_spec(input) -%}
    {%- set map_var = 'column_map' if input == 'customers' else 'orders_column_map' -%}
    {%- if not execute -%}
        {#- Parsing: the file is not read yet; any valid SQL will do. -#}
        {%- set placeholder = {} -%}
        {%- for name in spec -%}
            {%- do placeholder.update({name: {'column': quote_identifier(name), 'header': name}}) -%}
        {%- endfor -%}
        {{ return(placeholder) }}
    {%- endif -%}
    {%- set headers = headers if headers is not none else input_file_headers(input) -%}
    {%- do check_input_file_has_a_header(input, headers) -%}
    {%- set mapped = {} -%}

    {%- set column_map = var(map_var, {}) or {} -%}
    {%- if column_map is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ map_var ~ "' must map our column names to your headers, e.g. "
            ~ "{customer_id: \"Client Number\"}; got: " ~ column_map) }}
    {%- endif -%}
    {%- for name, header in column_map.items() -%}
        {%- if name not in spec -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ map_var ~ "' has the key '" ~ name ~ "', which is not one of our columns: "
                ~ spec.keys() | join(', ') ~ " (a feature is a column when var features names it).") }}
        {%- endif -%}
        {%- set found = [] -%}
        {%- for candidate in headers -%}
            {%- if candidate == header or (candidate | trim | lower) == (header | string | trim | lower) -%}
                {%- do found.append(candidate) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if found | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ map_var ~ "' maps " ~ name ~ " to '" ~ header ~ "', but "
                ~ input_label(input) ~ " has no such column. Its columns are: "
                ~ headers | join(', ') ~ ".") }}
        {%- endif -%}
        {%- do mapped.update({name: found[0]}) -%}
    {%- endfor -%}

    {%- for name, column in spec.items() if name not in mapped -%}
        {%- for spelling in column.aliases if name not in mapped -%}
            {%- for header in headers if name not in mapped
                and spelling in [normalize_header(header), normalize_camel_case_header(header)] -%}
                {%- do mapped.update({name: header}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}

    {%- for name, column in spec.items() if column.required and name not in mapped -%}
        {{ exceptions.raise_compiler_error(
            "The file " ~ input_label(input) ~ " has no column for '" ~ name
            ~ "'. Its columns are: " ~ headers | join(', ') ~ ". Rename that column, or map it: "
            ~ "--vars '{" ~ map_var ~ ": {" ~ name ~ ": \"<your header>\"}}'."
            ~ header_hint(input, headers)) }}
    {%- endfor -%}
    {%- if input == 'orders' and 'amount' not in mapped and ('price' not in mapped or 'quantity' not in mapped) -%}
        {{ exceptions.raise_compiler_error(
            "The orders file " ~ input_label(input) ~ " has no column for 'amount' (nor price and "
            ~ "quantity to multiply). Its columns are: " ~ headers | join(', ') ~ ". Map it: "
            ~ "--vars '{orders_column_map: {amount: \"<your header>\"}}'.") }}
    {%- endif -%}
    {%- if input == 'orders' and 'amount' in mapped -%}
        {#- an amount column wins over price x quantity -#}
        {%- do mapped.pop('price', none) -%}
        {%- do mapped.pop('quantity', none) -%}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for name in spec -%}
        {%- do columns.update({name: {
            'column': quote_identifier(mapped[name]) if name in mapped else none,
            'header': mapped.get(name)}}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{#-
    Stops the build on a file with nothing in it: DuckDB reads an empty file as one column
    named column0, which would otherwise surface as a puzzling "no column" message.
-#}
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


{% macro example_header(input) -%}
    {{ return('CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)' if input == 'customers'
        else 'Order ID,Customer ID,Order Date,Amount') }}
{%- endmacro %}


{#- A hint for the usual causes of unrecognised headers: no header line, an odd delimiter. -#}
{% macro header_hint(input, headers) -%}
    {%- set numeric = [] -%}
    {%- for header in headers if modules.re.fullmatch('\\s*[-+]?[0-9][0-9.,]*\\s*', header | string) -%}
        {%- do numeric.append(header) -%}
    {%- endfor -%}
    {%- if numeric | length > 0 -%}
        {{ return(" The first line looks like data, not a header (" ~ numeric | join(', ')
            ~ " are numbers): add a header line such as " ~ example_header(input) ~ ".") }}
    {%- elif headers | length == 1 -%}
        {{ return(" DuckDB found a single column: the delimiter was not recognised (comma, "
            ~ "semicolon, tab and | are). Save the file with one of those.") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}


{#-
    The 1-based position of each row in a stored table, from DuckDB's rowid (rows keep the
    order they were inserted in). A unit test's rows have no rowid: they are numbered in the
    order given.
-#}
{% macro table_row_number(relation) -%}
    {%- if is_unit_test_rows(relation) -%}
        {{ return('row_number() over ()') }}
    {%- endif -%}
    {{ return('rowid + 1') }}
{%- endmacro %}


{#-
    Whether a staged file (given as `relation`) holds any line DuckDB could not parse.
    True when that cannot be asked (parsing, a unit test's rows, `dbt compile` before the first
    build): the general SQL is right either way, the shortcut only saves time.
-#}
{% macro file_has_unreadable_lines(relation) -%}
    {%- if not can_query_at_compile_time(relation) -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set found = run_query(
        'select count(*) from ' ~ relation ~ ' where unreadable_line_number is not null'
    ).columns[0].values()[0] -%}
    {{ return(found > 0) }}
{%- endmacro %}



{#-
    The freshness query of the orders source: the latest order date of the file, read with
    its date column and date format (run by `dbt source freshness`).
-#}
{% macro latest_order_date_query() -%}
    {%- set order_date = 'cast(' ~ input_columns('orders').order_date.column ~ ' as string)' -%}
    {{ return('select max(cast(' ~ parse_order_date(order_date) ~ ' as timestamp)) from '
        ~ adapter.dispatch('orders_file_rows', 'customer_segments')()) }}
{%- endmacro %}

{#- DuckDB reads the file directly, without staging's scan (any byte decodes as Latin-1). -#}
{% macro default__orders_file_rows() -%}
    {%- if input_file_format('orders') == 'parquet' -%}
        {{ return('read_parquet(' ~ input_path_literal('orders') ~ ')') }}
    {%- endif -%}
    {{ return(input_csv_reader('orders', input_encoding_var('orders') or 'latin-1')) }}
{%- endmacro %}

{#- Spark reads it as staging does. -#}
{% macro spark__orders_file_rows() -%}
    {{ return(input_file_read('orders').rows) }}
{%- endmacro %}
