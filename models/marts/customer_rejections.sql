{#- Every input row that cannot be segmented, with its raw values and the reason. -#}
with

customers as (

    select * from {{ ref('int_customer_rows') }}

),

final as (

    select
        source_row_number,
        -- each value exactly as read, restored here for the rejected rows only
        {%- for name in customer_column_aliases().keys() %}
        {{ restored_raw_value(name) }} as raw_{{ name }},
        {%- endfor %}
        rejection_reason,
    from customers
    where rejection_reason is not null

)

select * from final
