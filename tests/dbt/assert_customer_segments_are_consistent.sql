{#-
    Every check of customer_segments in one scan (each data test is a scan of every customer):
    its segment and second-nearest segment exist in segment_centroids, the distances are not
    negative, the second-nearest is no nearer and the margin is their difference, the gender
    is normalized, the attributes of the customer file are in their ranges and the columns
    that always have a value have one; a customer of 'No purchase yet' (segment 0, not
    clustered) has no distances and is no outlier. One row per customer with a problem, saying
    which. (The key, customer_id, has its own unique and not_null tests.)
-#}
{%- set ranges = numeric_column_rules({}) %}

with

customers as (

    select * from {{ ref('customer_segments') }}

),

segments as (

    select segment_id from {{ ref('segment_centroids') }}

),

checked as (

    select
        customers.customer_id,
        concat_ws(
            '; ',
            case
                when customers.segment_id = 0 and (
                    customers.distance_to_centroid is not null
                    or customers.second_nearest_segment_id is not null
                    or customers.is_outlier or customers.segment_name <> 'No purchase yet'
                )
                    then 'segment 0 (No purchase yet) with a distance, a second segment or an outlier flag'
            end,
            case
                when nearest.segment_id is null and customers.segment_id <> 0
                    then 'segment_id ' || cast(customers.segment_id as string)
                    || ' is not in segment_centroids'
            end,
            case
                when customers.second_nearest_segment_id is not null and second_nearest.segment_id is null
                    then 'second_nearest_segment_id is not in segment_centroids'
            end,
            case
                when customers.second_nearest_segment_id = customers.segment_id
                    then 'the second-nearest segment is its own segment'
            end,
            case
                when customers.segment_name is null
                    or (customers.distance_to_centroid is null and customers.segment_id <> 0)
                    or customers.is_outlier is null or customers.gender is null
                    or customers.source_row_number is null
                    then 'a null in a column that always has a value'
            end,
            case when customers.distance_to_centroid < 0 then 'negative distance_to_centroid' end,
            case
                when customers.distance_to_second_centroid < customers.distance_to_centroid
                    then 'the second-nearest centroid is nearer than its own'
            end,
            case
                when abs(
                    customers.assignment_margin
                    - (customers.distance_to_second_centroid - customers.distance_to_centroid)
                ) > 1e-9
                    then 'assignment_margin is not the difference of the two distances'
            end,
            case
                when customers.gender not in ('Male', 'Female', 'Other', 'Unknown')
                    then 'gender ' || {{ quoted_text('customers.gender') }}
                    || ' is not Male, Female, Other or Unknown'
            end
            {%- for name in profiled_attributes() if name in ranges
                and ranges[name].min is not none and ranges[name].max is not none %},
            case
                when customers.{{ name }} < {{ ranges[name].min }}
                    or customers.{{ name }} > {{ ranges[name].max }}
                    then '{{ name }} ' || cast(customers.{{ name }} as string)
                    || ' is outside {{ ranges[name].min }} to {{ ranges[name].max }}'
            end
            {%- endfor %}
        ) as problem
    from customers
    left join segments as nearest on customers.segment_id = nearest.segment_id
    left join segments as second_nearest
        on customers.second_nearest_segment_id = second_nearest.segment_id

)

select * from checked
where problem <> ''
