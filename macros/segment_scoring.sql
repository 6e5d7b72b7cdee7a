{% macro centroid_slots(centroids, slot_count) -%}
    {%- set names = segment_feature_names() -%}
    select
        {%- for slot in range(1, slot_count + 1) %}
        {%- set last_slot = loop.last %}
        max(segment_id) filter (where slot = {{ slot }}) as segment_id_{{ slot }},
        {%- for name in names %}
        max(z_value) filter (
            where slot = {{ slot }} and feature = {{ sql_string_literal(name) }} and category is null
        ) as z_{{ name }}_{{ slot }}{{ ',' if not (last_slot and loop.last) }}
        {%- endfor %}
        {%- endfor %}
    from {{ centroids }}
{%- endmacro %}


{% macro category_distance_slots(centroids, levels, feature, slot_count) -%}
    select
        offsets.category,
        {%- for slot in range(1, slot_count + 1) %}
        max(
            sums.offset_squares + offsets.feature_weight * offsets.feature_weight
            + 2 * offsets.feature_weight * offsets.category_offset
        ) filter (where offsets.slot = {{ slot }}) as squared_distance_{{ slot }}{{ ',' }}
        {%- endfor %}
        false as is_unseen
    from ({{ category_offsets(centroids, levels, feature) }}) as offsets
    inner join (
        select
            slot,
            sum(category_offset * category_offset) as offset_squares
        from ({{ category_offsets(centroids, levels, feature) }}) as all_offsets
        group by slot
    ) as sums on offsets.slot = sums.slot
    group by offsets.category
    union all
    select
        null as category,
        {%- for slot in range(1, slot_count + 1) %}
        sum(category_offset * category_offset) filter (where slot = {{ slot }})
            as squared_distance_{{ slot }},
        {%- endfor %}
        true as is_unseen
    from ({{ category_offsets(centroids, levels, feature) }}) as unseen_offsets
{%- endmacro %}


{% macro category_offsets(centroids, levels, feature) -%}
    select
        numbered_centroids.slot,
        levels.category,
        levels.feature_weight,
        -levels.category_share * levels.feature_weight - numbered_centroids.z_value as category_offset
    from {{ centroids }} as numbered_centroids
    inner join {{ levels }} as levels
        on numbered_centroids.feature = levels.feature_name
        and numbered_centroids.category = levels.category
    where numbered_centroids.feature = {{ sql_string_literal(feature) }}
{%- endmacro %}


{% macro with_category_distances(customers, slot_count) -%}
    select
        {{ customers }}.*
        {%- for feature in categorical_features() %}
        {%- for slot in range(1, slot_count + 1) %},
        coalesce(
            {{ feature.name }}_seen.squared_distance_{{ slot }},
            {{ feature.name }}_unseen.squared_distance_{{ slot }}
        ) as {{ feature.name }}_squared_distance_{{ slot }}
        {%- endfor %}
        {%- endfor %}
    from {{ customers }}
    {%- for feature in categorical_features() %}
    left join {{ feature.name }}_distance_slots as {{ feature.name }}_seen
        on {{ customers }}.{{ feature.name }}_category = {{ feature.name }}_seen.category
    inner join {{ feature.name }}_distance_slots as {{ feature.name }}_unseen
        on {{ feature.name }}_unseen.is_unseen
    {%- endfor %}
{%- endmacro %}


{% macro slot_at_distance(distance, slot_count, skip_slot='0') -%}
    case
        {%- for slot in range(1, slot_count + 1) %}
        when distance_{{ slot }} = {{ distance }} and {{ skip_slot }} <> {{ slot }} then {{ slot }}
        {%- endfor %}
    end
{%- endmacro %}


{% macro smallest_distance(slot_count, skip_slot='0') -%}
    least(
        {%- for slot in range(1, slot_count + 1) %}
        case when {{ skip_slot }} <> {{ slot }} then distance_{{ slot }} end
        {{- ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{% macro slot_segment_id(slots, slot, slot_count) -%}
    case {{ slot }}
        {%- for index in range(1, slot_count + 1) %}
        when {{ index }} then {{ slots }}.segment_id_{{ index }}
        {%- endfor %}
    end
{%- endmacro %}


{% macro nearest_two_slots(customers, slots, slot_count, columns) -%}
    {%- set names = segment_feature_names() -%}
    {%- set categorical_names = categorical_features() | map(attribute='name') | list -%}
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        nearest_slot,
        distance_to_centroid,
        distance_to_second_centroid,
        {{ slot_at_distance('distance_to_second_centroid', slot_count, 'nearest_slot') }}
            as second_nearest_slot
    from (
        select
            *,
            {{ smallest_distance(slot_count, 'nearest_slot') }} as distance_to_second_centroid
        from (
            select
                *,
                {{ slot_at_distance('distance_to_centroid', slot_count) }} as nearest_slot
            from (
                select
                    *,
                    {{ smallest_distance(slot_count) }} as distance_to_centroid
                from (
                    select
                        {%- for column in columns %}
                        {{ customers }}.{{ column }},
                        {%- endfor %}
                        {%- for slot in range(1, slot_count + 1) %}
                        sqrt(
                            {%- for name in names %}
                            ({{ customers }}.z_{{ name }} - {{ slots }}.z_{{ name }}_{{ slot }})
                            * ({{ customers }}.z_{{ name }} - {{ slots }}.z_{{ name }}_{{ slot }})
                            {{- ' +' if not loop.last or categorical_names }}
                            {%- endfor %}
                            {%- for name in categorical_names %}
                            {{ customers }}.{{ name }}_squared_distance_{{ slot }}{{ ' +' if not loop.last }}
                            {%- endfor %}
                        ) as distance_{{ slot }}{{ ',' if not loop.last }}
                        {%- endfor %}
                    from {{ customers }}
                    cross join {{ slots }}
                ) as with_distances
            ) as with_nearest_distance
        ) as with_nearest_slot
    ) as with_second_distance
{%- endmacro %}
