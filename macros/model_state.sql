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


{% macro retrain() -%}
    {{ return(boolean_var('retrain', true)) }}
{%- endmacro %}


{% macro outlier_percentile() -%}
    {{ return(decimal_var('outlier_percentile', 0.5, 1, 0.95)) }}
{%- endmacro %}


{% macro max_rejected_share() -%}
    {{ return(decimal_var('max_rejected_share', 0, 1, 0.05)) }}
{%- endmacro %}


{% macro keep_trained_model() -%}
    {%- if execute and not is_incremental() -%}
        {{ exceptions.raise_compiler_error(
            "var 'retrain' is false, but the warehouse has no trained model (" ~ this
            ~ " is missing). Run one build with retrain true (the default) first.") }}
    {%- endif -%}
    select * from {{ this }} where false
{%- endmacro %}
