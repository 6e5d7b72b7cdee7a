{#-
    One row per segment, categorical attribute and category: how many of the segment's
    customers are in the category, their share of the segment and the share among all
    customers. The attributes are gender (when the customers come from a customer file) and
    each categorical clustering feature (its categories as clustered: the most frequent ones,
    the rest as '(other)').
-#}

{#- With var retrain false the categorical features are the stored model's, known when dbt
    runs, not when it parses: the edge to their values is declared here. -#}
-- depends_on: {{ ref('customer_feature_values') }}
{%- set categorical = categorical_features() | map(attribute='name') | reject('equalto', 'gender') | list %}

with

-- Every customer's category of every categorical attribute: gender is a column of
-- customer_segments (read there, without the join of customer_feature_values), the
-- categorical features are in customer_feature_values.
customer_values as (

    {%- if customer_file_is_input() %}
    select
        segment_id,
        'gender' as feature,
        gender as category
    from {{ ref('customer_segments') }}
    {%- endif %}
    {%- if customer_file_is_input() and categorical %}
    union all
    {%- endif %}
    {%- if categorical %}
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

segments as (

    select
        segment_id,
        segment_name
    from {{ ref('segment_centroids') }}

),

levels as (

    select * from {{ ref('int_category_levels') }}

),

counts as (

    select
        segment_id,
        feature,
        category,
        count(*) as customer_count
    from customer_values
    group by segment_id, feature, category

),

shares as (

    select
        *,
        cast(customer_count as double) / sum(customer_count) over (partition by segment_id, feature)
            as category_share,
        cast(sum(customer_count) over (partition by feature, category) as double)
        / sum(customer_count) over (partition by feature) as population_share
    from counts

),

final as (

    select
        cast(shares.segment_id as integer) as segment_id,
        segments.segment_name,
        shares.feature,
        coalesce(max(levels.feature_label), 'Gender') as feature_label,
        max(levels.feature_name) is not null as is_clustering_feature,
        shares.category,
        cast(shares.customer_count as bigint) as customer_count,
        shares.category_share,
        shares.population_share,
        shares.category_share - shares.population_share as share_vs_population
    from shares
    inner join segments on shares.segment_id = segments.segment_id
    left join levels on shares.feature = levels.feature_name
    group by
        shares.segment_id,
        segments.segment_name,
        shares.feature,
        shares.category,
        shares.customer_count,
        shares.category_share,
        shares.population_share

)

select * from final
