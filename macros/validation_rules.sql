{% macro numeric_column_rules(headers) -%}
    {%- set rules = {} -%}
    {%- set features = {} -%}
    {%- for feature in segment_features() if feature.source == 'customers' -%}
        {%- do features.update({feature.name: feature}) -%}
    {%- endfor -%}
    {%- for name in customer_numeric_attributes() if not features.get(name, {}).date -%}
        {%- set built_in = attribute_catalog().get(name, {}) -%}
        {%- set rule = features.get(name) or built_in or feature_settings().get(name, {}) -%}
        {%- set header = headers.get(name) if (headers.get(name) or name) | lower != name else none -%}
        {#- a built-in range is in the catalog's unit: a file in dollars for annual_income (k$) fails it -#}
        {%- do rules.update({name: {
            'reason_name': name ~ (' (' ~ header ~ ')' if header else ''),
            'missing_reason': 'missing ' ~ name ~ ' (' ~ (header ~ ', ' if header else '') ~ 'a feature column)',
            'min': rule.get('min'),
            'max': rule.get('max'),
            'range_note': ' ' ~ built_in.unit ~ ", the built-in " ~ name ~ "'s range: for a column in other units, "
                ~ "give it a name of your own (var column_map) and list that in var features"
                if built_in.get('unit') and not feature_settings().get(name, {}) | select('in', ['min', 'max']) | list else '',
            'whole': rule.get('whole', false),
            'required': name in features,
            'type': none if not rule.get('whole', false) else 'integer' if rule.get('max') is not none and rule.get('max') | float < 2147483648
                and rule.get('min') is not none and rule.get('min') | float > -2147483648 else 'bigint',
        }}) -%}
    {%- endfor -%}
    {{ return(rules) }}
{%- endmacro %}


{% macro parse_number(raw, input, delimiter, column=none) -%}
    {%- set as_read, column = column is none, column or raw[4:] -%}
    {%- set separator_var = 'orders_decimal_separator' if input == 'orders' and var('orders_decimal_separator', none) is not none else 'decimal_separator' -%}
    {%- set separator, text, as_written = var(separator_var, none), 'trim(' ~ raw ~ ')', 'trim(' ~ raw ~ ')' -%}
    {%- if separator == ',' -%}
        {%- set text = 'case when ' ~ matches_regexp(text, "'^[-+]?([0-9]{1,3}([.   ][0-9]{3})+|[0-9]*)(,[0-9]+)?$'")
            ~ ' then replace(' ~ replace_regexp(text, "'[.   ]'", "''") ~ ", ',', '.') end" -%}
    {%- elif separator == '.' -%}
        {%- set text = 'case when ' ~ matches_regexp(text, "'^[-+]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?$'") ~ ' then replace(' ~ text ~ ", ',', '') else " ~ text ~ ' end' -%}
    {%- elif separator is not none -%}
        {{ exceptions.raise_compiler_error("var '" ~ separator_var ~ "' is '" ~ separator ~ "'; use ',' (1.234,5 is 1234.5), '.' or none.") }}
    {%- endif -%}
    case
        {%- if separator is none and delimiter == ';' %}
        when {{ matches_regexp(as_written, "'^[-+]?([0-9]{1,3}([.][0-9]{3})+|[0-9.]*,[0-9]+)$'") }}
            then {{ raise_error(sql_string_literal("The file " ~ input_label(input) ~ " is separated by semicolons and its " ~ column
                ~ " column has the number '") ~ ' || ' ~ as_written ~ ' || ' ~ sql_string_literal("', European notation or not? Set --vars "
                ~ "'{" ~ separator_var ~ ": \",\"}' if the comma is the decimal point (1.234,5 is 1234.5), or '.' if the dot is.")) }}
        {%- endif %}
        when abs(try_cast({{ text }} as double)) < cast('Infinity' as double) and not contains({{ text }}, '_')
            then try_cast({{ text }} as double)
        {%- if separator is none %}
        -- only where the above fails: the groupings no one reads the other way, 1,234.5 and 1.234,5
        when {{ matches_regexp(as_written, "'^[-+]?[0-9]{1,3}(,[0-9]{3})+[.][0-9]+$'") }}
            then try_cast(replace({{ as_written }}, ',', '') as double)
        when {{ matches_regexp(as_written, "'^[-+]?[0-9]{1,3}([.][0-9]{3})+,[0-9]+$'") }}
            then try_cast(replace(replace({{ as_written }}, '.', ''), ',', '.') as double)
        {%- endif %}
        {%- if as_read %}
        -- only where the above fails: a negative in parentheses, as accountants write it
        -- ((12.50), ($3.00)), an amount with a currency sign or code ($1,200.50, -£3, 45,00 €,
        -- USD 12.00, 12.00 EUR), a percentage (12.5%)
        when {{ matches_regexp(as_written, "'^[(][^()-]+[)]$'") }}
            then -({{ parse_number(replace_regexp(raw, "'[()$€£¥%]'", "''"), input, delimiter, column) | indent(12) }})
        when {{ matches_regexp(as_written, "'^[-+]?([$€£¥]|[A-Z]{3} ?[0-9])|[0-9] ?([$€£¥%]|[A-Z]{3})$'") }}
            then {{ parse_number(replace_regexp(raw, "'[$€£¥%]|[A-Z]{3}'", "''"), input, delimiter, column) | indent(12) }}
        {%- endif %}
    end
{%- endmacro %}


{% macro largest_plausible_value() -%}
    {{ return('1e12') }}
{%- endmacro %}


{% macro numeric_rejection_reason(raw, number, rule) -%}
    {%- set name = sql_string_literal(rule.reason_name) -%}
    case
        when nullif(trim({{ raw }}), '') is null
            or ({{ number }} is null and lower(trim({{ raw }})) in {{ missing_value_texts() }})
            then {{ sql_string_literal(rule.missing_reason) if rule.required else 'null' }}
        when {{ number }} is null and {{ matches_regexp('trim(' ~ raw ~ ')', "'^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}([ T].*)?$'") }}
            then {{ name }} || ' ' || {{ quoted_text(raw) }} || {{ sql_string_literal(' is a date, not a number: to cluster '
            ~ "on the days since that date, set var feature_settings to {" ~ rule.reason_name.split(' ')[0]
            ~ ": {date: true}}, or remove it from var features") }}
        when {{ number }} is null
            then {{ name }} || ' ' || {{ quoted_text(raw) }} || ' is not a number'
        {%- if rule.min is not none and rule.max is not none %}
        when {{ number }} < {{ rule.min }} or {{ number }} > {{ rule.max }}
            then {{ name }} || ' ' || {{ raw }} || {{ sql_string_literal(' is outside ' ~ rule.min ~ ' to ' ~ rule.max ~ rule.range_note) }}
        {%- elif rule.min is not none %}
        when {{ number }} < {{ rule.min }}
            then {{ name }} || ' ' || {{ raw }} || {{ sql_string_literal(' is below ' ~ rule.min) }}
        {%- elif rule.max is not none %}
        when {{ number }} > {{ rule.max }}
            then {{ name }} || ' ' || {{ raw }} || {{ sql_string_literal(' is above ' ~ rule.max) }}
        {%- endif %}
        {%- if rule.min is none or rule.max is none %}
        when abs({{ number }}) >= {{ largest_plausible_value() }}
            then {{ name }} || ' ' || {{ raw }} || ' is too large to be real (10^12 or more)'
        {%- endif %}
        {%- if rule.whole %}
        when {{ number }} <> round({{ number }})
            then {{ name }} || ' ' || {{ raw }} || ' is not a whole number'
        {%- endif %}
    end
{%- endmacro %}


{% macro missing_value_texts() -%}
    {#- the placeholders exports write for a missing value, as pandas reads them; none is longer
        than 4 characters, so a longer value skips the lookup -#}
    ('', 'null', 'na', 'n/a', '#n/a', 'nan', 'none', '-')
{%- endmacro %}


{% macro id_value(raw) -%}
    case
        -- a whole number written as a decimal (12345.0: a spreadsheet's or pandas' id column)
        when trim({{ raw }}) like '%.0' and {{ matches_regexp('trim(' ~ raw ~ ')', "'^[0-9]+[.]0$'") }}
            then left(trim({{ raw }}), length(trim({{ raw }})) - 2)
        -- a number marked as text for Excel ('6400053247852: Shopify's customer ids)
        when left(trim({{ raw }}), 1) = chr(39) and {{ matches_regexp('trim(' ~ raw ~ ')', sql_string_literal("^'[0-9]+$")) }}
            then substr(trim({{ raw }}), 2)
        when length(trim({{ raw }})) > 4 or lower(trim({{ raw }})) not in {{ missing_value_texts() }}
            then trim({{ raw }})
    end
{%- endmacro %}


{% macro typed_value_text(name, kind) -%}
    {%- if kind in ['id', 'category'] -%}
        {{ name }}
    {%- elif kind == 'gender' -%}
        nullif({{ name }}, 'Unknown')
    {%- elif kind == 'date' -%}
        cast({{ name }} as string)
    {%- else -%}
        case
            when {{ name }} = round({{ name }}) and abs({{ name }}) < 1e15
                then cast(cast({{ name }} as bigint) as string)
            else cast({{ name }} as string)
        end
    {%- endif -%}
{%- endmacro %}


{% macro raw_value_if_different(name, kind) -%}
    case when (raw_{{ name }} is distinct from {{ typed_value_text(name, kind) }}) then raw_{{ name }} end
{%- endmacro %}


{% macro restored_raw_value(name, kind) -%}
    coalesce(raw_{{ name }}_if_different, {{ typed_value_text(name, kind) }})
{%- endmacro %}


{% macro customer_column_kinds() -%}
    {%- set kinds = {'customer_id': 'id', 'gender': 'gender'} -%}
    {%- for name in customer_numeric_attributes() -%}
        {%- do kinds.update({name: 'date' if name in segment_features() | selectattr('date') | map(attribute='name') else 'number'}) -%}
    {%- endfor -%}
    {%- for name in categorical_features() | map(attribute='name') | list + profile_features('profile_categorical_features') if name != 'gender' -%}
        {%- do kinds.update({name: 'category'}) -%}
    {%- endfor -%}
    {{ return(kinds) }}
{%- endmacro %}


{% macro unreadable_record_problem(row_number, record) -%}
    case
        when {{ record }} is not null
            then 'data row ' || {{ row_number }} || ' of the file could not be read (its fields do not '
            || 'match the header: too many, too few, or an unclosed quote): '
            || {{ quoted_text('left(' ~ record ~ ', 200)') }} || '; fix or remove that line'
    end
{%- endmacro %}


{% macro order_column_kinds() -%}
    {{ return({'customer_id': 'id', 'order_id': 'id', 'order_date': 'date', 'amount': 'number',
               'price': 'number', 'quantity': 'number', 'order_status': 'category', 'currency': 'category'}) }}
{%- endmacro %}


{% macro parse_order_date(raw, day_month_order='null') -%}
    {%- set date_format = order_date_format() -%}
    {%- if date_format -%}
        {{ parse_date_in_format(raw, date_format) }}
    {%- else -%}
        {%- set number = 'regexp_extract(trim(' ~ raw ~ "), '" ~ numeric_date_pattern() ~ "', #)" -%}
        {%- set first, second, third = number.replace('#', '1'), number.replace('#', '2'), number.replace('#', '3') -%}
        coalesce(
            -- ISO: the year first (a cast reads 7-3-24 as the year 7), then at most a time and a
            -- zone (Spark's cast reads '2024-01-05 junk' as a date, DuckDB's does not)
            case
                when {{ matches_regexp('trim(' ~ raw ~ ')', "'^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?([A-Z][A-Za-z/_]*|[+-][0-9]{2}(:?[0-9]{2})?)?)?$'") }}
                    then try_cast(trim({{ raw }}) as date)
            end,
            -- y/m/d, or d/m/y and m/d/y in the column's day_month_order (a two-digit year: 1969-2068)
            try_cast(case
                when length({{ first }}) = 4 then {{ first }} || '-' || {{ second }} || '-' || {{ third }}
                when length({{ third }}) in (2, 4) then
                    case when length({{ third }}) = 2 then if(cast({{ third }} as int) < 69, '20', '19') else '' end || {{ third }}
                    || '-' || case {{ day_month_order }} when 'm/d' then {{ first }} || '-' || {{ second }}
                        when 'd/m' then {{ second }} || '-' || {{ first }} end
            end as date),
            -- one number: yyyymmdd, or a spreadsheet's serial day (days since 1899-12-30, as
            -- Excel and Google Sheets count; 20000 to 79999 is 1954 to 2118)
            case
                when {{ matches_regexp('trim(' ~ raw ~ ')', "'^(19|20)[0-9]{6}$'") }}
                    then try_cast(substr(trim({{ raw }}), 1, 4) || '-' || substr(trim({{ raw }}), 5, 2) || '-'
                        || substr(trim({{ raw }}), 7, 2) as date)
                when {{ matches_regexp('trim(' ~ raw ~ ')', "'^[2-7][0-9]{4}([.][0-9]+)?$'") }}
                    then cast('1899-12-30' as date) + cast(floor(cast(trim({{ raw }}) as double)) as int)
            end
        )
    {%- endif -%}
{%- endmacro %}


{% macro numeric_date_pattern() -%}
    {{ return('^([0-9]{1,4})[/.-]([0-9]{1,2})[/.-]([0-9]{1,4})([ T]+[0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)? *([AaPp][Mm])?)?$') }}
{%- endmacro %}


{% macro day_month_order(raw) -%}
    {%- set number = 'cast(nullif(regexp_extract(trim(' ~ raw ~ "), '" ~ numeric_date_pattern() ~ "', #), '') as int)" -%}
    {%- set first, second = number.replace('#', '1'), number.replace('#', '2') -%}
    {%- set day_first = first ~ ' between 13 and 31 and ' ~ second ~ ' between 1 and 12' -%}
    {%- set month_first = second ~ ' between 13 and 31 and ' ~ first ~ ' between 1 and 12' -%}
    case
        when max(case when {{ day_first }} then 1 else 0 end) = 1
            then if(max(case when {{ month_first }} then 1 else 0 end) = 1, 'both', 'd/m')
        when max(case when {{ month_first }} then 1 else 0 end) = 1 then 'm/d'
    end
{%- endmacro %}


{% macro date_rejection_reason(raw, parsed, name, missing_reason, day_month_order='null') -%}
    {%- set number = 'regexp_extract(' ~ raw ~ ", '^ *([0-9]{1,4})([/.-])([0-9]{1,2})[/.-]([0-9]{1,4})', #)" -%}
    {%- set first, separator, second, year = number.replace('#', '1'), number.replace('#', '2'), number.replace('#', '3'), number.replace('#', '4') -%}
    {%- set time_of_day = "case when regexp_extract(" ~ raw ~ ", '([0-9]:[0-9]{2}:[0-9]{2})', 1) <> '' then ' %H:%M:%S' when regexp_extract(" ~ raw ~ ", '([0-9]:[0-9]{2})', 1) <> '' then ' %H:%M' else '' end" -%}
    {%- set looks_like = "case when " ~ second ~ " = '' then null when length(" ~ first ~ ") = 4 then '%Y' || " ~ separator ~ " || '%m' || " ~ separator ~ " || '%d' || " ~ time_of_day
        ~ " when length(" ~ year ~ ") <> 3 and greatest(cast(" ~ first ~ " as int), cast(" ~ second ~ " as int)) between 13 and 31 and least(cast(" ~ first ~ " as int), cast(" ~ second ~ " as int)) <= 12"
        ~ " then if(cast(" ~ first ~ " as int) > 12, '%d' || " ~ separator ~ " || '%m', '%m' || " ~ separator ~ " || '%d') || " ~ separator ~ " || if(length(" ~ year ~ ") = 4, '%Y', '%y') || " ~ time_of_day ~ " end" -%}
    {%- set date_format = order_date_format() -%}
    {#- a date in numbers whose first number is a day or a month, not a year -#}
    {%- set day_or_month = 'length(regexp_extract(trim(' ~ raw ~ "), '" ~ numeric_date_pattern() ~ "', 1)) between 1 and 2" -%}
    case
        when nullif(trim({{ raw }}), '') is null then {{ sql_string_literal(missing_reason) }}
        {%- if not date_format %}
        when {{ parsed }} is null and {{ day_or_month }} and {{ day_month_order }} is null
            then {{ sql_string_literal(name ~ ' ') }} || {{ quoted_text(raw) }} || ' reads as day/month or as month/day, and no date of the column has a day above 12 to tell: set var order_date_format, e.g. %d/%m/%Y or %m/%d/%Y'
        when {{ parsed }} is null and {{ day_or_month }} and {{ day_month_order }} = 'both'
            then {{ sql_string_literal(name ~ ' ') }} || {{ quoted_text(raw) }} || ' is not a date: the column has dates with the day first (above 12) and others with the month first; export the dates as YYYY-MM-DD'
        {%- endif %}
        when {{ parsed }} is null then {{ sql_string_literal(name ~ ' ') }} || {{ quoted_text(raw) }} || ' is not a date' || {{ sql_string_literal(' in the format ' ~ date_format)
            ~ " || coalesce(' (it looks like ' || nullif(" ~ looks_like ~ ", " ~ sql_string_literal(date_format) ~ ") || ')', '')" if date_format
            else "' (YYYY-MM-DD)' || case when left(" ~ looks_like ~ ", 8) = '%Y-%m-%d' then '' else ': set var order_date_format, e.g. ' || coalesce(" ~ looks_like ~ ", '%d/%m/%Y') end" }}
    end
{%- endmacro %}


{% macro order_date_format() -%}
    {%- set value = var('order_date_format', none) -%}
    {%- if value is none or (value | string | trim) in ['', 'none', 'null'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[%A-Za-z0-9 /:.,T_-]+', value | string) or '%' not in value -%}
        {{ exceptions.raise_compiler_error(
            "var 'order_date_format' is '" ~ value ~ "'; give a strptime format such as "
            ~ "'%d/%m/%Y' or '%m/%d/%Y %H:%M' (codes: https://duckdb.org/docs/sql/functions/dateformat).") }}
    {%- endif -%}
    {{ return(value | string) }}
{%- endmacro %}


{% macro date_var(name) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value | string | trim) in ['', 'none', 'null'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value | string | trim) -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' is '" ~ value ~ "'; give a date as YYYY-MM-DD, e.g. 2025-01-01, or leave it unset.") }}
    {%- endif -%}
    {{ return(value | string | trim) }}
{%- endmacro %}


{% macro var_to_check(reason, is_order_row) -%}
    case
        when {{ reason }} like '%is not a date%' or {{ reason }} like '%reads as day/month%'
            then 'order_date_format'
        when {{ reason }} like '%after as_of_date%' then 'as_of_date'
        -- 1,5 or 1,234.5 read with the default or '.', 12.5 read with ','
        when {{ matches_regexp(reason, sql_string_literal("'[-+]?[0-9.,]*[.,][0-9][0-9.,]*' is not a number")) }}
            then case
                when {{ is_order_row }} then 'orders_decimal_separator' else 'decimal_separator'
            end
    end
{%- endmacro %}
