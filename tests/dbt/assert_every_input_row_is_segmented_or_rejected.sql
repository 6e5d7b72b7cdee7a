{#-
    Nothing is lost: the rows read from the customer file, counted straight from the file, equal
    the rows of customer_segments plus those of customer_rejections. Fails the build otherwise.
-#}
with

input_rows as (

    select count(*) as row_count from {{ customer_source() }}

),

segmented as (

    select count(*) as row_count from {{ ref('customer_segments') }}

),

rejected as (

    select count(*) as row_count from {{ ref('customer_rejections') }}

),

final as (

    select
        input_rows.row_count as input_row_count,
        segmented.row_count as segmented_row_count,
        rejected.row_count as rejected_row_count,
    from input_rows
    cross join segmented
    cross join rejected
    where input_rows.row_count <> segmented.row_count + rejected.row_count

)

select * from final
