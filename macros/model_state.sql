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


{#- false: score customers with the stored scaling and centroids; nothing is refitted. -#}
{% macro retrain() -%}
    {{ return(boolean_var('retrain', true)) }}
{%- endmacro %}


{#- Customers farther from their centroid than this quantile of their segment are outliers. -#}
{% macro outlier_percentile() -%}
    {{ return(decimal_var('outlier_percentile', 0.5, 1, 0.95)) }}
{%- endmacro %}


{#-
    The select of a trained-model table (int_feature_scaling, int_category_levels) in a build
    that scores without retraining: their config full_refresh=retrain() makes that build an
    incremental run of theirs, and this adds no row, so the stored model stays exactly as it
    was trained (int_kmeans_centroids checks it was trained on the features asked for now).
    With no stored model yet, it stops the build saying what to do.
-#}
{% macro keep_trained_model() -%}
    {%- if execute and not is_incremental() -%}
        {{ exceptions.raise_compiler_error(
            "var 'retrain' is false, but the warehouse has no trained model (" ~ this
            ~ " is missing). Run one build with retrain true (the default) first.") }}
    {%- endif -%}
    select * from {{ this }} where false
{%- endmacro %}
