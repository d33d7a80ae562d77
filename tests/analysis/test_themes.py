"""k-means restarts and stability refits run side by side without changing results."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from analysis.themes import find_themes, kmeans, stability


def blobs(count: int = 600, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = normalize(rng.standard_normal((6, 12)))
    return normalize(centres[rng.integers(0, 6, count)] + 0.15 * rng.standard_normal((count, 12)))


def test_parallel_restarts_give_the_same_clustering():
    vectors = blobs()
    one = kmeans(vectors, 6, seed=4, workers=1)
    two = kmeans(vectors, 6, seed=4, workers=2)
    assert np.array_equal(one.labels, two.labels)
    assert np.allclose(one.centers, two.centers)


def test_parallel_stability_refits_give_the_same_scores():
    vectors = blobs()
    weights = np.ones(len(vectors))
    found = find_themes(vectors, weights, 6, seed=1)
    one = stability(vectors, weights, found, seed=1, workers=1)
    two = stability(vectors, weights, found, seed=1, workers=2)
    assert np.array_equal(one, two)
    assert one.min() > 0.8  # well-separated groups come back whole
