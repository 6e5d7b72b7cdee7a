{#-
    One row per segment: the centroid in z units and original units (columns for the default
    features; every feature is in segment_feature_profiles), each feature's level, and the
    segment's descriptive name (see the segment_name doc block for the rule).
-#}
{%- set features = segment_features() %}
{%- set band_features = features | selectattr('naming', 'equalto', 'decade') | map(attribute='name') | list %}
{%- set max_name_parts = 5 %}

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
        centroids.z_value,
        centroids.original_value,
        {{ feature_level('centroids.z_value') }} as feature_level
    from centroids
    inner join scaling on centroids.feature = scaling.feature_name
    where centroids.category is null

),

-- Each feature's word for the name: its level in words ('High income'; 'Low tenure' for a
-- feature without words of its own), or its decade for age ('40s').
feature_words as (

    select
        *,
        {%- if features | selectattr('naming') | list %}
        case feature
            {%- for feature in features if feature.naming %}
            when {{ sql_string_literal(feature.name) }} then
                {%- if feature.naming == 'decade' %}
                {{ age_band('original_value') }}
                {%- else %}
                case feature_level
                    when 'Low' then {{ sql_string_literal(feature.naming[0]) }}
                    when 'Mid' then {{ sql_string_literal(feature.naming[1]) }}
                    when 'High' then {{ sql_string_literal(feature.naming[2]) }}
                end
                {%- endif %}
            {%- endfor %}
            else feature_level || ' ' || lower(feature_label)
        end as word,
        {%- else %}
        feature_level || ' ' || lower(feature_label) as word,
        {%- endif %}
        {%- if band_features %}
        feature in ({{ band_features | map('tojson') | join(', ') | replace('"', "'") }}) as is_band
        {%- else %}
        false as is_band
        {%- endif %}
    from numeric_centroids

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
        ) as descriptive_name
    from (
        select
            *,
            row_number() over (partition by segment_id order by word_order asc) as word_position
        from name_words
    ) as ordered_words
    group by segment_id

),

in_both_units as (

    select
        {%- for name in default_attributes() %}
        max(numeric_centroids.feature_level) filter (where numeric_centroids.feature = '{{ name }}')
            as {{ name }}_level,
        max(numeric_centroids.z_value) filter (where numeric_centroids.feature = '{{ name }}')
            as z_{{ name }},
        max(numeric_centroids.original_value) filter (where numeric_centroids.feature = '{{ name }}')
            as {{ name }},
        {%- endfor %}
        segments.segment_id
    from segments
    left join numeric_centroids on segments.segment_id = numeric_centroids.segment_id
    group by segments.segment_id

),

final as (

    select
        cast(segments.segment_id as integer) as segment_id,
        case
            when count(*) over (partition by descriptive_names.descriptive_name) > 1
                then descriptive_names.descriptive_name || ' #' || cast(segments.segment_id as string)
            else descriptive_names.descriptive_name
        end as segment_name,
        cast(count(*) over () as integer) as k,
        {%- for name in default_attributes() %}
        in_both_units.{{ name }}_level,
        {%- endfor %}
        {%- for name in default_attributes() %}
        in_both_units.z_{{ name }},
        {%- endfor %}
        {%- for name in default_attributes() %}
        in_both_units.{{ name }},
        {%- endfor %}
        cast(segments.training_customer_count as bigint) as training_customer_count,
        cast(segments.size_rank as integer) as size_rank,
        segments.is_new_segment
    from segments
    inner join in_both_units on segments.segment_id = in_both_units.segment_id
    left join descriptive_names on segments.segment_id = descriptive_names.segment_id

)

select * from final
