{#-
    The customers K-means trains on: all of them up to var training_sample_size, else a sample
    chosen by a hash of the customer id, so the same customers are chosen whatever the row
    order of the file. (The fit sorts them by value, so their order here does not matter.)
-#}
with

features as (

    select * from {{ ref('int_customer_features') }}

),

-- The customers with the smallest (hash of id, id). min_by with a count keeps only those
-- while it scans; ORDER BY ... LIMIT sorts every customer when DuckDB cannot estimate how
-- many there are (through the views upstream), 2.5 times slower at 10 million customers.
sampled as (

    select
        min_by(
            features,
            { 'id_hash': hash(features.customer_id), 'customer_id': features.customer_id },
            {{ training_sample_size() }}
        ) as customers,
    from features

),

final as (

    -- one row per customer, with the columns of int_customer_features
    select unnest(customers, recursive := true)  -- noqa: AL03
    from sampled

)

select * from final
