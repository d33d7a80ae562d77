"""The stability benchmark (``bench/stability.py``) scores themes against expert themes and
keeps the old measure it compares with."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from analysis.themes import find_themes
from bench import stability as bench


def test_theme_quality_is_best_f1_and_purity_against_one_expert_theme():
    labels = np.array([0, 0, 0, 1, 1, 1, -1])
    truth = ["a", "a", "b", "b", "b", "c", "c"]
    f1, purity = bench.theme_quality(labels, truth, 2)
    assert np.isclose(f1[0], 2 * 2 / (3 + 2))  # two of its three are a's, of two a's
    assert np.isclose(purity[0], 2 / 3)
    assert np.isclose(f1[1], 2 * 2 / (3 + 3)) and np.isclose(purity[1], 2 / 3)


def test_summary_compares_the_old_and_new_flags():
    rows = [
        (0.9, 0.9, 0.8, 0.9),
        (0.8, 0.8, 0.7, 0.8),
        (0.2, 0.3, 0.5, 0.3),
        (0.3, 0.4, 0.65, 0.45),
    ]
    found = bench.summary(rows)
    assert found["themes"] == 4 and found["poor"] == 0.5
    assert found["new auc"] == 1.0 and found["new flagged"] == 0.5
    assert found["old flagged"] == 0.25 and found["old poor flagged"] == 1.0


def test_old_stability_is_the_previous_best_jaccard_measure():
    rng = np.random.default_rng(0)
    centres = normalize(rng.standard_normal((4, 10)))
    vectors = normalize(centres[rng.integers(0, 4, 300)] + 0.1 * rng.standard_normal((300, 10)))
    weights = np.ones(300)
    found = find_themes(vectors, weights, 4, seed=0)
    old = bench.old_stability(vectors, weights, found, seed=0)
    assert old.shape == (4,) and old.min() > 0.9
