{% macro unaccounted_row_numbers(input_rows, parts) -%}
with

input_rows as (

    select count(*) as row_count from {{ input_rows }}

),

row_number_blocks as (

    select
        count(*) as row_count,
        bit_count(bit_or(block_bit)) as distinct_row_numbers,
        min(source_row_number) as first_row_number,
        max(source_row_number) as last_row_number
    from (
        select
            source_row_number,
            floor(source_row_number / 64) as block,
            {{ one_bit_at('source_row_number - floor(source_row_number / 64) * 64') }} as block_bit
        from (
            {%- for part in parts %}
            select source_row_number from {{ part }}
            {{ 'union all' if not loop.last }}
            {%- endfor %}
        ) as all_parts
    ) as numbered
    group by block

),

accounted as (

    select
        coalesce(sum(row_count), 0) as row_count,
        coalesce(sum(distinct_row_numbers), 0) as distinct_row_numbers,
        min(first_row_number) as first_row_number,
        max(last_row_number) as last_row_number
    from row_number_blocks

),

final as (

    select
        input_rows.row_count as input_row_count,
        accounted.row_count as accounted_row_count,
        accounted.distinct_row_numbers,
        accounted.first_row_number,
        accounted.last_row_number
    from input_rows
    cross join accounted
    where
        accounted.row_count <> input_rows.row_count
        or accounted.distinct_row_numbers <> input_rows.row_count
        or (input_rows.row_count > 0 and accounted.first_row_number <> 1)
        or accounted.last_row_number <> input_rows.row_count

)

select * from final
{%- endmacro %}
