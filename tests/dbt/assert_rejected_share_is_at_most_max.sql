{#-
    Warns when more than var max_rejected_share (default 0.05) of the customer rows or of the
    order rows are rejected: a build that passes with a third of its rows rejected is usually
    reading the file wrong. One row per kind of input row, with its three most common reasons
    and the var most likely to fix them, in the sentence the build prints (`warning`, logged
    by the on-run-end hook); `./run build` prints the same after the build
    (operations/rejection_summary.py).
-#}
{{ config(severity='warn', store_failures=true) }}

with

summary as (

    select * from {{ ref('int_rejection_summary') }}

),

final as (

    select
        input_rows,
        input_file,
        rejected_count,
        row_count,
        rejected_share,
        max_rejected_share,
        top_reasons,
        vars_to_check,
        'Rejected ' || cast(rejected_count as string) || ' of the ' || cast(row_count as string) || ' '
        || input_rows || ' of ' || input_file || ' (' || cast(round(100 * rejected_share, 1) as string)
        || '%), more than var max_rejected_share (' || cast(round(100 * max_rejected_share, 1) as string)
        || '%): ' || top_reasons
        || coalesce('. Check var ' || vars_to_check, '')
        || '. Every row and its reason: customer_rejections, order_rejections.' as warning
    from summary
    where rejected_share > max_rejected_share

)

select * from final
