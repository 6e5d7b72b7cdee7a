{#-
    Generic test: every non-null value of the column lies between min_value and max_value
    (either may be omitted), both ends included unless inclusive=false. The rows it returns
    are the values out of range.
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

{%- if min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error(
        "accepted_range on " ~ column_name ~ " needs min_value, max_value or both.") }}
{%- endif -%}
{%- set lower_op = '>=' if inclusive else '>' -%}
{%- set upper_op = '<=' if inclusive else '<' -%}

with

checked as (

    select {{ column_name }} as checked_value
    from {{ model }}
    where {{ column_name }} is not null

),

final as (

    select checked_value
    from checked
    where not (
        true
        {%- if min_value is not none %}
        and checked_value {{ lower_op }} {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        and checked_value {{ upper_op }} {{ max_value }}
        {%- endif %}
    )

)

select * from final

{% endtest %}
