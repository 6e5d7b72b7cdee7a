{#-
    Generic test: the model has exactly `expected` rows (those matching `condition`, a SQL expression,
    when given). Returns one row with the count found when it differs.
-#}
{% test row_count(model, expected, condition=none) %}

with

counted as (

    select count(*) as row_count
    from {{ model }}
    {%- if condition is not none %}
    where {{ condition }}
    {%- endif %}

),

final as (

    select row_count
    from counted
    where row_count <> {{ expected }}

)

select * from final

{% endtest %}
