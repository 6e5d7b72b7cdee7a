{#-
    Warns (one row per feature) when a numeric feature is clustered as it is (no log) although
    its values over the training customers are heavily right-skewed (skewness above 2: a few
    very large values, as spend, balances and order counts have) and never negative. Its few
    largest values then dominate its distances while most customers sit close together on it;
    its logarithm spreads them (var feature_settings, key log, as the catalog does for monetary).
    The rows are kept in the table the build prints ("See test failures"). A training's
    choice: scoring with the stored model (var retrain false) does not repeat it.
-#}
{{ config(severity='warn', store_failures=true, enabled=retrain()) }}

with

training_customers as (

    select * from {{ ref('int_training_customers') }}

),

-- the features clustered as they are (a training's transforms are the vars', as
-- int_feature_scaling records them)
shapes as (

    {%- for feature in segment_features() if not feature.date and not feature.log %}
    select
        {{ sql_string_literal(feature.name) }} as feature_name,
        skewness({{ feature.name }}) as skewness,
        min({{ feature.name }}) as smallest_value
    from training_customers
    union all
    {%- endfor %}
    select
        cast(null as string) as feature_name,
        cast(null as double) as skewness,
        cast(null as double) as smallest_value
    from training_customers
    where false

),

final as (

    select
        shapes.feature_name,
        shapes.skewness,
        'feature ' || {{ quoted_text('shapes.feature_name') }} || ' is heavily right-skewed (skewness '
        || cast(round(shapes.skewness, 1) as string) || '): a few very large values dominate its '
        || 'distances and most customers sit close together on it. Cluster on its logarithm: '
        || '--vars ''{feature_settings: {'
        || shapes.feature_name || ': {log: true}}}''' as warning
    from shapes
    where shapes.skewness > 2 and shapes.smallest_value >= 0

)

select * from final
