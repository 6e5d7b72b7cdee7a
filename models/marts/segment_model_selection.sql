{#- One row per k tried, with the metrics used to choose k (fitted in int_kmeans_model_selection). -#}
with

selection as (

    select * from {{ ref('int_kmeans_model_selection') }}

),

final as (

    select
        cast(k as integer) as k,
        inertia,
        silhouette,
        calinski_harabasz,
        davies_bouldin,
        stability,
        smallest_segment_share,
        is_elbow,
        is_chosen,
        choice_reason,
        cast(training_customer_count as bigint) as training_customer_count,
        cast(silhouette_sample_size as bigint) as silhouette_sample_size
    from selection

)

select * from final
