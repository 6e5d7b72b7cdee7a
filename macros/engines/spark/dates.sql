{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}


{% macro spark__days_from_to(first_day, last_day) -%}
    explode(sequence({{ first_day }}, {{ last_day }}, interval 1 day))
{%- endmacro %}


{% macro spark__parse_date_in_format(raw, date_format) -%}
    {%- set codes = {'d': 'd', 'e': 'd', 'm': 'M', 'Y': 'yyyy', 'y': 'yy', 'H': 'H', 'I': 'h',
        'M': 'm', 'S': 's', 'p': 'a', 'b': 'MMM', 'h': 'MMM', 'B': 'MMMM', 'a': 'EEE',
        'A': 'EEEE', 'j': 'D', 'f': 'SSSSSS'} -%}
    {%- set pattern = [] -%}
    {%- set parts = date_format.split('%') -%}
    {%- for part in parts -%}
        {%- set code = part[:1] if not loop.first else '' -%}
        {%- set code = part[1:2] if code == '-' else code -%}
        {%- set literal = part[(part.index(code) + 1) if code else 0:] -%}
        {%- if not loop.first and code not in codes -%}
            {{ exceptions.raise_compiler_error(
                "var 'order_date_format' has %" ~ code ~ ", which the Spark build does not "
                ~ "translate; use %d %m %Y %y %H %I %M %S %p %b %B %a %A %j %f.") }}
        {%- endif -%}
        {%- do pattern.append(codes[code] if code else '') -%}
        {%- do pattern.append(modules.re.sub('([A-Za-z]+)', "'\\1'", literal)) -%}
    {%- endfor -%}
    to_date(trim({{ raw }}), {{ sql_string_literal(pattern | join('')) }})
{%- endmacro %}
