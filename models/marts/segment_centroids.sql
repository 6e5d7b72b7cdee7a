{#-
    One row per segment: its descriptive name (see the segment_name doc block for the rule),
    k, size rank and whether it is new; the centroid of every feature, in z units and original
    units, with its level, is in segment_feature_profiles.
-#}
{%- set max_name_parts = 5 %}
{#- a name is read in a legend or a dropdown: longer names (a long category) are cut and end in
    an ellipsis -#}
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
        {{ feature_level('centroids.z_value', 'centroids.feature') }} as feature_level
    from centroids
    inner join scaling on centroids.feature = scaling.feature_name
    where centroids.category is null

),

-- A label inside a name starts in lower case when it is in sentence case ('Monthly charges');
-- other capitals are the user's and stay ('Avg Discount', 'NPS').
labels_in_names as (

    select
        feature_name,
        case
            when substr(feature_label, 2) = lower(substr(feature_label, 2))
                then lower(substr(feature_label, 1, 1)) || substr(feature_label, 2)
            else feature_label
        end as name_label
    from (
        select
            feature_name,
            feature_label
        from scaling
        union all
        select distinct
            feature_name,
            feature_label
        from levels
    ) as labels

),

-- Each feature's word for the name: its level in the catalog's words ('High income'; 'Low
-- tenure' for a feature without words of its own), or its decade ('40s'). The level is relative
-- to the segments too: the lowest segment below the mean is Low, the highest above it High.
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
                numeric_centroids.feature_level || ' ' || labels_in_names.name_label
            )
        end as word,
        coalesce(catalog.is_named_by_decade, false) as is_band
    from numeric_centroids
    inner join labels_in_names on numeric_centroids.feature = labels_in_names.feature_name
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

-- Each segment's categories by how much more often it has them than all customers: the first
-- is named when at least half of the segment has it, and 1.5 times as often as all customers.
category_words as (

    select
        centroids.segment_id,
        centroids.category || ' ' || labels_in_names.name_label as word,
        centroids.original_value >= 0.5 and centroids.original_value >= 1.5 * levels.category_share
            as is_typical,
        centroids.original_value > levels.category_share as is_over_represented,
        row_number() over (
            partition by centroids.segment_id
            order by
                centroids.original_value - levels.category_share desc,
                levels.feature_position asc,
                centroids.category asc
        ) as category_rank
    from centroids
    inner join levels
        on centroids.feature = levels.feature_name and centroids.category = levels.category
    inner join labels_in_names on levels.feature_name = labels_in_names.feature_name
    where centroids.category not in ('(other)', '(missing)')

),

candidate_words as (

    select
        segment_id,
        feature,
        word,
        feature_position + case when is_band then 1000 else 0 end as word_order,
        feature_level = 'Mid' and not is_band as is_mid_level
    from distinct_words
    where is_band or distinctness_rank <= 3
    union all
    select
        segment_id,
        cast(null as string) as feature,
        word,
        2000 as word_order,
        false as is_mid_level
    from category_words
    where category_rank = 1 and is_typical

),

-- A word every segment has (all in their 50s, all Mid on a feature) tells none apart: it is
-- left out, unless it is all a segment's name would say.
name_words as (

    select
        segment_id,
        feature,
        word,
        word_order,
        is_mid_level
    from (
        select
            *,
            bool_and(is_everyones) over (partition by segment_id) as is_all_it_says
        from (
            select
                candidate_words.*,
                count(*) over (partition by candidate_words.feature, candidate_words.word)
                = segment_counts.segment_count as is_everyones
            from candidate_words
            cross join (select count(*) as segment_count from segments) as segment_counts
        ) as counted_words
    ) as shared_words
    where not is_everyones or is_all_it_says

),

first_names as (

    select
        segment_id,
        concat_ws(
            ' · ',
            {%- for position in range(1, max_name_parts + 1) %}
            max(case when word_position = {{ position }} then word end){{ ',' if not loop.last }}
            {%- endfor %}
        ) as first_name
    from (
        select
            *,
            row_number() over (partition by segment_id order by word_order asc) as word_position
        from name_words
    ) as ordered_words
    group by segment_id

),

-- Segments whose first names are the same: they are told apart by what differs between them,
-- before any '#<id>'.
tied_names as (

    select
        segment_id,
        first_name
    from (
        select
            *,
            count(*) over (partition by first_name) as segment_count
        from first_names
    ) as counted
    where segment_count > 1

),

-- The tied segments' words, feature by feature, and how they differ between them (Spark has
-- no count(distinct) over a window: the lowest and highest word compare).
tied_words as (

    select
        *,
        min(word) over (partition by first_name, feature) as lowest_word,
        max(word) over (partition by first_name, feature) as highest_word,
        min(z_value) over (partition by first_name, feature) as lowest_z,
        max(z_value) over (partition by first_name, feature) as highest_z,
        count(*) over (partition by first_name, feature, z_value) as segments_at_z,
        min(distinctness_rank) over (partition by first_name, feature) as best_rank
    from (
        select
            tied_names.first_name,
            distinct_words.*
        from tied_names
        inner join distinct_words on tied_names.segment_id = distinct_words.segment_id
        where not distinct_words.is_band
    ) as words_of_tied_segments

),

-- 1. Another level: the feature left out of their names whose words differ most between them.
other_levels as (

    select
        segment_id,
        word,
        feature_position as word_order,
        feature_level = 'Mid' as is_mid_level
    from (
        select
            *,
            dense_rank() over (
                partition by first_name order by highest_z - lowest_z desc, feature_position asc
            ) as feature_rank
        from tied_words
        where best_rank > 3 and lowest_word <> highest_word
    ) as ranked
    where feature_rank = 1

),

-- 2. A stronger word: 'Very high ...' for the one highest of them, 'Very low ...' the lowest.
stronger_words as (

    select
        segment_id,
        feature,
        'Very ' || lower(substr(word, 1, 1)) || substr(word, 2) as word
    from tied_words
    where
        distinctness_rank <= 3
        and segments_at_z = 1
        and highest_z > lowest_z
        and (
            (feature_level = 'High' and z_value = highest_z)
            or (feature_level = 'Low' and z_value = lowest_z)
        )

),

-- 3. A category: the one each has most more often than all customers, when theirs differ.
other_categories as (

    select
        segment_id,
        word,
        2001 as word_order,
        false as is_mid_level
    from (
        select
            tied_names.first_name,
            tied_names.segment_id,
            category_words.word,
            count(*) over (partition by tied_names.first_name) as segment_count,
            count(category_words.word) over (partition by tied_names.first_name) as word_count,
            min(category_words.word) over (partition by tied_names.first_name) as lowest_word,
            max(category_words.word) over (partition by tied_names.first_name) as highest_word
        from tied_names
        left join category_words
            on
                tied_names.segment_id = category_words.segment_id
                and category_words.category_rank = 1
                and category_words.is_over_represented
    ) as candidates
    where word is not null and (lowest_word <> highest_word or word_count < segment_count)

),

told_apart_words as (

    select
        name_words.segment_id,
        coalesce(stronger_words.word, name_words.word) as word,
        name_words.word_order,
        name_words.is_mid_level and stronger_words.word is null as is_mid_level
    from name_words
    left join stronger_words
        on name_words.segment_id = stronger_words.segment_id
        and name_words.feature = stronger_words.feature
    union all
    select * from other_levels
    union all
    select * from other_categories

),

-- A name too long to show drops its Mid levels first: they say least about a segment.
descriptive_names as (

    select
        segment_id,
        case
            when length(full_name) > {{ max_name_length }} and name_without_mid_levels <> ''
                then name_without_mid_levels
            else full_name
        end as full_name
    from (
        select
            segment_id,
            concat_ws(
                ' · ',
                {%- for position in range(1, max_name_parts + 3) %}
                max(case when word_position = {{ position }} then word end){{ ',' if not loop.last }}
                {%- endfor %}
            ) as full_name,
            concat_ws(
                ' · ',
                {%- for position in range(1, max_name_parts + 3) %}
                max(case when word_position = {{ position }} and not is_mid_level then word end)
                {{- ',' if not loop.last }}
                {%- endfor %}
            ) as name_without_mid_levels
        from (
            select
                *,
                row_number() over (partition by segment_id order by word_order asc) as word_position
            from told_apart_words
        ) as ordered_words
        group by segment_id
    ) as both_names

),

capped_names as (

    select
        segment_id,
        case
            when length(full_name) <= {{ max_name_length }} then full_name
            -- cut after the last whole word that fits, unless that loses half the name
            when length(whole_words) >= {{ max_name_length // 2 }} then whole_words || '…'
            else left(full_name, {{ max_name_length - 1 }}) || '…'
        end as descriptive_name
    from (
        select
            *,
            -- the words (and no trailing ' · ') before the last space of the first 60 characters
            regexp_extract(left(full_name, {{ max_name_length }}), '^(.*[^ ·])[ ·]* ', 1) as whole_words
        from descriptive_names
    ) as cut_names

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
