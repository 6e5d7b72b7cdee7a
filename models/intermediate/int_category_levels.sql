{{ config(materialized='incremental', full_refresh=retrain()) }}
{#-
    One row per category kept of each categorical clustering feature (var
    categorical_features): the var max_categories most frequent among the valid customers, each
    held by at least var min_category_share of them (a tie at the cut is kept or pooled whole),
    the rest pooled as '(other)', a blank value as '(missing)'. A category's spellings in any
    letter case are one category, shown as its most frequent spelling. Each category
    becomes a one-hot column for K-means, centred on its share and scaled by the feature's
    weight w / sqrt(1 - sum of squared shares), w being var categorical_weight (default 0.5):
    the one-hot columns of a categorical feature then have a total variance of w^2 (a quarter
    of a standardized numeric feature's by default), however many categories it has. Weighed
    fully (w = 1), one category column split the planted groups of a CRM export along its
    categories (k = 10 instead of 4); at 0.5 categories refine the segments the numbers draw.
    Empty when no categorical feature is chosen. Incremental: a training rebuilds it; with var
    retrain false the stored levels are kept as they are (keep_trained_model), like the scaling.
-#}
{%- set categoricals = categorical_features() %}
{%- set min_category_share = decimal_var('min_category_share', 0, 0.5, 0.01) %}
{%- if not retrain() %}

{{ keep_trained_model() }}

{%- else %}

with

valid_customers as (

    select * from {{ ref('int_customer_rows') }}
    where rejection_reason is null

),
{%- if categoricals %}

-- The labels of the customer file's columns (from its headers).
file_columns as (

    select * from {{ ref('stg_customer_file_columns') }}

),

spelling_counts as (

    {%- for feature in categoricals %}
    select
        {{ sql_string_literal(feature.name) }} as feature_name,
        {{ feature.position }} as feature_position,
        coalesce(cast({{ feature.name }} as string), '(missing)') as spelling,
        count(*) as customer_count
    from valid_customers
    group by coalesce(cast({{ feature.name }} as string), '(missing)')
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

-- A category is its spellings in any letter case ('Gold', 'GOLD' and 'gold' are one), shown as
-- its most frequent spelling (the first in text order among equally frequent ones).
category_counts as (

    select
        feature_name,
        feature_position,
        max(case when spelling_rank = 1 then spelling end) as category,
        sum(customer_count) as customer_count
    from (
        select
            *,
            row_number() over (
                partition by feature_name, lower(spelling) order by customer_count desc, spelling asc
            ) as spelling_rank
        from spelling_counts
    ) as ranked_spellings
    group by feature_name, feature_position, lower(spelling)

),

-- A category is kept when it is among the max_categories most frequent and at least
-- min_category_share of the customers have it. Categories with the same count are kept or
-- pooled together (the count of categories at least as frequent decides), so a tie at the cut
-- is never broken by name.
ranked as (

    select
        *,
        count(*) over (partition by feature_name order by customer_count desc)
            as categories_at_least_as_frequent,
        sum(customer_count) over (partition by feature_name) as feature_customer_count
    from category_counts

),

kept as (

    select
        *,
        categories_at_least_as_frequent <= {{ max_categories() }}
        and customer_count >= {{ min_category_share }} * feature_customer_count as is_kept
    from ranked

),

capped as (

    select
        feature_name,
        feature_position,
        case when is_kept then category else '(other)' end as category,
        sum(customer_count) as customer_count,
        count(*) as distinct_value_count
    from kept
    group by
        feature_name,
        feature_position,
        case when is_kept then category else '(other)' end

),

shares as (

    select
        *,
        cast(customer_count as double) / sum(customer_count) over (partition by feature_name)
            as category_share
    from capped

),

weights as (

    select
        feature_name,
        count(*) as category_count,
        max(category) as only_category,
        sum(distinct_value_count) as distinct_value_count,
        1 - sum(category_share * category_share) as one_hot_variance
    from shares
    group by feature_name

),

final as (

    select
        shares.feature_name,
        shares.feature_position,
        file_columns.column_label as feature_label,
        shares.category,
        -- the order of the one-hot columns and of the profiles: by count, then by name, '(other)' last
        cast(row_number() over (
            partition by shares.feature_name
            order by shares.category = '(other)', shares.customer_count desc, shares.category
        ) as integer) as category_rank,
        shares.customer_count,
        shares.category_share,
        case
            when weights.category_count = 1 and weights.only_category = '(other)' then {{ raise_error(
                "'Categorical feature ' || " ~ quoted_text('shares.feature_name') ~ " || ' has '
                || cast(weights.distinct_value_count as string) || ' distinct values and none is kept: '
                || " ~ sql_string_literal(
                    "a category needs " ~ '%g' | format(min_category_share * 100) ~ "% of the valid customers "
                    ~ "(var min_category_share) and a place among the " ~ max_categories() ~ " most frequent (var "
                    ~ "max_categories; categories with the same count are kept or pooled together), so it cannot "
                    ~ "separate segments (an id or free text?). Remove it from var 'categorical_features', or "
                    ~ "change those vars.")
            ) }}
            when weights.category_count = 1 then {{ raise_error(
                "'Feature ' || " ~ quoted_text('shares.feature_name') ~ " || ' has the same category ('
                || " ~ quoted_text('weights.only_category') ~ " || ') for every valid customer, so it '
                || " ~ sql_string_literal(
                    "cannot separate segments. Remove it from var 'categorical_features', or check the file.")
            ) }}
            else {{ categorical_weight() }} / sqrt(weights.one_hot_variance)
        end as feature_weight
    from shares
    inner join weights on shares.feature_name = weights.feature_name
    left join file_columns on shares.feature_name = file_columns.column_name

)
{%- else %}

final as (

    select
        cast(null as string) as feature_name,
        cast(null as integer) as feature_position,
        cast(null as string) as feature_label,
        cast(null as string) as category,
        cast(null as integer) as category_rank,
        cast(null as bigint) as customer_count,
        cast(null as double) as category_share,
        cast(null as double) as feature_weight
    from valid_customers
    where false

)
{%- endif %}

select * from final

{%- endif %}
