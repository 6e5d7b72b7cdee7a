"""The K-means domain: the feature space, fitting and choosing k (its rule's settings in
k_rule.py), and segment ids that stay put. Plain arrays and frames in and out; it knows no dbt
and no engine (tests/python/test_package_boundaries.py checks its imports)."""
