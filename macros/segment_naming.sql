{% macro feature_level(z_value) -%}
    case
        when {{ z_value }} is null then null
        when {{ z_value }} < -0.5 then 'Low'
        when {{ z_value }} > 0.5 then 'High'
        else 'Mid'
    end
{%- endmacro %}
