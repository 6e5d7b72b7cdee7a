{#- The generic test the evaluator's models use: the model has no rows (this project's own;
    the local copy of the package lacks it). -#}
{% test is_empty(model) %}

select * from {{ model }}

{% endtest %}
