{#- Every input customer row that cannot be segmented, with its raw values and the reason. -#}
{%- set kinds = customer_column_kinds() %}

with

customers as (

    select * from {{ ref('int_customer_rows') }}

),

final as (

    select
        source_row_number,
        -- each value exactly as read, restored here for the rejected rows only
        {%- for name in ['customer_id', 'gender'] + default_attributes() %}
        {%- if name in kinds %}
        {{ restored_raw_value(name, kinds[name]) }} as raw_{{ name }},
        {%- else %}
        cast(null as string) as raw_{{ name }},
        {%- endif %}
        {%- endfor %}
        rejection_reason
    from customers
    where rejection_reason is not null

)

select * from final
