{#-
    When no customer row is valid, stops the build with what was rejected and why, from every
    input: the counts of the customer rows and of the order rows rejected, the three most
    common kinds of reason of each (as in int_rejection_summary) and the var to check. It reads
    the rows themselves, not int_rejection_summary: dbt holds back the models after
    int_customer_rows only for the tests whose every parent is upstream of them, and this one
    must hold back the marts (like segmentable_customers, which fails at the same time).
-#}
{%- set reasons_of = {'customer rows': ref('int_customer_rows')} %}
{%- if orders_are_input() %}
{%- do reasons_of.update({'order rows': ref('int_order_rows')}) %}
{%- endif %}

with

rejections as (

    {%- for input_rows, relation in reasons_of.items() %}
    select
        {{ loop.index }} as input_position,
        {{ sql_string_literal(input_rows ~ ' of ' ~ input_label(
            'orders' if input_rows == 'order rows' or not customer_file_is_input() else 'customers')) }}
            as input_rows,
        rejection_reason,
        source_row_number
    from {{ relation }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

reason_kinds as (

    select
        input_position,
        {{ replace_regexp(
            replace_regexp('rejection_reason', sql_string_literal(" '[^']*'"), sql_string_literal(" '…'")),
            sql_string_literal('[0-9][0-9.eE+-]*'),
            sql_string_literal('N')) }} as reason_kind,
        count(*) as reason_count,
        min(source_row_number) as first_row_number,
        ' ' || max(
            {{ var_to_check('rejection_reason', 'input_position = 2') | indent(8) }}
        ) as var_to_check
    from rejections
    where rejection_reason is not null
    group by input_position, reason_kind

),

ranked_kinds as (

    select
        *,
        cast(reason_count as string) || ' × ' || reason_kind
        || ' (first: row ' || cast(first_row_number as string) || ')' as counted_reason,
        row_number() over (
            partition by input_position order by reason_count desc, first_row_number asc
        ) as reason_rank
    from reason_kinds

),

inputs as (

    select
        totals.input_position,
        case
            when totals.rejected_count > 0
                then cast(totals.rejected_count as string) || ' of the ' || cast(totals.row_count as string)
                || ' ' || totals.input_rows || ' are rejected: ' || concat_ws(
                    '; ',
                    {%- for rank in [1, 2, 3] %}
                    max(case when ranked_kinds.reason_rank = {{ rank }} then ranked_kinds.counted_reason end)
                    {{- ',' if not loop.last }}
                    {%- endfor %}
                ) || '.'
        end as sentence,
        max(case when ranked_kinds.reason_rank <= 3 then ranked_kinds.var_to_check end) as var_to_check,
        case when totals.row_count > 0 and totals.rejected_count = totals.row_count then 1 end
            as everything_rejected
    from (
        select
            input_position,
            input_rows,
            count(*) as row_count,
            count(rejection_reason) as rejected_count
        from rejections
        group by input_position, input_rows
    ) as totals
    left join ranked_kinds on totals.input_position = ranked_kinds.input_position
    group by totals.input_position, totals.input_rows, totals.row_count, totals.rejected_count

),

checked as (

    select
        case
            when max(case when input_position = 1 then everything_rejected end) = 1
                then {{ raise_error(
                    "'No customer can be segmented. ' || concat_ws(' ', "
                    ~ "max(case when input_position = 1 then sentence end), "
                    ~ "max(case when input_position = 2 then sentence end)) "
                    ~ "|| coalesce(' Check var' || coalesce(max(case when input_position = 2 then var_to_check end), "
                    ~ "max(case when input_position = 1 then var_to_check end)) || '.', '') || "
                    ~ sql_string_literal(" Each row's reason is in column rejection_reason of intermediate."
                        ~ reasons_of.values() | map(attribute='identifier') | join(' and intermediate.') ~ '.')
                ) }}
        end as problem
    from inputs

)

-- the error is raised where the problem is read
select * from checked
where problem is not null
