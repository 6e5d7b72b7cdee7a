{#-
    One row per segment, categorical attribute and category: how many of the segment's
    customers are in the category, their share of the segment's customers with a value, the
    same share among all customers, and how many of the segment's customers have no value.
    The attributes are gender (when the customers come from a customer file), each categorical
    clustering feature (its categories as clustered: the most frequent ones, the rest as
    '(other)') and each categorical profile feature (var profile_categorical_features, never
    clustered: its max_categories most frequent values among all customers, the rest as
    '(other)', so a free-text column cannot flood the mart; a blank value is missing).
-#}

{#- With var retrain false the categorical features are the stored model's, known when dbt
    runs, not when it parses: the edge to their values is declared here. -#}
-- depends_on: {{ ref('customer_feature_values') }}
{%- set categorical = categorical_features() | map(attribute='name') | reject('equalto', 'gender') | list %}
{%- set profiled = profile_features('profile_categorical_features') %}

with

-- Every customer's category of every categorical attribute: gender is a column of
-- customer_segments (read there, without the join of customer_feature_values), the
-- categorical features and profile features are in customer_feature_values.
customer_values as (

    {%- if customer_file_is_input() %}
    select
        segment_id,
        'gender' as feature,
        gender as category
    from {{ ref('customer_segments') }}
    {%- endif %}
    {%- if customer_file_is_input() and (categorical or profiled) %}
    union all
    {%- endif %}
    {%- if categorical or profiled %}
    select
        segment_id,
        feature,
        category
    from {{ ref('customer_feature_values') }}
    where category is not null and feature <> 'gender'
    {%- endif %}
    {%- if not customer_file_is_input() %}
    select
        segment_id,
        cast(null as string) as feature,
        cast(null as string) as category
    from {{ ref('customer_segments') }}
    where false
    {%- endif %}

),

-- Every segment with customers: the clustered ones and 'No purchase yet', which has no centroid.
segments as (

    select
        segment_id,
        segment_name
    from {{ ref('segment_profiles') }}

),


levels as (

    select * from {{ ref('int_category_levels') }}

),
{%- if profiled %}

-- The labels of the customer file's columns (from its headers).
file_columns as (

    select * from {{ ref('stg_customer_file_columns') }}

),
{%- endif %}

-- A profile feature's spellings of one category in any letter case ('Yes', 'yes') are one
-- category, shown in its most frequent spelling (ties: the first in text order), as
-- int_category_levels does for the categorical features.
spelling_counts as (

    select
        feature,
        lower(category) as category_key,
        category,
        count(*) as spelling_count
    from customer_values
    where feature in ('{{ profiled | join("', '") }}')
    group by feature, lower(category), category

),

spellings as (

    select
        feature,
        category_key,
        category
    from (
        select
            *,
            row_number() over (
                partition by feature, category_key order by spelling_count desc, category asc
            ) as spelling_rank
        from spelling_counts
    ) as ranked_spellings
    where spelling_rank = 1

),

value_counts as (

    select
        customer_values.segment_id,
        customer_values.feature,
        coalesce(spellings.category, customer_values.category) as category,
        count(*) as customer_count
    from customer_values
    left join spellings
        on customer_values.feature = spellings.feature
        and lower(customer_values.category) = spellings.category_key
    group by
        customer_values.segment_id,
        customer_values.feature,
        coalesce(spellings.category, customer_values.category)

),

-- Each segment's size (every customer has a gender, 'Unknown' when the file has none): the
-- customers without a value of an attribute are the rest.
segment_sizes as (

    select
        segment_id,
        sum(customer_count) as customer_count
    from value_counts
    where feature = 'gender'
    group by segment_id

),

-- A profile feature keeps its max_categories most frequent values among all customers; values
-- with the same count are kept or pooled together (the count of values at least as frequent
-- decides), so a tie at the cut is never broken by name.
ranked as (

    select
        *,
        count(*) over (partition by feature order by population_count desc) as values_at_least_as_frequent
    from (
        select
            feature,
            category,
            sum(customer_count) as population_count
        from value_counts
        group by feature, category
    ) as population_counts

),

counts as (

    select
        value_counts.segment_id,
        value_counts.feature,
        case
            when value_counts.feature in ('{{ profiled | join("', '") }}')
                and ranked.values_at_least_as_frequent > {{ max_categories() }}
                then '(other)'
            else value_counts.category
        end as category,
        sum(value_counts.customer_count) as customer_count
    from value_counts
    inner join ranked on value_counts.feature = ranked.feature and value_counts.category = ranked.category
    group by
        value_counts.segment_id,
        value_counts.feature,
        case
            when value_counts.feature in ('{{ profiled | join("', '") }}')
                and ranked.values_at_least_as_frequent > {{ max_categories() }}
                then '(other)'
            else value_counts.category
        end

),

shares as (

    select
        *,
        sum(customer_count) over (partition by segment_id, feature) as customers_with_value,
        cast(customer_count as double) / sum(customer_count) over (partition by segment_id, feature)
            as category_share,
        cast(sum(customer_count) over (partition by feature, category) as double)
        / sum(customer_count) over (partition by feature) as population_share
    from counts

),

-- What each attribute is called: a clustering feature's label from its levels, a profile
-- feature's from the file's header.
labels as (

    select
        feature_name as feature,
        max(feature_label) as feature_label,
        true as is_clustering_feature
    from levels
    group by feature_name
    {%- if profiled %}
    union all
    select
        column_name as feature,
        column_label as feature_label,
        false as is_clustering_feature
    from file_columns
    where column_name in ('{{ profiled | join("', '") }}')
    {%- endif %}

),

final as (

    select
        cast(shares.segment_id as integer) as segment_id,
        segments.segment_name,
        shares.feature,
        coalesce(labels.feature_label, 'Gender') as feature_label,
        coalesce(labels.is_clustering_feature, false) as is_clustering_feature,
        shares.category,
        cast(shares.customer_count as bigint) as customer_count,
        shares.category_share,
        shares.population_share,
        shares.category_share - shares.population_share as share_vs_population,
        cast(segment_sizes.customer_count - shares.customers_with_value as bigint) as missing_count
    from shares
    inner join segments on shares.segment_id = segments.segment_id
    inner join segment_sizes on shares.segment_id = segment_sizes.segment_id
    left join labels on shares.feature = labels.feature

)

select * from final
