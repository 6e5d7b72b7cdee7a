{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}
{#-
    One row per build (training or scoring only), appended: when it ran, when the build before
    it ran (the one the migration marts compare it with) and how many customers it segmented.
-#}

with

settings as (

    select * from {{ ref('int_segmentation_settings') }}

),

customers as (

    select count(*) as customer_count from {{ ref('customer_segments') }}

),

previous_run as (
    {%- if is_incremental() %}

    select max(run_started_at) as run_started_at from {{ this }}
    {%- else %}

    select cast(null as timestamp) as run_started_at
    {%- endif %}

),

final as (

    select
        settings.run_id,
        settings.run_started_at,
        previous_run.run_started_at as previous_run_started_at,
        settings.retrain,
        settings.reset_segment_ids,
        customers.customer_count
    from settings
    cross join previous_run
    cross join customers

)

select * from final
