"""The automatic number of themes: within its bounds, not stuck at the floor or the ceiling,
near the number of groups on fixtures whose number is known, and the same on every run."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import normalize

from analysis.themes import choose_theme_count, find_themes, merge_tree, size_prior


def groups(count: int, size: int, noise: float, dims: int = 24, seed: int = 0) -> np.ndarray:
    """``size`` unit vectors around ``count`` random directions."""
    rng = np.random.default_rng(seed)
    centres = normalize(rng.standard_normal((count, dims)))
    return normalize(
        centres[rng.integers(0, count, size)] + noise * rng.standard_normal((size, dims))
    )


def shaded(count: int, size: int, seed: int = 0) -> np.ndarray:
    """Answers on one subject whose points shade into each other: a shared direction plus
    ``count`` nearby point directions and heavy noise (as arguments on one motion are)."""
    rng = np.random.default_rng(seed)
    subject = rng.standard_normal(32)
    points = subject + 0.9 * rng.standard_normal((count, 32))
    return normalize(points[rng.integers(0, count, size)] + 0.8 * rng.standard_normal((size, 32)))


@pytest.mark.parametrize("count", [6, 8])
def test_well_separated_groups_are_counted(count):
    vectors = groups(count, 40 * count, 0.1)
    assert choose_theme_count(vectors, np.ones(len(vectors)), seed=0) == count


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shaded_answers_do_not_collapse_to_the_floor(seed):
    # 150 answers making about 10 points, like an ArgKP motion: the old rule (merge
    # centroids closer than 0.4) gave its floor of 5 on the semantic engine's vectors.
    vectors = shaded(10, 150, seed)
    found = choose_theme_count(vectors, np.ones(150), seed=seed)
    assert found > 5
    assert abs(found - 10) <= 0.25 * 10 + 0.5
    prior = size_prior(150)
    assert 0.75 * prior - 0.5 <= found <= 1.25 * prior + 0.5


def test_count_stays_within_bounds():
    vectors = shaded(10, 150)
    weights = np.ones(150)
    assert choose_theme_count(vectors, weights, 0, min_themes=3, max_themes=6) <= 6
    assert choose_theme_count(vectors, weights, 0, min_themes=12, max_themes=30) >= 12
    tiny = shaded(3, 12)
    assert 1 <= choose_theme_count(tiny, np.ones(12), 0) <= 4  # at most a third of the answers


def test_many_answers_are_not_pushed_to_the_ceiling_by_the_prior():
    # 3,000 answers: sqrt(n) / 1.2 is 46, but the lower edge of the band stops at 20, so
    # 8 well-separated groups are not split into 30 themes.
    vectors = groups(8, 3000, 0.1)
    assert choose_theme_count(vectors, np.ones(3000), seed=0) == 8


def test_the_count_is_the_same_on_every_run():
    vectors = shaded(10, 300)
    weights = np.ones(300)
    first = find_themes(vectors, weights, None, seed=3)
    again = find_themes(vectors, weights, None, seed=3)
    assert np.array_equal(first.labels, again.labels)
    assert np.array_equal(first.centers, again.centers)


def test_merge_tree_reports_the_gap_between_separated_groups():
    vectors = groups(6, 240, 0.1)
    tree = merge_tree(vectors, np.ones(240), over=30, seed=0)
    assert tree.clear_count(2, 29, gap=1.5) == 6
    assert tree.count_at(0.3) == 6  # merges within a group are far closer than between
    assert tree.count_at(3.0) == 1
    assert 0 < tree.spread <= 2
