{#- Every input customer row that cannot be segmented, with its raw values and the reason (a
    prospect, without a valid order, is not: it is in the segment 'No purchase yet'). -#}
{%- set kinds = customer_column_kinds() %}
{#- the columns read from the customer file: the customer's id, gender and attributes -#}
{%- set columns = ['customer_id', 'gender'] + profiled_attributes() | select('in', kinds) | list
    + categorical_features() | map(attribute='name') | reject('equalto', 'gender') | list
    + profile_features('profile_categorical_features') %}

with

customers as (

    select * from {{ ref('int_customer_rows') }}

),

final as (

    select
        source_row_number,
        -- each value exactly as read, restored here for the rejected rows only
        {%- for name in columns %}
        {{ restored_raw_value(name, kinds[name]) }} as raw_{{ name }},
        {%- endfor %}
        rejection_reason
    from customers
    where rejection_reason is not null and not is_prospect

)

select * from final
