{#-
    Every input row (stg_customers) with the final reason it cannot be segmented: its own value
    problems, and for a repeated customer id that is not the kept row, which row is kept.
    Null rejection_reason: a valid customer. A view over stg_customers and the small
    int_duplicate_customer_ids.
-#}
{{ config(materialized='view') }}

with

input_rows as (

    select * from {{ ref('stg_customers') }}

),

duplicate_ids as (

    select * from {{ ref('int_duplicate_customer_ids') }}

),

final as (

    select
        input_rows.source_row_number,
        input_rows.raw_customer_id_if_different,
        input_rows.raw_gender_if_different,
        input_rows.raw_age_if_different,
        input_rows.raw_annual_income_if_different,
        input_rows.raw_spending_score_if_different,
        input_rows.customer_id,
        input_rows.gender,
        input_rows.age,
        input_rows.annual_income,
        input_rows.spending_score,
        nullif(
            concat_ws(
                '; ',
                input_rows.value_problems,
                case
                    when duplicate_ids.customer_id is null then null
                    when input_rows.source_row_number = duplicate_ids.kept_row_number then null
                    -- no row of this id is usable: each already has its own reason
                    when not duplicate_ids.kept_row_is_usable then null
                    -- the same typed values as the (usable) kept row: an exact duplicate
                    when input_rows.value_problems is null
                        and duplicate_ids.kept_row_values is not distinct from {
                            'gender': input_rows.gender, 'age': input_rows.age,
                            'annual_income': input_rows.annual_income,
                            'spending_score': input_rows.spending_score
                        }
                        then 'duplicate customer id ''' || input_rows.customer_id
                            || ''': same values as row ' || duplicate_ids.kept_row_number
                            || ', which is kept'
                    else 'duplicate customer id ''' || input_rows.customer_id
                        || ''' with different values from row ' || duplicate_ids.kept_row_number
                        || ', which is kept; fix the id or merge the rows'
                end
            ),
            ''
        ) as rejection_reason,
    from input_rows
    left join duplicate_ids on input_rows.customer_id = duplicate_ids.customer_id

)

select * from final
