{% macro attribute_catalog(source='customers') -%}
    {%- set attributes = {} -%}
    {%- for name, entry in var('attribute_catalog').items() if entry.get('source', 'customers') == source -%}
        {%- do attributes.update({name: entry}) -%}
    {%- endfor -%}
    {{ return(attributes) }}
{%- endmacro %}


{% macro normalize_header(header, split_camel_case=false) -%}
    {%- set text = modules.re.sub('([a-z0-9])([A-Z])', '\\1_\\2', header | string) if split_camel_case else header | string -%}
    {#- an accented letter is its plain letter: 'Âge' is age, 'Dépenses' depenses -#}
    {%- set text = namespace(value=text | trim | lower) -%}
    {%- for plain, accented in {'a': 'àáâãäå', 'c': 'ç', 'e': 'èéêë', 'i': 'ìíîï', 'n': 'ñ', 'o': 'òóôõöø',
        'u': 'ùúûü', 'y': 'ýÿ', 'ss': 'ß', 'ae': 'æ', 'oe': 'œ'}.items() -%}
        {%- set text.value = modules.re.sub('[' ~ accented ~ ']', plain, text.value) -%}
    {%- endfor -%}
    {{ return(modules.re.sub('[^a-z0-9]+', '_', text.value).strip('_')) }}
{%- endmacro %}


{% macro name_list_var(name, default) -%}
    {%- set reserved = ['customer_id', 'source_row_number', 'segment_id', 'segment_name',
        'rejection_reason', 'value_problems', 'is_outlier'] -%}
    {%- set stored = stored_model_inputs() if not name.startswith('profile_') else none -%}
    {%- set raw = var(name, default) -%}
    {%- if raw is none -%}
        {{ return(stored[name] if stored else []) }}
    {%- endif -%}
    {%- set raw = raw.split(',') | reject('equalto', '') | list if raw is string else raw -%}
    {%- if raw is not iterable or raw is mapping -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be a list of columns, e.g. --vars '{" ~ name
            ~ ": [tenure_months, visits_per_month]}'. Got: " ~ raw) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for item in raw -%}
        {%- set normalized = normalize_header(item, true) -%}
        {%- if not modules.re.fullmatch('[a-z][a-z0-9_]{0,62}', normalized) -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' names '" ~ item ~ "', which is not a column name: give the "
                ~ "column's normalized header (lower case, other characters as '_'), e.g. "
                ~ "'Tenure (months)' is tenure_months.") }}
        {%- endif -%}
        {%- if normalized in reserved -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' names '" ~ item ~ "', which is not a feature column: "
                ~ reserved | join(', ') ~ " are the pipeline's own columns.") }}
        {%- endif -%}
        {#- the words DuckDB (and Spark) cannot read as a bare column name, or read as a value -#}
        {%- if normalized in ('all analyse analyze and anti any array as asc asof asymmetric at authorization binary both by '
            ~ 'case cast check collate collation column concurrently constraint create cross current_date current_time '
            ~ 'current_timestamp default deferrable desc describe distinct do else end except false fetch for foreign '
            ~ 'freeze from full glob group having ilike in initially inner intersect into is isnull join lambda lateral '
            ~ 'leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer '
            ~ 'overlaps pivot pivot_longer pivot_wider placing positional primary qualify references returning right '
            ~ 'select semi show similar some summarize symmetric table tablesample then to trailing true union unique '
            ~ 'unpack unpivot using variadic verbose when where window with').split() -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' names '" ~ item ~ "', an SQL keyword, which cannot be a column name. "
                ~ "Give the column a name of your own and map the header to it, e.g. --vars '{" ~ name
                ~ ": [" ~ normalized ~ "_value], column_map: {" ~ normalized ~ "_value: \"" ~ item ~ "\"}}'.") }}
        {%- endif -%}
        {%- do names.append(normalized) if normalized not in names else none -%}
    {%- endfor -%}
    {%- if stored and names != stored[name] -%}
        {{ exceptions.raise_compiler_error(
            "var 'retrain' is false, and var '" ~ name ~ "' asks for [" ~ names | join(', ')
            ~ "], but the stored model was trained on [" ~ stored[name] | join(', ') ~ "]. Leave var '"
            ~ name ~ "' out to score with the stored model, or retrain (retrain true).") }}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}


{% macro feature_settings() -%}
    {%- set settings = var('feature_settings', {}) or {} -%}
    {%- if settings is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var 'feature_settings' must map features to settings, e.g. "
            ~ "{monetary: {log: true}, tenure_months: {label: Tenure, unit: months, max: 600}}; "
            ~ "got: " ~ settings) }}
    {%- endif -%}
    {%- set checked = {} -%}
    {%- for name, setting in settings.items() -%}
        {%- if setting is not mapping -%}
            {{ exceptions.raise_compiler_error(
                "var 'feature_settings' gives " ~ name ~ " the setting '" ~ setting ~ "'; give a "
                ~ "mapping such as {label: Tenure, unit: months, min: 0, max: 600, log: false}.") }}
        {%- endif -%}
        {%- for key, value in setting.items() -%}
            {%- if key not in ['label', 'unit', 'min', 'max', 'whole', 'log', 'date', 'role'] -%}
                {{ exceptions.raise_compiler_error(
                    "var 'feature_settings' gives " ~ name ~ " the key '" ~ key ~ "'; the keys are "
                    ~ "label, unit, min, max, whole, log, date and role.") }}
            {%- endif -%}
            {%- if key == 'role' and not modules.re.fullmatch('[a-z][a-z0-9_]*', value | string) -%}
                {{ exceptions.raise_compiler_error("var 'feature_settings' gives " ~ name ~ " the role '" ~ value ~ "'; a role "
                    ~ "is a word in lower case: spend, frequency, recency, tenure, income, one of your playbook's, or none.") }}
            {%- endif -%}
            {%- if key in ['min', 'max'] and (value is boolean or value is none
                or not modules.re.fullmatch('-?[0-9]+(\\.[0-9]+)?', value | string | trim)) -%}
                {{ exceptions.raise_compiler_error("var 'feature_settings' gives " ~ name ~ " " ~ key ~ " '" ~ value ~ "'; it must be a number.") }}
            {%- endif -%}
        {%- endfor -%}
        {%- do checked.update({normalize_header(name, true): setting}) -%}
    {%- endfor -%}
    {{ return(checked) }}
{%- endmacro %}


{% macro orders_are_input() -%}
    {{ return(input_path('orders') is not none) }}
{%- endmacro %}


{% macro prospects_are_segmented() -%}
    {{ return(customer_file_is_input() and var('customers_without_orders') == 'segment'
        and segment_features() | selectattr('source', 'equalto', 'orders') | list | length > 0) }}
{%- endmacro %}


{% macro customer_file_is_input() -%}
    {{ return(input_path('customers') is not none or input_table('customers') is not none
        or not orders_are_input()) }}
{%- endmacro %}


{% macro segment_features() -%}
    {%- set names = name_list_var('features', none) -%}
    {#- unset: the catalog's default features, of the customer file when there is one, else of the orders -#}
    {%- set defaults_source = 'customers' if customer_file_is_input() else 'orders' -%}
    {%- set names = attribute_catalog(defaults_source).items() | selectattr('1.default_feature') | map(attribute='0') | list
        if var('features', none) is none and not names else names -%}
    {%- if names | length == 0 -%}
        {{ exceptions.raise_compiler_error("var 'features' must be a non-empty list of columns, e.g. "
            ~ "--vars '{features: [annual_income, spending_score]}'. Got: " ~ var('features')) }}
    {%- endif -%}
    {%- set settings = feature_settings() -%}
    {%- set features = [] -%}
    {%- for name in names -%}
        {%- set source = 'orders' if orders_are_input() and name in attribute_catalog('orders') else 'customers' -%}
        {%- if source == 'customers' and not customer_file_is_input() -%}
            {{ exceptions.raise_compiler_error("var 'features' names '" ~ name ~ "', which the orders file does not give: with "
                ~ "var orders_path alone the features can be " ~ attribute_catalog('orders').keys() | join(', ')
                ~ ". Set var customers_path too, for columns of a customer file.") }}
        {%- endif -%}
        {%- if name == 'gender' -%}
            {{ exceptions.raise_compiler_error(
                "var 'features' names 'gender', which is not a number: cluster on it with "
                ~ "--vars '{categorical_features: [gender]}'.") }}
        {%- endif -%}
        {%- set built_in = attribute_catalog(source).get(name, {}) -%}
        {%- set setting = settings.get(name, {}) -%}
        {%- set log = boolean_setting(setting, 'log', name, built_in.get('log', false)) -%}
        {%- set minimum = setting.get('min', built_in.get('min')) -%}
        {%- set minimum = 0 if log and (minimum is none or minimum | float < 0) else minimum -%}
        {%- do features.append({
            'name': name,
            'position': loop.index,
            'source': source,
            'min': minimum,
            'max': setting.get('max', built_in.get('max')),
            'whole': boolean_setting(setting, 'whole', name, built_in.get('whole', false)),
            'log': log,
            'date': source == 'customers' and boolean_setting(setting, 'date', name, modules.re.search('(^|_)(date|at|since)$|^date_', name) is not none
                and modules.re.search('(^|_)(days|weeks|months|years)(_|$)', name) is none),
        }) -%}
    {%- endfor -%}
    {{ return(features) }}
{%- endmacro %}


{% macro stored_model_inputs() -%}
    {%- if retrain() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set signature = ref('int_model_inputs') -%}
    {%- set inputs = {'features': [], 'categorical_features': []} -%}
    {%- for column in (adapter.get_columns_in_relation(signature) if execute else [])
        if column.name not in ['model_run_id', 'model_trained_at'] -%}
        {%- do inputs['features' if column.is_float() else 'categorical_features'].append(column.name) -%}
    {%- endfor -%}
    {{ return(inputs if inputs.features else none) }}
{%- endmacro %}


{% macro boolean_setting(setting, key, feature, default) -%}
    {%- set value = setting.get(key, default) -%}
    {%- if value is not boolean -%}
        {{ exceptions.raise_compiler_error("var 'feature_settings' gives " ~ feature ~ " " ~ key ~ " '" ~ value ~ "'; it must be true or false.") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}


{% macro segment_feature_names() -%}
    {{ return(segment_features() | map(attribute='name') | list) }}
{%- endmacro %}


{% macro categorical_features() -%}
    {%- set names = name_list_var('categorical_features', []) -%}
    {%- set features = [] -%}
    {%- for name in names -%}
        {%- if name in segment_feature_names() -%}
            {{ exceptions.raise_compiler_error(
                "'" ~ name ~ "' is in both var features and var categorical_features; a column is "
                ~ "clustered either as a number or as categories.") }}
        {%- endif -%}
        {%- if not customer_file_is_input() -%}
            {{ exceptions.raise_compiler_error(
                "var 'categorical_features' names '" ~ name ~ "', a column of a customer file; set "
                ~ "var customers_path too.") }}
        {%- endif -%}
        {%- do features.append({'name': name, 'position': segment_features() | length + loop.index}) -%}
    {%- endfor -%}
    {{ return(features) }}
{%- endmacro %}


{% macro profile_features(var_name='profile_features') -%}
    {%- set names = name_list_var(var_name, []) | reject('in', ['gender'] + (attribute_catalog('orders') | list if orders_are_input() else [])) | list -%}
    {%- set clustered = segment_feature_names() + categorical_features() | map(attribute='name') | list -%}
    {%- set numeric = name_list_var('profile_features', []) if var_name != 'profile_features' else [] -%}
    {%- for name in names if name in clustered + numeric or not customer_file_is_input() -%}
        {{ exceptions.raise_compiler_error("var '" ~ var_name ~ "' names '" ~ name ~ "', " ~ ("a column of a customer file: set var customers_path too (with orders_path alone the order features are profiled anyway)."
            if not customer_file_is_input() else "which var " ~ ('features' if name in segment_feature_names() else 'categorical_features'
            if name in clustered else 'profile_features') ~ " names too: a column is clustered or profiled (as numbers or as categories), once. Remove it from one of them.")) }}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{% macro categorical_weight() -%}
    {{ return(decimal_var('categorical_weight', 0.01, 10, 0.5)) }}
{%- endmacro %}


{% macro max_categories() -%}
    {{ return(whole_number_var('max_categories', 2, 100, 20)) }}
{%- endmacro %}


{% macro customer_numeric_attributes() -%}
    {%- set names = attribute_catalog().items() | rejectattr('1.kind') | map(attribute='0') | list -%}
    {{ return((names + segment_features() | selectattr('source', 'equalto', 'customers') | map(attribute='name') | list
        + profile_features()) | unique | list) }}
{%- endmacro %}


{% macro profiled_attributes() -%}
    {{ return(((customer_numeric_attributes() if customer_file_is_input() else [])
        + (attribute_catalog('orders') | list if orders_are_input() else [])) | unique | list) }}
{%- endmacro %}


{% macro feature_label_and_unit(name, header=none) -%}
    {%- set setting = feature_settings().get(name, {}) -%}
    {%- set built_in = attribute_catalog('orders' if orders_are_input() and name in attribute_catalog('orders')
        else 'customers').get(name, {}) -%}
    {%- set label = built_in.get('label') -%}
    {%- set unit = var('currency') | string | trim if built_in.get('money') and var('currency', none) else built_in.get('unit', '') -%}
    {%- set text = (header or name) | string | trim -%}
    {%- set text = normalize_header(text, true) | replace('_', ' ') if modules.re.fullmatch('\\S*[a-z0-9][A-Z]\\S*', text) else text -%}
    {%- set unit_like = '(?i:[km]?[$€£¥]|[$€£¥]k?|%|eur|usd|gbp|chf|jpy|cad|aud|sek|nok|dkk|pln|inr|cny|days|weeks|months|years|hours|minutes)' -%}
    {%- set found = modules.re.fullmatch('(.+?)(?:\\s*[\\(\\[]\\s*(' ~ unit_like ~ ')\\s*[\\)\\]]|[\\s_]+(' ~ unit_like ~ ')|\\s*(%))\\s*', text) -%}
    {%- if found -%}
        {%- set text, unit = found.group(1), found.group(2) or found.group(3) or found.group(4) -%}
        {%- set unit = (unit | upper if unit | length == 3 else unit | lower) if unit.isalpha() else unit -%}
    {%- endif -%}
    {%- if label is none -%}
        {#- R's make.names writes Annual.Income: a dot between letters is a space too -#}
        {%- set text = modules.re.sub('[_\\s]+|(?<=[A-Za-z])[.](?=[A-Za-z])', ' ', text) | trim -%}
        {%- set label = text[:1] | upper ~ text[1:] -%}
    {%- endif -%}
    {%- if name in segment_features() | selectattr('date') | map(attribute='name') -%}
        {%- set text = label | lower if label[1:] == label[1:] | lower or label == label | title else label -%}
        {%- set label, unit = label if text.endswith(' since') else 'Days since ' ~ modules.re.sub(' at$', '', text), 'days' -%}
    {%- endif -%}
    {%- set label = setting.get('label', label) | string -%}
    {#- cut after the last whole word of the first 59 characters, with an ellipsis -#}
    {{ return({'label': label | truncate(60, false, '…', 0), 'unit': setting.get('unit', unit) | string}) }}
{%- endmacro %}


{% macro z_score(value, scaling, name) -%}
    (case
        when {{ scaling }}.{{ name }}_transform = 'log' then ln(1 + greatest({{ value }}, 0))
        else {{ value }}
    end - {{ scaling }}.{{ name }}_mean) / nullif({{ scaling }}.{{ name }}_stddev, 0)
{%- endmacro %}
