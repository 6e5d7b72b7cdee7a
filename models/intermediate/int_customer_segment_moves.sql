{{ config(materialized='view') }}
{#-
    Every customer of either build the migration marts compare, once: its segment in the
    compared build (int_previous_customer_segments; null: new since) and in the latest one
    (customer_segments; null: gone since), with the times of both builds. A view: each mart
    reads it once.
-#}

with

previous_segments as (

    select * from {{ ref('int_previous_customer_segments') }}

),

current_segments as (

    select * from {{ ref('customer_segments') }}

),

settings as (

    select * from {{ ref('int_segmentation_settings') }}

),

compared_build as (

    select max(segmented_at) as segmented_at from previous_segments

),

final as (

    select
        coalesce(current_segments.customer_id, previous_segments.customer_id) as customer_id,
        previous_segments.segment_id as from_segment_id,
        previous_segments.segment_name as from_segment_name,
        current_segments.segment_id as to_segment_id,
        current_segments.segment_name as to_segment_name,
        compared_build.segmented_at as from_segmented_at,
        settings.run_started_at as to_segmented_at
    from previous_segments
    full outer join current_segments on previous_segments.customer_id = current_segments.customer_id
    cross join compared_build
    cross join settings

)

select * from final
