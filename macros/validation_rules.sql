{#-
    The validation rules for customer values, in one place. The README's "What gets rejected"
    section documents the same ranges.
-#}

{#- Accepted range and unit of each numeric customer column. -#}
{% macro numeric_column_rules() -%}
    {{ return({
        'age': {'label': 'age', 'min': 0, 'max': 120, 'whole': true},
        'annual_income': {'label': 'annual income (k$)', 'min': 0, 'max': 10000, 'whole': false},
        'spending_score': {'label': 'spending score', 'min': 0, 'max': 100, 'whole': false},
    }) }}
{%- endmacro %}


{#- The value as a finite double, or null when it is blank or not a number. -#}
{% macro parse_number(raw) -%}
    case
        when isfinite(try_cast(trim({{ raw }}) as double))
            then try_cast(trim({{ raw }}) as double)
    end
{%- endmacro %}


{#-
    Why a numeric value cannot be used, or null when it can. A blank value is only a problem
    for a feature column: other columns are informational and may be empty.
-#}
{% macro numeric_rejection_reason(name, is_feature) -%}
    {%- set rule = numeric_column_rules()[name] -%}
    {%- set raw = 'raw_' ~ name -%}
    {%- set number = name ~ '_number' -%}
    case
        when nullif(trim({{ raw }}), '') is null
            then {{ "'missing " ~ rule.label ~ " (a feature column)'" if is_feature else 'null' }}
        when {{ number }} is null
            then '{{ rule.label }} ''' || {{ raw }} || ''' is not a number'
        when {{ number }} < {{ rule.min }} or {{ number }} > {{ rule.max }}
            then '{{ rule.label }} ' || {{ raw }} || ' is outside {{ rule.min }} to {{ rule.max }}'
        {%- if rule.whole %}
        when {{ number }} <> round({{ number }})
            then '{{ rule.label }} ' || {{ raw }} || ' is not a whole number'
        {%- endif %}
    end
{%- endmacro %}


{#- Male / Female / Other / Unknown from the many spellings files use. -#}
{% macro normalize_gender(raw) -%}
    case
        when lower(trim({{ raw }})) in ('male', 'm', 'man') then 'Male'
        when lower(trim({{ raw }})) in ('female', 'f', 'woman') then 'Female'
        when lower(trim({{ raw }})) in ('other', 'non-binary', 'nonbinary', 'diverse', 'x')
            then 'Other'
        else 'Unknown'
    end
{%- endmacro %}
