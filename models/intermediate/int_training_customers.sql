{#-
    The customers K-means trains on: all of them up to var training_sample_size, else the ones
    with the smallest md5 of their id, so the same customers are chosen whatever the row order
    of the file, on every engine (md5 gives the same values everywhere; hash() does not). The
    fit sorts them by value, so their order here does not matter. Prospects (customers without
    a valid order) are never clustered.
-#}
with

features as (

    select * from {{ ref('int_customer_features') }}
    where not is_prospect

),

-- Both engines keep the top rows while they scan (DuckDB's TopN, Spark's
-- TakeOrderedAndProject): no sort of every customer.
final as (

    select *
    from features
    order by md5(customer_id)
    limit {{ training_sample_size() }}

)

select * from final
