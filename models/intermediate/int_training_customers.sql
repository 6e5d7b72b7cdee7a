{#-
    The customers K-means trains on: all of them up to var training_sample_size, else a sample
    chosen by a hash of the customer id, so the same customers are chosen whatever the row
    order of the file. (The fit sorts them by value, so their order here does not matter.)
-#}
with

features as (

    select * from {{ ref('int_customer_features') }}

),

settings as (

    select * from {{ ref('int_segmentation_settings') }}

),

final as (

    select features.*
    from features
    order by hash(features.customer_id), features.customer_id
    limit (select settings.training_sample_size from settings)

)

select * from final
