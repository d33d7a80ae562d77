"""The count-ideas benchmark (``bench/count_ideas.py``): its band, the tie rule, and that
each rule tried gives a count in range (falling back to the current rule when its band is
empty)."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from analysis.themes import choose_theme_count
from bench import count_ideas as bench


def test_band_is_the_k_within_width_of_the_prior():
    # sqrt(150) / 1.2 = 10.2, rounded 10.
    prior, ks = bench.band(150.0, 150, 2)
    assert round(prior, 1) == 10.2 and ks == [8, 9, 10, 11, 12]
    # At least five themes (sqrt(30) / 1.2 = 4.6), at most a third of the answers.
    assert bench.band(30.0, 30, 3)[1] == [5, 6, 7, 8]
    assert bench.band(18.0, 18, 3)[1] == [5, 6]


def test_nearest_takes_the_count_nearest_the_reference_among_the_best():
    score = {7: 0.30, 8: 0.29, 9: 0.20, 10: 0.31}
    assert bench.nearest(score, 8, 0.0) == 10
    assert bench.nearest(score, 8, 0.02) == 8


def test_rules_give_a_count_in_range():
    rng = np.random.default_rng(0)
    centres = normalize(rng.standard_normal((8, 12)))
    vectors = normalize(centres[rng.integers(0, 8, 150)] + 0.2 * rng.standard_normal((150, 12)))
    weights = np.ones(150)
    current = choose_theme_count(vectors, weights, 0)
    for name in ("current", "stab_w2", "sil_cur02w2", "sil_c2", "floor_g2"):
        count = bench.RULES[name](vectors, weights)
        assert 3 <= count <= 30, name
    assert bench.RULES["current"](vectors, weights) == current
    assert abs(bench.RULES["sil_c2"](vectors, weights) - current) <= 2
