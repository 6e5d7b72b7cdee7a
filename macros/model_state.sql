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
    The relation of a table the last training left (for scoring-only runs), after checking it
    exists and was trained on `features`, the feature names asked for now (its feature_name
    column, by feature_position); otherwise a message saying what to do.
-#}
{% macro stored_model_table(relation, features) -%}
    {%- if execute -%}
        {%- set stored = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- if stored is none -%}
            {{ exceptions.raise_compiler_error(
                "var 'retrain' is false, but the warehouse has no trained model (" ~ relation
                ~ " is missing). Run one build with retrain true (the default) first.") }}
        {%- endif -%}
        {%- set trained_on = run_query(
            'select feature_name from ' ~ stored
            ~ ' group by feature_name order by min(feature_position)'
        ).columns[0].values() | list -%}
        {%- if trained_on != features -%}
            {{ exceptions.raise_compiler_error(
                "var 'retrain' is false, but the stored model was trained on features "
                ~ (trained_on | join(', ') or 'none') ~ " and this run asks for "
                ~ (features | join(', ') or 'none') ~ ". Ask for the same features, or retrain "
                ~ "(retrain true).") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
