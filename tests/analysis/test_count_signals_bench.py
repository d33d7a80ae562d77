"""The count-signals benchmark (``bench/count_signals.py``): the eigengap count of a kNN
cosine graph and the best constant of a size rule."""

from __future__ import annotations

import numpy as np

from bench import count_signals as bench


def _groups(count: int, per_group: int = 12, dims: int = 16) -> np.ndarray:
    """``count`` tight, well-apart groups of unit vectors."""
    rng = np.random.default_rng(0)
    centres = np.eye(dims)[:count]
    vectors = np.repeat(centres, per_group, axis=0) + 0.05 * rng.normal(
        size=(count * per_group, dims)
    )
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_eigengap_finds_well_apart_groups():
    for count in (3, 4, 6):
        values = bench.eigenvalues(_groups(count), neighbours=5)
        assert values[0] < 1e-8  # a graph's Laplacian always has a zero eigenvalue
        assert bench.eigengap_count(values, lowest=2) == count


def test_eigengap_count_stays_in_its_range():
    values = np.array([0.0, 0.1, 0.2, 0.9, 0.92, 1.0, 1.03, 1.1])
    assert bench.eigengap_count(values, lowest=2, highest=6) == 3  # 0.2 -> 0.9
    # from 4 on, the big gap is out of range: the widest left is 0.92 -> 1.0, after 5 values
    assert bench.eigengap_count(values, lowest=4, highest=6) == 5


def test_best_constant_reports_the_slot_that_fits_most():
    # k 8 at size 10 needs c in 0.6-1.0 (counts 6-10 after rounding: 0.55 rounds 5.5 to 6);
    # k 4 at size 10 needs counts 3-5: c up to 0.54. No c fits both.
    top, low, high = bench.best_constant([10.0, 10.0], [8, 4])
    assert top == 1
    assert 0.40 <= low <= high <= 0.95
    top, low, high = bench.best_constant([10.0, 20.0], [8, 16])
    assert top == 2 and low <= 0.8 <= high
