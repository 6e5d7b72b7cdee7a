{#-
    One row per customer id found on more than one input row, and which of its rows is kept:
    the first usable one in file order (else the first); int_customer_rows rejects the others.
    Small (the repeated ids only), so joining it to every row is cheap. The kept row's values
    (kept_<column>) tell an exact duplicate from a conflicting row.
-#}
{{ config(enabled=customer_file_is_input()) }}
{%- set compared = customer_column_kinds().keys() | reject('equalto', 'customer_id') | list %}

with

repeated_ids as (

    select customer_id
    from {{ ref('stg_customer_file_rows') }}
    where customer_id is not null
    group by customer_id
    having count(*) > 1

),

rows_of_repeated_ids as (

    select file_rows.*
    from ({{ numbered_file_rows(ref('stg_customer_file_rows')) | indent(4) }}) as file_rows
    inner join repeated_ids on file_rows.customer_id = repeated_ids.customer_id

),

kept_rows as (

    select
        customer_id,
        count(*) as row_count,
        -- the first usable row, else the first row
        coalesce(
            min(source_row_number) filter (where value_problems is null),
            min(source_row_number)
        ) as kept_row_number,
        bool_or(value_problems is null) as kept_row_is_usable
    from rows_of_repeated_ids
    group by customer_id

),

final as (

    select
        kept_rows.customer_id,
        kept_rows.row_count,
        kept_rows.kept_row_number,
        {%- for name in compared %}
        kept_values.{{ name }} as kept_{{ name }},
        {%- endfor %}
        kept_rows.kept_row_is_usable
    from kept_rows
    inner join rows_of_repeated_ids as kept_values
        on kept_rows.kept_row_number = kept_values.source_row_number

)

select * from final
