{% macro number_var(name, minimum, maximum, default, whole) -%}
    {%- set value = var(name, default) -%}
    {%- set text = value | string | trim -%}
    {%- set pattern = '[0-9]+' if whole else '[0-9]+(\\.[0-9]+)?' -%}
    {%- set kind = 'a whole number' if whole else 'a number' -%}
    {%- if value is none or value is boolean or not modules.re.fullmatch(pattern, text) -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be " ~ kind ~ " between " ~ minimum ~ " and " ~ maximum
            ~ "; got '" ~ value ~ "'.") }}
    {%- endif -%}
    {%- set number = (text | int) if whole else (text | float) -%}
    {%- if number < minimum or number > maximum -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' is " ~ number ~ "; it must be between " ~ minimum ~ " and "
            ~ maximum ~ ".") }}
    {%- endif -%}
    {{ return(number) }}
{%- endmacro %}


{% macro whole_number_var(name, minimum, maximum, default=none) -%}
    {{ return(number_var(name, minimum, maximum, default, whole=true)) }}
{%- endmacro %}


{% macro decimal_var(name, minimum, maximum, default=none) -%}
    {{ return(number_var(name, minimum, maximum, default, whole=false)) }}
{%- endmacro %}


{% macro training_sample_size() -%}
    {{ return(whole_number_var('training_sample_size', 100, 100000000)) }}
{%- endmacro %}


{% macro most_segments() -%}
    {{ return(50) }}
{%- endmacro %}


{% macro k_settings() -%}
    {%- set k_min = whole_number_var('k_min', 2, most_segments()) -%}
    {%- set k_max = whole_number_var('k_max', 2, most_segments()) -%}
    {%- if k_min > k_max -%}
        {{ exceptions.raise_compiler_error(
            "var 'k_min' (" ~ k_min ~ ") is larger than 'k_max' (" ~ k_max ~ "); "
            ~ "set k_min <= k_max (k_min is 3 unless set; k_min: 2 allows two segments).") }}
    {%- endif -%}
    {%- set k = none -%}
    {%- if var('k', none) is not none and (var('k') | string | trim | lower) not in ['', 'none', 'null'] -%}
        {%- set k = whole_number_var('k', 2, most_segments()) -%}
    {%- endif -%}
    {{ return({'k': k, 'k_min': k_min, 'k_max': k_max}) }}
{%- endmacro %}


{% macro check_vars_are_known() -%}
    {%- set known = [
        'customers_path', 'customers_table', 'customers_encoding', 'orders_path', 'orders_encoding', 'as_of_date',
        'compare_as_of_date', 'orders_decimal_separator',
        'order_date_format', 'decimal_separator', 'column_map', 'orders_column_map', 'features', 'categorical_features',
        'max_categories', 'min_category_share', 'categorical_weight', 'feature_settings', 'attribute_catalog', 'k',
        'k_min', 'k_max', 'training_sample_size', 'silhouette_sample_size', 'random_state', 'retrain',
        'segment_match_max_distance', 'reset_segment_ids', 'outlier_percentile', 'max_rejected_share', 'orders_warn_after_days',
        'orders_error_after_days', 'export_parquet', 'parquet_export_dir', 'min_segment_share', 'currency',
        'drift_severity', 'drift_max_share_change', 'drift_max_changed_share',
        'profile_features', 'profile_categorical_features', 'customers_without_orders', 'order_statuses_not_counted'] -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- for name in (fromyaml(given) if given is string else given) or {} if name not in known -%}
        {%- set pairs = [] -%}
        {%- for i in range(name | length - 1) %}{% do pairs.append(name[i:i + 2]) %}{% endfor -%}
        {%- set scores = [] -%}
        {%- for candidate in known -%}
            {%- set shared = [] -%}
            {%- for i in range(candidate | length - 1) if candidate[i:i + 2] in pairs %}{% do shared.append(i) %}{% endfor -%}
            {%- do scores.append((shared | length / (candidate | length + name | length), candidate)) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' is not a var of this project: did you mean '" ~ (scores | max)[1]
            ~ "'? The vars are listed in docs/vars.md.") }}
    {%- endfor -%}
{%- endmacro %}
