{#-
    One row per segment: the centroid in z units and original units, each feature's level,
    and the segment's descriptive name (see the segment_name doc block for the rule).
-#}
{%- set features = segment_features() %}

with

centroids as (

    select * from {{ ref('int_kmeans_centroids') }}

),

scaling_rows as (

    select * from {{ ref('int_feature_scaling') }}

),

-- One row: each feature's mean and standard deviation side by side.
scaling as (

    {{ scaling_side_by_side('scaling_rows') }}

),

in_both_units as (

    select
        cast(centroids.segment_id as integer) as segment_id,
        cast(centroids.size_rank as integer) as size_rank,
        centroids.is_new_segment,
        cast(centroids.training_customer_count as bigint) as training_customer_count,
        cast(count(*) over () as integer) as k,
        {%- for feature in allowed_features() %}
        {%- if feature in features %}
        centroids.z_{{ feature }},
        centroids.z_{{ feature }} * scaling.{{ feature }}_stddev
            + scaling.{{ feature }}_mean as {{ feature }},
        {%- else %}
        cast(null as double) as z_{{ feature }},
        cast(null as double) as {{ feature }},
        {%- endif %}
        {%- endfor %}
    from centroids
    cross join scaling

),

named as (

    select
        *,
        {{ feature_level('z_age') }} as age_level,
        {{ feature_level('z_annual_income') }} as annual_income_level,
        {{ feature_level('z_spending_score') }} as spending_score_level,
        concat_ws(
            ' · ',
            {{ feature_level('z_annual_income') }} || ' income',
            {{ feature_level('z_spending_score') }} || ' spending',
            {{ age_band('age') }}
        ) as descriptive_name,
    from in_both_units

),

final as (

    select
        segment_id,
        case
            when count(*) over (partition by descriptive_name) > 1
                then descriptive_name || ' #' || segment_id
            else descriptive_name
        end as segment_name,
        k,
        age_level,
        annual_income_level,
        spending_score_level,
        z_age,
        z_annual_income,
        z_spending_score,
        age,
        annual_income,
        spending_score,
        training_customer_count,
        size_rank,
        is_new_segment,
    from named

)

select * from final
