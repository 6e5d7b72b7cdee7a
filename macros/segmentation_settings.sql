{#-
    The run's settings, read from dbt vars and checked before any SQL uses them.
    Vars never reach SQL unchecked: names are matched against an allow-list and numbers must be
    whole numbers in range, so a var cannot inject SQL and a typo fails with a clear message.
-#}

{#- Columns K-means may cluster on: the numeric attributes of a customer. -#}
{% macro allowed_features() -%}
    {{ return(['age', 'annual_income', 'spending_score']) }}
{%- endmacro %}


{% macro segment_features() -%}
    {%- set raw = var('features') -%}
    {%- if raw is string -%}
        {%- set raw = raw.split(',') -%}
    {%- endif -%}
    {%- if raw is not iterable or raw is mapping or raw | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var 'features' must be a non-empty list of columns, e.g. "
            ~ "--vars '{features: [annual_income, spending_score]}'. Got: " ~ raw) }}
    {%- endif -%}
    {%- set features = [] -%}
    {%- for item in raw -%}
        {%- set name = (item | string | trim | lower) -%}
        {%- if name not in allowed_features() -%}
            {{ exceptions.raise_compiler_error(
                "var 'features' names '" ~ item ~ "', which is not a feature column. "
                ~ "Choose from: " ~ allowed_features() | join(', ') ~ ".") }}
        {%- endif -%}
        {%- if name not in features -%}
            {%- do features.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(features) }}
{%- endmacro %}


{#- A var that must be a whole number in [minimum, maximum]; returns it as an int. -#}
{% macro whole_number_var(name, minimum, maximum, default=none) -%}
    {%- set value = var(name, default) -%}
    {%- set text = value | string | trim -%}
    {%- if value is none or value is boolean or not modules.re.fullmatch('[0-9]+', text) -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be a whole number between " ~ minimum ~ " and " ~ maximum
            ~ "; got '" ~ value ~ "'.") }}
    {%- endif -%}
    {%- set number = text | int -%}
    {%- if number < minimum or number > maximum -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' is " ~ number ~ "; it must be between " ~ minimum ~ " and "
            ~ maximum ~ ".") }}
    {%- endif -%}
    {{ return(number) }}
{%- endmacro %}


{#- k_min, k_max and k (null when k is chosen automatically), checked together. -#}
{% macro k_settings() -%}
    {%- set k_min = whole_number_var('k_min', 2, 50) -%}
    {%- set k_max = whole_number_var('k_max', 2, 50) -%}
    {%- if k_min > k_max -%}
        {{ exceptions.raise_compiler_error(
            "var 'k_min' (" ~ k_min ~ ") is larger than 'k_max' (" ~ k_max ~ "); "
            ~ "set k_min <= k_max.") }}
    {%- endif -%}
    {%- set k = none -%}
    {%- if var('k', none) is not none and (var('k') | string | trim | lower) not in ['', 'none', 'null'] -%}
        {%- set k = whole_number_var('k', 2, 50) -%}
    {%- endif -%}
    {{ return({'k': k, 'k_min': k_min, 'k_max': k_max}) }}
{%- endmacro %}
