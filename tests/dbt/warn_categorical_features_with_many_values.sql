{#-
    Warns (one row per feature) when a categorical feature has more distinct values among the
    valid customers than var max_categories: the rarer ones are pooled as '(other)'
    (int_category_levels), which is right for a long tail and a sign of an id or free text
    otherwise. The rows are kept in the table the build prints ("See test failures").
-#}
{{ config(severity='warn', store_failures=true) }}
{%- set categoricals = categorical_features() %}

with

valid_customers as (

    select * from {{ ref('int_customer_rows') }}
    where rejection_reason is null

),

levels as (

    select * from {{ ref('int_category_levels') }}

),

distinct_values as (

    {%- for feature in categoricals %}
    select
        {{ sql_string_literal(feature.name) }} as feature_name,
        -- a category's spellings in any letter case are one value (int_category_levels)
        count(distinct lower(coalesce(cast({{ feature.name }} as string), '(missing)')))
            as distinct_value_count
    from valid_customers
    union all
    {%- endfor %}
    select
        cast(null as string) as feature_name,
        cast(null as bigint) as distinct_value_count
    from valid_customers
    where false

),

kept_categories as (

    select
        feature_name,
        count(*) as kept_category_count
    from levels
    where category <> '(other)'
    group by feature_name

),

final as (

    select
        distinct_values.feature_name,
        distinct_values.distinct_value_count,
        'categorical feature ' || {{ quoted_text('distinct_values.feature_name') }} || ' has '
        || cast(distinct_values.distinct_value_count as string) || ' distinct values, more than var '
        || {{ sql_string_literal('max_categories (' ~ max_categories() ~ '): ') }}
        || cast(coalesce(kept_categories.kept_category_count, 0) as string) || ' are kept, the rest are '
        || 'pooled as (other). An id or free text separates no segments: remove it from var '
        || 'categorical_features; or raise var max_categories' as warning
    from distinct_values
    left join kept_categories on distinct_values.feature_name = kept_categories.feature_name
    where distinct_values.distinct_value_count > {{ max_categories() }}

)

select * from final
