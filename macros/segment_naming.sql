{% macro feature_level(z_value, feature) -%}
    case
        when {{ z_value }} is null then null
        when {{ z_value }} < -0.5 or ({{ z_value }} <= -0.25 and {{ z_value }} = min({{ z_value }}) over (partition by {{ feature }})) then 'Low'
        when {{ z_value }} > 0.5 or ({{ z_value }} >= 0.25 and {{ z_value }} = max({{ z_value }}) over (partition by {{ feature }})) then 'High'
        else 'Mid'
    end
{%- endmacro %}
