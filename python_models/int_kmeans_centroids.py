"""The chosen k's K-means centroids in z units, segments numbered by the documented rule."""

from segmentation.kmeans import fit_segments


def model(dbt, session):
    dbt.config(materialized="table")
    selection = dbt.ref("int_kmeans_model_selection").df()
    settings = dbt.ref("int_segmentation_settings").df().iloc[0]
    chosen_k = int(selection.loc[selection["is_chosen"], "k"].iloc[0])
    features = dbt.ref("int_training_customers").df()
    return fit_segments(features, chosen_k, random_state=int(settings["random_state"]))
