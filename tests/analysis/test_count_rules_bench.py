"""The count-rules benchmark (``bench/count_rules.py``): the band it searches, stability per
count, its summary, and that a rule tried is put back afterwards."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

import analysis.themes as themes
from bench import count_rules as bench


def test_band_is_the_current_rules_25_percent_around_sqrt_n_over_1_2():
    # sqrt(150) / 1.2 = 10.2: from ceil(7.65) = 8 to floor(12.76) = 12.
    assert bench.band(np.ones(150)) == range(8, 13)
    # Small sets keep at least five themes.
    assert bench.band(np.ones(20)).start == 5


def test_stability_is_highest_at_the_number_of_separated_groups():
    rng = np.random.default_rng(0)
    centres = normalize(rng.standard_normal((4, 10)))
    vectors = normalize(centres[rng.integers(0, 4, 300)] + 0.1 * rng.standard_normal((300, 10)))
    curve = bench.stability_curve(vectors, np.ones(300), range(4, 7))
    assert set(curve) == {3, 4, 5, 6}
    assert max(range(4, 7), key=lambda k: curve[k]) == 4
    assert curve[4] > 0.9


def test_summary_counts_those_within_25_percent_and_the_nmi_change():
    rows = [(8, 10, 50.0, 49.0), (10, 13, 40.0, 41.0), (4, 5, 30.0, 27.0)]
    text = bench.summary(rows)
    assert text.startswith("9.3 (5-13; 2/3 within 25 %; Spearman +1.00)")
    assert text.endswith("| 39.0 (-2.5 %)")


def test_whole_fit_puts_the_current_rule_back():
    current = themes.choose_theme_count
    texts = [f"answer about topic {i % 3} number {i}" for i in range(30)]
    motion = ("a motion", texts, [str(i % 3) for i in range(30)], [], texts)
    found = bench.whole_fit([motion], "fast", bench.partial_rule({"prior_band": 0.0}))
    assert len(found) == 1 and found[0][0] >= 1
    assert themes.choose_theme_count is current
