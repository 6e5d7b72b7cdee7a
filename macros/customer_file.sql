{#-
    Where customers come from and which of their columns are which.

    `customer_file_rows()` is the relation to read: the user's file (var `customers_path`, CSV
    or Parquet, read by DuckDB directly, every value as text) or the bundled sample seed.
    `customer_file_unreadable_lines()` holds the CSV lines DuckDB could not parse. Only
    stg_customer_file_rows reads them: it stores both, so nothing else reads the file again.
    `customer_columns(rows)` maps our column names to the file's headers: known aliases first
    (`Genre`, `CustomerID`, `Annual Income (k$)`, snake_case, ...), then var `column_map`.
-#}

{#- Header spellings seen in the wild, after normalize_header(); first match wins. -#}
{% macro customer_column_aliases() -%}
    {{ return({
        'customer_id': ['customer_id', 'customerid', 'cust_id', 'client_id', 'customer_no',
                        'customer_number', 'id', 'customer'],
        'gender': ['gender', 'genre', 'sex'],
        'age': ['age', 'age_years', 'customer_age'],
        'annual_income': ['annual_income', 'annual_income_k', 'annual_income_k_usd',
                          'annual_income_kusd', 'income', 'income_k', 'annual_income_usd_k'],
        'spending_score': ['spending_score', 'spending_score_1_100', 'spend_score', 'score'],
    }) }}
{%- endmacro %}


{#- Columns a file must have; the other customer columns are optional. -#}
{% macro required_customer_columns() -%}
    {{ return(['customer_id'] + segment_features()) }}
{%- endmacro %}


{#- 'Annual Income (k$)' -> 'annual_income_k', 'CustomerID' -> 'customer_id'. -#}
{% macro normalize_header(header) -%}
    {%- set re = modules.re -%}
    {%- set text = re.sub('([a-z0-9])([A-Z])', '\\1_\\2', header | string | trim) -%}
    {{ return(re.sub('[^a-z0-9]+', '_', text | lower).strip('_')) }}
{%- endmacro %}


{% macro quote_identifier(name) -%}
    {{ return('"' ~ (name | replace('"', '""')) ~ '"') }}
{%- endmacro %}


{% macro customers_path() -%}
    {%- set path = var('customers_path', none) -%}
    {%- if path is none or (path | string | trim) in ['', 'none', 'null'] -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(path | string | trim) }}
{%- endmacro %}


{#- The path as a SQL string literal: quotes doubled, so a path can never end the literal. -#}
{% macro customers_path_literal() -%}
    {{ return("'" ~ (customers_path() | replace("'", "''")) ~ "'") }}
{%- endmacro %}


{#- 'sample', 'csv' or 'parquet'; any other extension stops the build. -#}
{% macro customer_file_format() -%}
    {%- set path = customers_path() -%}
    {%- if path is none -%}
        {{ return('sample') }}
    {%- endif -%}
    {%- set lowered = path | lower -%}
    {%- if lowered.endswith('.parquet') or lowered.endswith('.pq') -%}
        {{ return('parquet') }}
    {%- elif lowered.endswith(('.csv', '.tsv', '.txt', '.csv.gz', '.tsv.gz', '.txt.gz')) -%}
        {{ return('csv') }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "customers_path '" ~ path ~ "' is neither CSV (.csv, .tsv, .txt, optionally .gz) "
        ~ "nor Parquet (.parquet); convert it or rename it with the right extension.") }}
{%- endmacro %}


{#-
    Var customers_encoding, checked against what DuckDB reads without extensions; none when
    unset (then UTF-8 is tried first and Latin-1 used when the file is not valid UTF-8).
-#}
{% macro customers_encoding_var() -%}
    {%- set value = var('customers_encoding', none) -%}
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
            "var 'customers_encoding' is '" ~ value ~ "'; use utf-8, latin-1 (also for Windows-1252 "
            ~ "files from Excel) or utf-16, or leave it unset to detect UTF-8 / Latin-1.") }}
    {%- endif -%}
    {{ return(spellings[key]) }}
{%- endmacro %}


{#-
    read_csv of the customer file. Every value is read as text (staging casts and reports what
    does not parse). A line DuckDB cannot parse (more or fewer fields than the header, ...) is
    skipped here and recorded in the temp table customer_file_reject_errors, so
    scan_customer_file() can return it as a rejected row: never lost, never fatal.
-#}
{% macro customer_csv_reader(encoding) -%}
    {{ return(
        'read_csv(' ~ customers_path_literal() ~ ', header = true, all_varchar = true, '
        ~ "encoding = '" ~ encoding ~ "', store_rejects = true, "
        ~ "rejects_table = 'customer_file_reject_errors', "
        ~ "rejects_scan = 'customer_file_reject_scans')") }}
{%- endmacro %}


{#-
    Reads the whole CSV once (execute time only) to find the lines DuckDB cannot parse and the
    encoding. Leaves them in the temp table customer_file_unreadable_lines of this connection
    (one row per line: line_number, data_row_estimate, error_type, error_message, raw_line)
    and returns the encoding to read with.
-#}
{% macro scan_customer_file() -%}
    {%- set forced = customers_encoding_var() -%}
    {%- set encoding = forced or ('utf-16' if customer_file_is_utf16() else 'utf-8') -%}
    {%- set unreadable = scan_customer_file_with(encoding) -%}
    {%- if encoding == 'utf-8' and unreadable.invalid_encoding_lines > 0 -%}
        {%- if forced -%}
            {{ exceptions.raise_compiler_error(
                "The customer file " ~ customers_path() ~ " is not valid UTF-8 (first at line "
                ~ unreadable.first_invalid_line ~ "), but var 'customers_encoding' says utf-8. "
                ~ "Files saved by Excel on Windows are usually Latin-1 / Windows-1252: set "
                ~ "--vars '{customers_encoding: latin-1}', or leave the var unset to detect it.") }}
        {%- endif -%}
        {#- Latin-1 decodes any byte: the usual encoding of spreadsheets that are not UTF-8. -#}
        {%- set encoding = 'latin-1' -%}
        {%- do scan_customer_file_with(encoding) -%}
    {%- endif -%}
    {{ return(encoding) }}
{%- endmacro %}


{#-
    Whether the CSV file is UTF-16 (little-endian, as Excel's "Unicode Text" and Windows tools
    write it): read as Latin-1, which decodes any byte, its header has a NUL byte beside every
    ASCII character. Describing the read sniffs only the start of the file. DuckDB reads
    little-endian UTF-16 only; a big-endian byte-order mark stops the build, saying what to do.
-#}
{% macro customer_file_is_utf16() -%}
    {%- set header = run_query(
        "select count(*) filter (where contains(column_name, chr(0))), "
        ~ "bool_or(starts_with(column_name, chr(254) || chr(255))) "
        ~ "from (describe select * from " ~ customer_csv_reader('latin-1') ~ ")") -%}
    {%- if header.columns[1].values()[0] -%}
        {{ exceptions.raise_compiler_error(
            "The customer file " ~ customers_path() ~ " is UTF-16 big-endian, which DuckDB "
            ~ "does not read. Save it as UTF-8 CSV (or UTF-16 little-endian, \"Unicode Text\" "
            ~ "in Excel).") }}
    {%- endif -%}
    {{ return(header.columns[0].values()[0] > 0) }}
{%- endmacro %}


{% macro scan_customer_file_with(encoding) -%}
    {%- do run_query('drop table if exists temp.main.customer_file_reject_errors') -%}
    {%- do run_query('drop table if exists temp.main.customer_file_reject_scans') -%}
    {#- count(columns(*)) makes DuckDB decode every value, so bad bytes are found too. -#}
    {%- do run_query('select count(columns(*)) from ' ~ customer_csv_reader(encoding)) -%}
    {#- One row per line; a line of spaces is a blank line to the file's reader, not a row. -#}
    {%- do run_query(
        "create or replace temp table customer_file_unreadable_lines as "
        ~ "select errors.line as line_number, "
        ~ "errors.line - 1 - coalesce(any_value(scans.skip_rows), 0) as data_row_estimate, "
        ~ "arg_min(errors.error_type, errors.column_idx) as error_type, "
        ~ "arg_min(errors.error_message, errors.column_idx) as error_message, "
        ~ "trim(any_value(errors.csv_line), chr(13) || chr(10)) as raw_line "
        ~ "from temp.main.customer_file_reject_errors as errors "
        ~ "left join temp.main.customer_file_reject_scans as scans using (scan_id, file_id) "
        ~ "group by errors.line "
        ~ "having trim(any_value(errors.csv_line), chr(13) || chr(10) || ' ' || chr(9)) <> ''") -%}
    {%- set summary = run_query(
        "select count(*) filter (where error_type = 'INVALID ENCODING'), "
        ~ "min(line_number) filter (where error_type = 'INVALID ENCODING') "
        ~ "from temp.main.customer_file_unreadable_lines") -%}
    {{ return({
        'invalid_encoding_lines': summary.columns[0].values()[0],
        'first_invalid_line': summary.columns[1].values()[0],
    }) }}
{%- endmacro %}


{#- Stops the build when customers_path matches no file (before DuckDB's own message). -#}
{% macro check_customer_file_exists() -%}
    {%- set matches = run_query(
        'select count(*) from glob(' ~ customers_path_literal() ~ ')').columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error(
            "customers_path '" ~ customers_path() ~ "' matches no file. Give the path of a CSV or "
            ~ "Parquet file, absolute or relative to the project root (where you run dbt).") }}
    {%- endif -%}
{%- endmacro %}


{#-
    The rows of the customer file that DuckDB could read, in file order, every value as text.
    (The bundled sample seed when customers_path is unset.) For a CSV file this reads the
    whole file once (scan_customer_file): call it once per model and reuse what it returns.
-#}
{% macro customer_file_rows() -%}
    {%- set file_format = customer_file_format() -%}
    {%- if file_format == 'sample' -%}
        {{ return(ref('sample_customers')) }}
    {%- endif -%}
    {%- if execute -%}
        {%- do check_customer_file_exists() -%}
    {%- endif -%}
    {%- if file_format == 'parquet' -%}
        {{ return('read_parquet(' ~ customers_path_literal() ~ ')') }}
    {%- endif -%}
    {%- set encoding = scan_customer_file() if execute else 'utf-8' -%}
    {{ return(customer_csv_reader(encoding)) }}
{%- endmacro %}


{#-
    One row per line of a CSV file that DuckDB could not parse: line_number (in the file),
    data_row_estimate (its position among data rows when no blank or multi-line rows precede
    it), error_type, error_message, raw_line. Empty for Parquet and the sample.
    Call after customer_file_rows(), which fills the temp table.
-#}
{% macro customer_file_unreadable_lines() -%}
    {%- if customer_file_format() == 'csv' and execute -%}
        {{ return('temp.main.customer_file_unreadable_lines') }}
    {%- endif -%}
    {{ return(
        '(select null::bigint as line_number, null::bigint as data_row_estimate, '
        ~ 'null::varchar as error_type, null::varchar as error_message, '
        ~ 'null::varchar as raw_line where false)') }}
{%- endmacro %}


{% macro customer_source_label() -%}
    {{ return(customers_path() or 'the bundled sample seed (sample_customers)') }}
{%- endmacro %}


{#-
    {our column: quoted source column or none} of `rows` (what customer_file_rows() returned:
    the caller reads the file once and passes it here). Stops the build when a required column
    is missing, naming it, the headers found, and the var that maps it.
-#}
{% macro customer_columns(rows) -%}
    {%- set aliases = customer_column_aliases() -%}
    {%- if not execute -%}
        {#- Parsing: the file is not read yet; any valid SQL will do. -#}
        {%- set placeholder = {} -%}
        {%- for name in aliases -%}{%- do placeholder.update({name: quote_identifier(name)}) -%}{%- endfor -%}
        {{ return(placeholder) }}
    {%- endif -%}

    {%- if is_unit_test_rows(rows)
        or (customer_file_format() == 'sample' and load_relation(rows) is none) -%}
        {#- The sample as a unit test's rows, or not loaded yet (`dbt compile` before the first
            build): nothing to describe, the seed's header. -#}
        {%- set headers = ['customer_id', 'gender', 'age', 'annual_income_k', 'spending_score_1_100'] -%}
    {%- else -%}
        {%- set headers = run_query('describe select * from ' ~ rows).columns[0].values() | list -%}
    {%- endif -%}
    {%- do check_customer_file_has_a_header(headers, rows) -%}
    {%- set mapped = {} -%}

    {%- set column_map = var('column_map', {}) or {} -%}
    {%- if column_map is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var 'column_map' must map our column names to your headers, e.g. "
            ~ "{customer_id: \"Client Number\"}; got: " ~ column_map) }}
    {%- endif -%}
    {%- for name, header in column_map.items() -%}
        {%- if name not in aliases -%}
            {{ exceptions.raise_compiler_error(
                "var 'column_map' has the key '" ~ name ~ "', which is not one of our columns: "
                ~ aliases.keys() | join(', ') ~ ".") }}
        {%- endif -%}
        {%- set found = [] -%}
        {%- for candidate in headers -%}
            {%- if candidate == header or (candidate | trim | lower) == (header | string | trim | lower) -%}
                {%- do found.append(candidate) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if found | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "var 'column_map' maps " ~ name ~ " to '" ~ header ~ "', but "
                ~ customer_source_label() ~ " has no such column. Its columns are: "
                ~ headers | join(', ') ~ ".") }}
        {%- endif -%}
        {%- do mapped.update({name: quote_identifier(found[0])}) -%}
    {%- endfor -%}

    {%- for name, spellings in aliases.items() if name not in mapped -%}
        {%- for spelling in spellings if name not in mapped -%}
            {%- for header in headers if name not in mapped and normalize_header(header) == spelling -%}
                {%- do mapped.update({name: quote_identifier(header)}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}

    {%- for name in required_customer_columns() if name not in mapped -%}
        {{ exceptions.raise_compiler_error(
            "The customer file " ~ customer_source_label() ~ " has no column for '" ~ name
            ~ "'. Its columns are: " ~ headers | join(', ') ~ ". Rename that column, or map it: "
            ~ "--vars '{column_map: {" ~ name ~ ": \"<your header>\"}}'."
            ~ header_hint(headers)) }}
    {%- endfor -%}
    {%- for name in aliases if name not in mapped -%}
        {%- do mapped.update({name: none}) -%}
    {%- endfor -%}
    {{ return(mapped) }}
{%- endmacro %}


{#-
    Stops the build on a file with nothing in it: DuckDB reads an empty file as one column
    named column0, which would otherwise surface as a puzzling "no column" message.
-#}
{% macro check_customer_file_has_a_header(headers, rows) -%}
    {%- if customer_file_format() != 'csv' or headers != ['column0'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if run_query('select count(*) from ' ~ rows).columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The customer file " ~ customers_path() ~ " is empty: no header and no rows. Export "
            ~ "it again with a header line, e.g. CustomerID,Gender,Age,Annual Income (k$),"
            ~ "Spending Score (1-100), and one line per customer.") }}
    {%- endif -%}
{%- endmacro %}


{#- A hint for the usual causes of unrecognised headers: no header line, an odd delimiter. -#}
{% macro header_hint(headers) -%}
    {%- set re = modules.re -%}
    {%- set numeric = [] -%}
    {%- for header in headers if re.fullmatch('\\s*[-+]?[0-9][0-9.,]*\\s*', header | string) -%}
        {%- do numeric.append(header) -%}
    {%- endfor -%}
    {%- if numeric | length > 0 -%}
        {{ return(" The first line looks like data, not a header (" ~ numeric | join(', ')
            ~ " are numbers): add a header line such as "
            ~ "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100).") }}
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
    Whether stg_customer_file_rows (given as `relation`) holds any line DuckDB could not parse.
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
