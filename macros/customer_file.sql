{#-
    Where customers come from and which of their columns are which.

    `customer_source()` is the relation to read: the user's file (var `customers_path`, CSV or
    Parquet, read by DuckDB directly, every value as text) or the bundled sample seed.
    `customer_columns()` maps our column names to the file's headers: known aliases first
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


{#- The relation (or table function) the customers are read from. -#}
{% macro customer_source() -%}
    {%- set path = customers_path() -%}
    {%- if path is none -%}
        {{ return(ref('sample_customers')) }}
    {%- endif -%}
    {%- set literal = "'" ~ (path | replace("'", "''")) ~ "'" -%}
    {%- if execute -%}
        {%- set matches = run_query('select count(*) from glob(' ~ literal ~ ')').columns[0].values()[0] -%}
        {%- if matches == 0 -%}
            {{ exceptions.raise_compiler_error(
                "customers_path '" ~ path ~ "' matches no file. Give the path of a CSV or Parquet "
                ~ "file, absolute or relative to the project root (where you run dbt).") }}
        {%- endif -%}
    {%- endif -%}
    {%- set lowered = path | lower -%}
    {%- if lowered.endswith('.parquet') or lowered.endswith('.pq') -%}
        {{ return('read_parquet(' ~ literal ~ ')') }}
    {%- elif lowered.endswith(('.csv', '.tsv', '.txt', '.csv.gz', '.tsv.gz', '.txt.gz')) -%}
        {#- Every value as text: staging casts and reports what does not parse. -#}
        {{ return('read_csv(' ~ literal ~ ', header = true, all_varchar = true)') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "customers_path '" ~ path ~ "' is neither CSV (.csv, .tsv, .txt, optionally .gz) "
            ~ "nor Parquet (.parquet); convert it or rename it with the right extension.") }}
    {%- endif -%}
{%- endmacro %}


{% macro customer_source_label() -%}
    {{ return(customers_path() or 'the bundled sample seed (sample_customers)') }}
{%- endmacro %}


{#-
    {our column: quoted source column or none}. Stops the build when a required column is
    missing, naming it, the headers found, and the var that maps it.
-#}
{% macro customer_columns() -%}
    {%- set aliases = customer_column_aliases() -%}
    {%- if not execute -%}
        {#- Parsing: the file is not read yet; any valid SQL will do. -#}
        {%- set placeholder = {} -%}
        {%- for name in aliases -%}{%- do placeholder.update({name: quote_identifier(name)}) -%}{%- endfor -%}
        {{ return(placeholder) }}
    {%- endif -%}

    {%- set headers = run_query('describe select * from ' ~ customer_source()).columns[0].values() | list -%}
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
            ~ "--vars '{column_map: {" ~ name ~ ": \"<your header>\"}}'.") }}
    {%- endfor -%}
    {%- for name in aliases if name not in mapped -%}
        {%- do mapped.update({name: none}) -%}
    {%- endfor -%}
    {{ return(mapped) }}
{%- endmacro %}
