{#-
    One row per customer id found on more than one input row, and which of its rows is kept:
    the first usable one in file order (else the first); int_customer_rows rejects the others.
    Small (the repeated ids only), so joining it to every row is cheap.
-#}
with

repeated_ids as (

    select customer_id
    from {{ ref('stg_customers') }}
    where customer_id is not null
    group by customer_id
    having count(*) > 1

),

rows_of_repeated_ids as (

    select *
    from {{ ref('stg_customers') }}
    where customer_id in (select repeated_ids.customer_id from repeated_ids)

),

final as (

    select
        customer_id,
        count(*) as row_count,
        -- usable rows first (false sorts before true), then file order
        arg_min(source_row_number, (value_problems is not null, source_row_number))
            as kept_row_number,
        bool_or(value_problems is null) as kept_row_is_usable,
        -- to tell an exact duplicate of the kept row from a conflicting row
        arg_min(
            { 'gender': gender, 'age': age, 'annual_income': annual_income,
              'spending_score': spending_score },
            (value_problems is not null, source_row_number)
        ) as kept_row_values,
    from rows_of_repeated_ids
    group by customer_id

)

select * from final
