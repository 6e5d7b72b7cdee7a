"""The settings the choice of k depends on, each with its reason: the one place to change them.

The rule (segmentation.kmeans.choose_k): var k when set; else the highest silhouette among the
k whose stability is at least `stability_threshold`; else, when no k is that stable, the
highest silhouette overall. Ties go to the smaller k. The docs name these settings instead of
repeating their values (tests/python/test_k_rule.py checks they do); the chosen k's
choice_reason in segment_model_selection states the threshold it was held to.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KRule:
    restarts: int
    stability_resamples: int
    stability_restarts: int
    stability_threshold: float


K_RULE = KRule(
    # K-means restarts per fit. With 10, k-means sometimes stops in a poorer local optimum
    # whose silhouette happens to be higher (Mall data, k = 8: inertia 105.4, silhouette 0.432,
    # against 103.8 and 0.409 with more restarts) and that misleads the choice of k; 30 finds
    # the better optimum.
    restarts=30,
    # Bootstrap resamples per k for the stability score, and restarts per resample fit (fewer
    # than `restarts`: five extra fits per k would otherwise dominate the k search's time).
    stability_resamples=5,
    stability_restarts=10,
    # A k counts as stable when its labels survive resampling this well (mean adjusted Rand
    # index).
    stability_threshold=0.8,
)
