{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}
{#-
    Each customer's segment over the builds, appended only where something changed: a row when
    a customer first appears, when its segment id differs from its last row, and when it is
    gone from the input (segment_id null). A row holds from its valid_from until the
    customer's next row (its valid_to); a rebuild of the same input adds no row. Append only,
    so it works alike on DuckDB and on Spark's Parquet tables (no update of earlier rows).
-#}

with

settings as (

    select * from {{ ref('int_segmentation_settings') }}

),

current_segments as (

    select
        customer_id,
        segment_id,
        segment_name
    from {{ ref('customer_segments') }}

),
{%- if is_incremental() %}

-- This model's own earlier rows: each customer's last known segment (null: gone).
history as (

    select * from {{ this }}

),

ranked_history as (

    select
        customer_id,
        segment_id,
        segment_name,
        row_number() over (partition by customer_id order by valid_from desc) as recency_rank
    from history

),

last_known as (

    select
        customer_id,
        segment_id,
        segment_name
    from ranked_history
    where recency_rank = 1

),
{%- else %}

-- The first build: no customer is known yet.
last_known as (

    select
        customer_id,
        segment_id,
        segment_name
    from current_segments
    where false

),
{%- endif %}

changed as (

    select
        coalesce(current_segments.customer_id, last_known.customer_id) as customer_id,
        current_segments.segment_id,
        current_segments.segment_name,
        last_known.segment_id as previous_segment_id,
        last_known.segment_name as previous_segment_name
    from current_segments
    full outer join last_known on current_segments.customer_id = last_known.customer_id
    where
        -- gone since the last build (and not already recorded as gone)
        (current_segments.customer_id is null and last_known.segment_id is not null)
        -- new, back, or in another segment
        or (
            current_segments.customer_id is not null
            and (last_known.segment_id is null or last_known.segment_id <> current_segments.segment_id)
        )

),

final as (

    select
        changed.customer_id,
        changed.segment_id,
        changed.segment_name,
        changed.previous_segment_id,
        changed.previous_segment_name,
        settings.run_started_at as valid_from,
        settings.run_id
    from changed
    cross join settings

)

select * from final
