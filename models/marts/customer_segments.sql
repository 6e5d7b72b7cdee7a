{#-
    Every valid customer scored against the chosen centroids in SQL: the nearest and second
    nearest centroid in z units (ties go to the lower segment id), the margin between them, and
    an outlier flag. One streaming pass over the customers, however many there are: the
    centroids are one row of columns (macros/segment_scoring.sql), and the outlier thresholds
    come from the training customers. Prospects (customers of the customer file without a valid
    order, var customers_without_orders segment) are not scored: they form the fixed segment 0,
    'No purchase yet', with no order (frequency and monetary 0) and no distances.
-#}
{#- The slots of the scoring SQL, from the settings alone (no table is read while compiling): a
    training chooses at most k, else k_max, segments; a stored model scored without retraining
    (var retrain false) may have any number up to most_segments(). -#}
{#- With var retrain false the categorical features are the stored model's, known when dbt
    runs, not when it parses: the edge to their levels is declared here. -#}
-- depends_on: {{ ref('int_category_levels') }}
{%- set ks = k_settings() %}
{%- set slot_count = (ks.k if ks.k is not none else ks.k_max) if retrain() else most_segments() %}
{#- The customer's own attributes as columns, whatever the features: every numeric attribute
    (profiled_attributes), each categorical feature's category as clustered, then each
    categorical profile feature's value (never clustered). -#}
{%- set numeric = profiled_attributes() %}
{%- set categorical = categorical_features() | map(attribute='name') | reject('equalto', 'gender') | list %}
{%- set profiled_categorical = profile_features('profile_categorical_features') %}
{%- set kept_columns = ['customer_id', 'source_row_number', 'gender'] + numeric + profiled_categorical %}
{%- for name in categorical %}{% do kept_columns.append(name ~ '_category') %}{% endfor %}

with

customers as (

    select * from {{ ref('int_customer_features') }}
    where not is_prospect

),
{%- if prospects_are_segmented() %}

prospects as (

    select * from {{ ref('int_customer_features') }}
    where is_prospect

),
{%- endif %}

training_customers as (

    select * from {{ ref('int_training_customers') }}

),

centroids as (

    select * from {{ ref('int_trained_centroids') }}

),

segment_names as (

    select
        segment_id,
        segment_name
    from {{ ref('segment_centroids') }}

),

-- One row: slot i holds the i-th centroid in segment-id order (segment_id_<i>, z_..._<i>).
centroid_slots as (

    {{ centroid_slots('centroids', slot_count) }}

),
{%- for feature in categorical_features() %}

-- Per category of {{ feature.name }}: its squared distance to each slot's centroid.
{{ feature.name }}_distance_slots as (

    {{ category_distance_slots(
        'centroids', ref('int_category_levels'), feature.name, slot_count
    ) | indent(4) }}

),
{%- endfor %}

customer_points as (

    {{ with_category_distances('customers', slot_count) | indent(4) }}

),

training_points as (

    {{ with_category_distances('training_customers', slot_count) | indent(4) }}

),

nearest as (

    {{ nearest_two_slots('customer_points', 'centroid_slots', slot_count, kept_columns) | indent(4) }}

),

-- The distance beyond which a customer is an outlier of its segment: the segment's
-- outlier_percentile of distances among the training customers (all customers up to
-- var training_sample_size, a representative sample beyond).
outlier_thresholds as (

    select
        nearest_slot,
        {{ continuous_quantile('distance_to_centroid', outlier_percentile()) }}
            as outlier_distance_threshold
    from (
        {{ nearest_two_slots('training_points', 'centroid_slots', slot_count, ['customer_id']) | indent(8) }}
    ) as training_nearest
    group by nearest_slot

),

labelled as (

    select
        nearest.*,
        cast(
            {{ slot_segment_id('centroid_slots', 'nearest.nearest_slot', slot_count) | indent(12) }}
            as integer
        ) as segment_id,
        cast(
            {{ slot_segment_id('centroid_slots', 'nearest.second_nearest_slot', slot_count) | indent(12) }}
            as integer
        ) as second_nearest_segment_id,
        -- a segment no training customer fell in has no threshold: no outliers measured
        coalesce(
            nearest.distance_to_centroid > outlier_thresholds.outlier_distance_threshold,
            false
        ) as is_outlier
    from nearest
    cross join centroid_slots
    left join outlier_thresholds on nearest.nearest_slot = outlier_thresholds.nearest_slot

),

scored as (

    select
        labelled.customer_id,
        labelled.segment_id,
        segment_names.segment_name,
        labelled.distance_to_centroid,
        labelled.second_nearest_segment_id,
        labelled.distance_to_second_centroid,
        labelled.distance_to_second_centroid - labelled.distance_to_centroid as assignment_margin,
        labelled.is_outlier,
        labelled.gender,
        {%- for name in numeric %}
        labelled.{{ name }},
        {%- endfor %}
        {%- for name in categorical %}
        labelled.{{ name }}_category as {{ name }},
        {%- endfor %}
        {%- for name in profiled_categorical %}
        labelled.{{ name }},
        {%- endfor %}
        labelled.source_row_number
    from labelled
    inner join segment_names on labelled.segment_id = segment_names.segment_id

),
{%- if prospects_are_segmented() %}

-- Not clustered, so not near any centroid: no distances, never an outlier. Id 0: K-means
-- segments are numbered from 1.
no_purchase_yet as (

    select
        prospects.customer_id,
        0 as segment_id,
        'No purchase yet' as segment_name,
        cast(null as double) as distance_to_centroid,
        cast(null as integer) as second_nearest_segment_id,
        cast(null as double) as distance_to_second_centroid,
        cast(null as double) as assignment_margin,
        false as is_outlier,
        prospects.gender,
        {%- for name in numeric %}
        {%- if name in ['frequency', 'monetary'] %}
        cast(0 as double) as {{ name }},
        {%- else %}
        prospects.{{ name }},
        {%- endif %}
        {%- endfor %}
        {%- for name in categorical %}
        prospects.{{ name }}_category as {{ name }},
        {%- endfor %}
        {%- for name in profiled_categorical %}
        prospects.{{ name }},
        {%- endfor %}
        prospects.source_row_number
    from prospects

),
{%- endif %}

final as (

    select * from scored
    {%- if prospects_are_segmented() %}
    union all
    select * from no_purchase_yet
    {%- endif %}

)

select * from final
