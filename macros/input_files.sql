{% macro input_path(input) -%}
    {%- set path = var(input ~ '_path', none) -%}
    {%- if path is none or (path | string | trim) in ['', 'none', 'null'] -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(path | string | trim) }}
{%- endmacro %}


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


{% macro input_file(input) -%}
    {%- if input_table(input) is not none -%}
        {{ return(source('warehouse', 'customer_table')) }}
    {%- elif input_path(input) is none -%}
        {{ return(ref('sample_customers')) }}
    {%- endif -%}
    {{ return(source('inputs', 'customer_file' if input == 'customers' else 'orders_file')) }}
{%- endmacro %}


{% macro input_path_literal(input) -%}
    {{ return(sql_string_literal(input_path(input))) }}
{%- endmacro %}


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


{% macro input_encoding_var(input) -%}
    {%- set name = input ~ '_encoding' -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value | string | trim | lower) in ['', 'none', 'null', 'auto'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set spellings = {'utf-8': 'utf-8', 'utf8': 'utf-8', 'utf-16': 'utf-16', 'utf16': 'utf-16'} -%}
    {%- do spellings.update(dict.fromkeys(['windows-1252', 'cp1252', 'latin-1', 'latin1', 'iso-8859-1', 'iso8859-1'], 'windows-1252')) -%}
    {%- set key = value | string | trim | lower -%}
    {%- if key not in spellings -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' is '" ~ value ~ "'; use utf-8, windows-1252 (also for Latin-1) or "
            ~ "utf-16, or leave it unset to read UTF-8, or UTF-16 when the file's header is.") }}
    {%- endif -%}
    {{ return(spellings[key]) }}
{%- endmacro %}


{% macro check_input_table_exists(input) -%}
    {%- if load_relation(input_file(input)) is none -%}
        {{ exceptions.raise_compiler_error(
            "customers_table '" ~ input_table(input) ~ "' is not a table of the warehouse ("
            ~ input_file(input) ~ " does not exist). Give schema.table, or a table of the target "
            ~ "schema '" ~ target.schema ~ "'.") }}
    {%- endif -%}
{%- endmacro %}


{% macro sample_customers_header() -%}
    {{ return(['customer_id', 'gender', 'age', 'annual_income_k', 'spending_score_1_100']) }}
{%- endmacro %}


{% macro input_columns(input, headers=none) -%}
    {#- our columns, each required or not, with the normalized headers that name it: an orders
        file's are fixed; a customer file's are the catalog's and every column the vars name -#}
    {%- if input == 'orders' -%}
        {#- a bare Id of an orders export is the order's (Shopify's); its customer may be an email -#}
        {%- set spec = {
            'customer_id': {'required': true, 'aliases': attribute_catalog().customer_id.aliases
                | reject('equalto', 'id') | list + ['email', 'customer_email', 'email_billing', 'billing_email']},
            'order_id': {'required': false, 'aliases': ['order_id', 'orderid', 'order_no', 'order_number',
                                                        'invoice', 'invoice_id', 'invoice_no', 'invoiceno',
                                                        'invoice_number', 'transaction_id', 'id']},
            'order_date': {'required': true, 'aliases': ['order_date', 'date', 'invoice_date',
                                                         'invoicedate', 'order_datetime', 'purchase_date',
                                                         'transaction_date', 'created_at', 'ordered_at',
                                                         'order_purchase_timestamp', 'order_timestamp']},
            'amount': {'required': false, 'aliases': ['amount', 'total', 'revenue', 'order_total',
                                                      'total_amount', 'order_amount', 'order_value',
                                                      'sales', 'sale_amount', 'line_total', 'value',
                                                      'payment_value']},
            'price': {'required': false, 'aliases': ['price', 'unit_price', 'unitprice', 'item_price']},
            'quantity': {'required': false, 'aliases': ['quantity', 'qty', 'units']},
            'order_status': {'required': false, 'aliases': ['order_status', 'status', 'financial_status',
                                                            'payment_status', 'transaction_status']},
            'currency': {'required': false, 'aliases': ['currency', 'currency_code', 'order_currency']},
        } -%}
    {%- else -%}
        {%- set spec = {} -%}
        {%- for name, known in attribute_catalog().items() -%}
            {%- do spec.update({name: {
                'required': name == 'customer_id' or name in segment_feature_names(),
                'aliases': known.aliases}}) -%}
        {%- endfor -%}
        {%- for name in customer_numeric_attributes() + categorical_features() | map(attribute='name') | list
            + profile_features('profile_categorical_features') if name not in spec -%}
            {%- do spec.update({name: {'required': true, 'aliases': [name]}}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set map_var = 'column_map' if input == 'customers' else 'orders_column_map' -%}
    {%- if not execute -%}
        {%- set placeholder = {} -%}
        {%- for name in spec -%}
            {%- do placeholder.update({name: {'column': quote_identifier(name), 'header': name}}) -%}
        {%- endfor -%}
        {{ return(placeholder) }}
    {%- endif -%}
    {%- set headers = headers if headers is not none else input_file_headers(input) -%}
    {#- Shopify's orders export (its Lineitem columns): Name is the order, on each of its lines -#}
    {%- do spec.order_id.aliases.insert(0, 'name') if input == 'orders' and 'lineitem_name' in headers | map('lower') | map('replace', ' ', '_') else none -%}
    {#- what the headers themselves say is wrong, for the messages below -#}
    {%- set numeric, unnamed = [], [] -%}
    {%- for header in headers -%}
        {%- do numeric.append(header) if modules.re.fullmatch('\\s*[-+]?[0-9][0-9.,]*\\s*', header | string) else none -%}
        {#- the names DuckDB gives columns when it cannot read a header line -#}
        {%- do unnamed.append(header) if modules.re.fullmatch('column[0-9]+', header | string) else none -%}
    {%- endfor -%}
    {%- set hint = (" Its first line is Excel's delimiter hint (sep=...), not a header: delete that line (the "
        ~ "header is the line after it).") if headers and (headers[0] | lower).startswith('sep=')
        else (" The first line read looks like data, not a header (" ~ numeric | join(', ')
        ~ " are numbers): add a header line such as " ~ example_header(input) ~ ", or if the file has "
        ~ "one, it is not UTF-8 (Excel on Windows saves Windows-1252): set --vars '{" ~ input
        ~ "_encoding: windows-1252}'.") if numeric
        else (" DuckDB could not read a header line (it named the columns itself): the file is most likely "
            ~ "not UTF-8 (Excel on Windows saves Windows-1252): set --vars '{" ~ input ~ "_encoding: windows-1252}'; "
            ~ "or it has no header line: add one such as " ~ example_header(input) ~ ".") if headers and unnamed == headers
        else (" DuckDB found a single column: the delimiter was not recognised (comma, semicolon, tab and | "
            ~ "are: save the file with one of those), or a title line is above the header (delete it).") if headers | length == 1
            and (modules.re.search('[^\\w ()$%./-]', headers[0]) or headers[0].split() | length > 2) else '' -%}
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
        {%- set found = [none] if header is none or header | trim == '' else [] -%}
        {%- for candidate in headers if header is not none
            and (candidate == header or (candidate | trim | lower) == (header | string | trim | lower)) -%}
            {%- do found.append(candidate) -%}
        {%- endfor -%}
        {%- if found | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ map_var ~ "' maps " ~ name ~ " to '" ~ header ~ "', but "
                ~ input_label(input) ~ " has no such column. Its columns are: "
                ~ headers | join(', ') ~ "." ~ hint) }}
        {%- endif -%}
        {%- do mapped.update({name: found[0]}) -%}
    {%- endfor -%}

    {%- for name, column in spec.items() if name not in mapped -%}
        {%- for spelling in column.aliases if name not in mapped -%}
            {%- for header in headers if name not in mapped
                and spelling in [normalize_header(header), normalize_header(header, true)] -%}
                {%- do mapped.update({name: header}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}

    {%- set required_headers = [] -%}
    {%- for name, column in spec.items() if column.required %}{% do required_headers.append(mapped.get(name)) %}{% endfor -%}
    {%- for name, column in spec.items() if not column.required and mapped.get(name) in required_headers -%}
        {%- do mapped.update({name: none}) -%}
    {%- endfor -%}
    {#- a header written twice: DuckDB reads the second as <header>_1; only the user knows which is meant -#}
    {%- for name, header in mapped.items() if name not in column_map and header is not none -%}
        {%- for twin in headers if modules.re.fullmatch(modules.re.escape(header | lower) ~ '_[0-9]+', twin | lower) -%}
            {{ exceptions.raise_compiler_error("The file " ~ input_label(input) ~ " has the columns '" ~ header ~ "' and '" ~ twin
                ~ "' (DuckDB's names for a header written twice). Say which one is " ~ name ~ ": --vars '{" ~ map_var ~ ": {"
                ~ name ~ ": \"" ~ twin ~ "\"}}', or \"" ~ header ~ "\"; or rename one of them in the file.") }}
        {%- endfor -%}
    {%- endfor -%}
    {%- set numbered = input == 'customers' and customer_ids_are_row_numbers() -%}
    {%- set missing = [] -%}
    {%- for name, column in spec.items() if column.required and mapped.get(name) is none
        and not (numbered and name == 'customer_id') -%}
        {%- do missing.append(name) -%}
    {%- endfor -%}
    {%- do missing.append('amount') if input == 'orders' and mapped.get('amount') is none
        and (mapped.get('price') is none or mapped.get('quantity') is none) else none -%}
    {#- every missing column in one message: a user fixes them in one go -#}
    {%- if missing -%}
        {%- set example = (headers | reject('in', headers | map('lower')) | list or headers) | first -%}
        {{ exceptions.raise_compiler_error(
            "The file " ~ input_label(input) ~ " has no column for '" ~ missing | join("', '") ~ "'"
            ~ (" (nor price and quantity to multiply)" if 'amount' in missing else '')
            ~ ". Its columns are: " ~ headers | join(', ') ~ ". Rename "
            ~ ("that column, or map it" if missing | length == 1 else "those columns, or map them") ~ ": "
            ~ "--vars '{" ~ map_var ~ ": {" ~ missing | join(': \"<your header>\", ') ~ ": \"<your header>\"}}'."
            ~ (" If the file has no ids, --vars '{column_map: {customer_id: null}}' makes each "
                ~ "customer's id its row in the file." if 'customer_id' in missing and input == 'customers' else '')
            ~ (" Or cluster on numeric columns of your choice: --vars '{features: [<column>, <column>]}', each "
                ~ "named by its header in lower case with other characters as '_' ('" ~ example ~ "' is "
                ~ normalize_header(example, true) ~ ")" ~ (", or on the orders: --vars '{features: [recency_days, "
                ~ "frequency, monetary]}'" if orders_are_input() else '') ~ "."
                if input == 'customers' and var('features', none) is none and missing | reject('equalto', 'customer_id') | list else '')
            ~ hint) }}
    {%- endif -%}
    {%- if input == 'orders' and mapped.get('amount') is not none -%}
        {%- do mapped.pop('price', none) -%}
        {%- do mapped.pop('quantity', none) -%}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for name in spec -%}
        {%- do columns.update({name: {
            'column': quote_identifier(mapped[name]) if mapped.get(name) is not none else none,
            'header': mapped.get(name)}}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{% macro customer_ids_are_row_numbers() -%}
    {%- set column_map = var('column_map', {}) or {} -%}
    {%- set numbered = column_map is mapping and 'customer_id' in column_map and column_map.customer_id is none -%}
    {%- if numbered and orders_are_input() -%}
        {{ exceptions.raise_compiler_error(
            "var column_map maps customer_id to null (a customer file without ids), but an orders "
            ~ "file needs the customer ids to join: map customer_id to the file's id column.") }}
    {%- endif -%}
    {{ return(numbered) }}
{%- endmacro %}


{% macro example_header(input) -%}
    {{ return('CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)' if input == 'customers'
        else 'Order ID,Customer ID,Order Date,Amount') }}
{%- endmacro %}


{% macro latest_order_date_query() -%}
    {%- set order_date = 'cast(' ~ input_columns('orders').order_date.column ~ ' as string)' -%}
    {%- set rows = input_file_read('orders').rows -%}
    {{ return('select max(cast(' ~ parse_order_date(order_date, 'dates.day_month_order') ~ ' as timestamp)) from '
        ~ rows ~ ' cross join (select ' ~ day_month_order(order_date) ~ ' as day_month_order from ' ~ rows ~ ') as dates') }}
{%- endmacro %}
