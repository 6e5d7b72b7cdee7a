{#-
    Nothing is lost and nothing is counted twice: the source_row_numbers of customer_segments
    and customer_rejections together are exactly 1..N, N being the rows read from the customer
    file (stg_customer_file_rows: parsed rows plus unreadable lines). So every input row is
    segmented or rejected, once, and source_row_number is the key of the staging rows
    (stg_customers, int_customer_rows), checked here in one scan at the end of the build.

    Repeated row numbers are counted in blocks of 64 consecutive numbers, each block's numbers
    as the bits of one integer (a number seen twice sets its bit once): exact, like
    count(distinct), but its hash table holds N / 64 blocks instead of N numbers. At 10^8 rows
    count(distinct), beside the key test of customer_segments, ran out of memory under a 300MB
    DuckDB memory limit.
-#}
with

input_rows as (

    select count(*) as row_count from {{ ref('stg_customer_file_rows') }}

),

segmented as (

    select source_row_number from {{ ref('customer_segments') }}

),

rejected as (

    select source_row_number from {{ ref('customer_rejections') }}

),

row_number_blocks as (

    select
        count(*) as row_count,
        bit_count(bit_or(cast(1 as ubigint) << cast(source_row_number - block * 64 as integer)))
            as distinct_row_numbers,
        min(source_row_number) as first_row_number,
        max(source_row_number) as last_row_number,
    from (
        select
            source_row_number,
            floor(source_row_number / 64) as block,
        from (
            select source_row_number from segmented
            union all
            select source_row_number from rejected
        ) as both_sides
    ) as numbered
    group by block

),

accounted as (

    select
        coalesce(sum(row_count), 0) as row_count,
        coalesce(sum(distinct_row_numbers), 0) as distinct_row_numbers,
        min(first_row_number) as first_row_number,
        max(last_row_number) as last_row_number,
    from row_number_blocks

),

final as (

    select
        input_rows.row_count as input_row_count,
        accounted.row_count as segmented_or_rejected_row_count,
        accounted.distinct_row_numbers,
        accounted.first_row_number,
        accounted.last_row_number,
    from input_rows
    cross join accounted
    where
        accounted.row_count <> input_rows.row_count
        or accounted.distinct_row_numbers <> input_rows.row_count
        or (input_rows.row_count > 0 and accounted.first_row_number <> 1)
        or accounted.last_row_number <> input_rows.row_count

)

select * from final
