{% macro feature_level(z_value) -%}
    case
        when {{ z_value }} is null then null
        when {{ z_value }} < -0.5 then 'Low'
        when {{ z_value }} > 0.5 then 'High'
        else 'Mid'
    end
{%- endmacro %}


{% macro age_band(age) -%}
    case
        when {{ age }} is null then null
        when {{ age }} < 20 then 'under 20'
        when {{ age }} >= 70 then '70+'
        else cast(cast(floor({{ age }} / 10) * 10 as integer) as string) || 's'
    end
{%- endmacro %}
