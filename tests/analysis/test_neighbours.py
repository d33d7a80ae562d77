"""Neighbourhood smoothing before clustering (analysis.neighbours)."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from analysis.neighbours import nearest, neighbour_average, neighbour_average_new


def unit_rows(count: int, dims: int = 16, seed: int = 0) -> np.ndarray:
    return normalize(np.random.default_rng(seed).standard_normal((count, dims))).astype(np.float32)


def test_nearest_matches_a_full_sort_and_finds_itself():
    vectors = unit_rows(300)
    found = nearest(vectors, vectors, 6, block=64)
    similarity = vectors @ vectors.T
    expected = np.sort(np.argsort(-similarity, axis=1)[:, :6], axis=1)
    assert np.array_equal(found, expected)
    assert all(row in found[row] for row in range(300))


def test_smoothing_pulls_each_vector_towards_its_group():
    rng = np.random.default_rng(1)
    centres = normalize(rng.standard_normal((3, 16)))
    truth = np.repeat(np.arange(3), 50)
    noisy = normalize(centres[truth] + 0.3 * rng.standard_normal((150, 16))).astype(np.float32)
    smoothed = neighbour_average(noisy, neighbours=10)
    assert np.allclose(np.linalg.norm(smoothed, axis=1), 1.0, atol=1e-5)

    def fit(vectors):
        return np.mean(np.sum(vectors * centres[truth], axis=1))

    assert fit(smoothed) > fit(noisy) + 0.1


def test_zero_neighbours_changes_nothing():
    vectors = unit_rows(20)
    assert neighbour_average(vectors, neighbours=0) is vectors


def test_new_vectors_are_smoothed_like_the_training_vectors():
    vectors = unit_rows(200)
    assert np.allclose(
        neighbour_average(vectors, neighbours=5),
        neighbour_average_new(vectors, vectors, neighbours=5),
        atol=1e-6,
    )


def test_large_inputs_search_within_cells_deterministically():
    vectors = unit_rows(2000, dims=8)
    exact = neighbour_average(vectors, neighbours=10)
    celled = neighbour_average(vectors, neighbours=10, cell_size=500, seed=3)
    again = neighbour_average(vectors, neighbours=10, cell_size=500, seed=3)
    assert np.array_equal(celled, again)
    # Cells miss some neighbours at their edges, but most vectors come out nearly the same.
    agreement = np.sum(exact * celled, axis=1)
    assert np.median(agreement) > 0.97


def test_threads_share_the_search_without_changing_the_result():
    vectors = unit_rows(3000, dims=8)
    one = nearest(vectors, vectors, 11, block=256, threads=1)
    two = nearest(vectors, vectors, 11, block=256, threads=2)
    assert np.array_equal(one, two)
