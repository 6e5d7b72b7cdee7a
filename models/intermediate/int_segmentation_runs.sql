{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}
{#-
    One row per build (training or scoring only), appended: when it ran and how many customers
    it segmented. The builds the migration marts compare are the latest two rows.
-#}

with

settings as (

    select * from {{ ref('int_segmentation_settings') }}

),

customers as (

    select count(*) as customer_count from {{ ref('customer_segments') }}

),

final as (

    select
        settings.run_id,
        settings.run_started_at,
        settings.retrain,
        settings.reset_segment_ids,
        customers.customer_count
    from settings
    cross join customers

)

select * from final
