{#-
    What is wrong with the input file, most frequent problem first, with an example row.
    Values in the reasons (quoted text, numbers) are masked so alike problems group together.
-#}
with

rejections as (

    select * from {{ ref('customer_rejections') }}

),

problems as (

    select
        regexp_replace(rejection_reason, '''[^'']*''|-?[0-9][0-9.e+]*', '…', 'g') as problem,
        source_row_number,
        rejection_reason
    from rejections

),

final as (

    select
        problem,
        count(*) as row_count,
        min(source_row_number) as first_row_number,
        arg_min(rejection_reason, source_row_number) as first_reason
    from problems
    group by problem

)

select * from final
order by row_count desc, problem asc
