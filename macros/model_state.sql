{#-
    Settings of the trained model's life cycle: retraining or scoring only, keeping segment ids
    across retrains, and the outlier threshold. Checked like the other vars: no unchecked text
    reaches SQL.
-#}

{#- A var that must be true or false (YAML booleans, or the words true/false). -#}
{% macro boolean_var(name, default) -%}
    {%- set value = var(name, default) -%}
    {%- if value is boolean -%}
        {{ return(value) }}
    {%- endif -%}
    {%- set text = value | string | trim | lower -%}
    {%- if text in ['true', 'yes', '1'] -%}
        {{ return(true) }}
    {%- elif text in ['false', 'no', '0'] -%}
        {{ return(false) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "var '" ~ name ~ "' must be true or false; got '" ~ value ~ "'.") }}
{%- endmacro %}


{#- A var that must be a number in [minimum, maximum]; returns it as a float. -#}
{% macro decimal_var(name, minimum, maximum, default) -%}
    {%- set value = var(name, default) -%}
    {%- set text = value | string | trim -%}
    {%- if value is boolean or not modules.re.fullmatch('[0-9]+(\\.[0-9]+)?', text) -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be a number between " ~ minimum ~ " and " ~ maximum
            ~ "; got '" ~ value ~ "'.") }}
    {%- endif -%}
    {%- set number = text | float -%}
    {%- if number < minimum or number > maximum -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' is " ~ number ~ "; it must be between " ~ minimum ~ " and "
            ~ maximum ~ ".") }}
    {%- endif -%}
    {{ return(number) }}
{%- endmacro %}


{#- false: score customers with the stored scaling and centroids; nothing is refitted. -#}
{% macro retrain() -%}
    {{ return(boolean_var('retrain', true)) }}
{%- endmacro %}


{#- Customers farther from their centroid than this quantile of their segment are outliers. -#}
{% macro outlier_percentile() -%}
    {{ return(decimal_var('outlier_percentile', 0.5, 1, 0.95)) }}
{%- endmacro %}
