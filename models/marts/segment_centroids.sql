{#-
    One row per segment: its descriptive name (see the segment_name doc block for the rule),
    k, size rank and whether it is new; the centroid of every feature, in z units and original
    units, with its level, is in segment_feature_profiles.
-#}
{%- set max_name_parts = 5 %}
{#- a name is read in a legend or a dropdown: longer names (a long category) end in an ellipsis -#}
{%- set max_name_length = 60 %}

with

centroids as (

    select * from {{ ref('int_trained_centroids') }}

),

scaling as (

    select * from {{ ref('int_feature_scaling') }}

),

levels as (

    select * from {{ ref('int_category_levels') }}

),

catalog as (

    select * from {{ ref('int_attribute_catalog') }}

),

segments as (

    select
        segment_id,
        max(size_rank) as size_rank,
        max(training_customer_count) as training_customer_count,
        bool_or(is_new_segment) as is_new_segment
    from centroids
    group by segment_id

),

numeric_centroids as (

    select
        centroids.segment_id,
        centroids.feature,
        scaling.feature_position,
        scaling.feature_label,
        scaling.feature_source,
        centroids.z_value,
        centroids.original_value,
        {{ feature_level('centroids.z_value') }} as feature_level
    from centroids
    inner join scaling on centroids.feature = scaling.feature_name
    where centroids.category is null

),

-- Each feature's word for the name: its level in the catalog's words ('High income'; 'Low
-- tenure' for a feature without words of its own), or its decade ('40s').
feature_words as (

    select
        numeric_centroids.*,
        case
            when catalog.is_named_by_decade then
                case
                    when numeric_centroids.original_value is null then null
                    when numeric_centroids.original_value < 20 then 'under 20'
                    when numeric_centroids.original_value >= 70 then '70+'
                    else cast(cast(floor(numeric_centroids.original_value / 10) * 10 as integer) as string)
                        || 's'
                end
            else coalesce(
                case numeric_centroids.feature_level
                    when 'Low' then catalog.low_word
                    when 'Mid' then catalog.mid_word
                    when 'High' then catalog.high_word
                end,
                numeric_centroids.feature_level || ' ' || lower(numeric_centroids.feature_label)
            )
        end as word,
        coalesce(catalog.is_named_by_decade, false) as is_band
    from numeric_centroids
    left join catalog
        on numeric_centroids.feature = catalog.attribute_name
        and numeric_centroids.feature_source = catalog.attribute_source

),

-- The levels that tell a segment apart most: the 3 farthest from the population's mean.
distinct_words as (

    select
        *,
        row_number() over (
            partition by segment_id, is_band order by abs(z_value) desc, feature_position asc
        ) as distinctness_rank
    from feature_words

),

-- A category at least half of the segment has, and 1.5 times as often as all customers.
category_words as (

    select
        centroids.segment_id,
        centroids.category || ' ' || lower(levels.feature_label) as word,
        row_number() over (
            partition by centroids.segment_id
            order by centroids.original_value - levels.category_share desc, levels.feature_position asc
        ) as category_rank
    from centroids
    inner join levels
        on centroids.feature = levels.feature_name and centroids.category = levels.category
    where
        centroids.original_value >= 0.5
        and centroids.original_value >= 1.5 * levels.category_share
        and centroids.category not in ('(other)', '(missing)')

),

name_words as (

    select
        segment_id,
        word,
        feature_position + case when is_band then 1000 else 0 end as word_order
    from distinct_words
    where is_band or distinctness_rank <= 3
    union all
    select
        segment_id,
        word,
        2000 as word_order
    from category_words
    where category_rank = 1

),

descriptive_names as (

    select
        segment_id,
        concat_ws(
            ' · ',
            {%- for position in range(1, max_name_parts + 1) %}
            max(word) filter (where word_position = {{ position }}){{ ',' if not loop.last }}
            {%- endfor %}
        ) as full_name
    from (
        select
            *,
            row_number() over (partition by segment_id order by word_order asc) as word_position
        from name_words
    ) as ordered_words
    group by segment_id

),

capped_names as (

    select
        segment_id,
        case
            when length(full_name) > {{ max_name_length }}
                then left(full_name, {{ max_name_length - 1 }}) || '…'
            else full_name
        end as descriptive_name
    from descriptive_names

),

final as (

    select
        cast(segments.segment_id as integer) as segment_id,
        case
            when count(*) over (partition by capped_names.descriptive_name) > 1
                then capped_names.descriptive_name || ' #' || cast(segments.segment_id as string)
            else capped_names.descriptive_name
        end as segment_name,
        cast(count(*) over () as integer) as k,
        cast(segments.training_customer_count as bigint) as training_customer_count,
        cast(segments.size_rank as integer) as size_rank,
        segments.is_new_segment
    from segments
    left join capped_names on segments.segment_id = capped_names.segment_id

)

select * from final
