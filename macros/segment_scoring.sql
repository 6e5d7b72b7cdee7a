{#-
    Every centroid of `centroid_lists` (one row: segment_ids, centers as lists in the same
    order) as a {distance, segment_id} struct, nearest first, for the row `relation`'s z_
    columns. Euclidean distance in z units; equal distances go to the lower segment id.
-#}
{% macro centroids_by_distance(relation, centroid_lists, features) -%}
list_sort(
    list_transform(
        list_zip({{ centroid_lists }}.centers, {{ centroid_lists }}.segment_ids),
        lambda centroid: {
            'distance': sqrt(
                {%- for feature in features %}
                pow({{ relation }}.z_{{ feature }} - centroid[1][{{ loop.index }}], 2)
                {{- ' +' if not loop.last }}
                {%- endfor %}
            ),
            'segment_id': centroid[2],
        }
    )
)
{%- endmacro %}
