"""Themes that look alike: each theme's hints name the other themes whose labels stand out
as alike (a hint for the reviewer; nothing is joined), and a rerun gives the same hints."""

from __future__ import annotations

import json

import numpy as np
from sklearn.preprocessing import normalize

from analysis import ThemeModel
from analysis.alike import ALIKE_LIMIT, alike_themes
from tests.analysis.fixtures import responses

IDS = [f"T{i:02d}" for i in range(1, 9)]


def spread_labels(count: int = 8, dims: int = 32, seed: int = 0) -> np.ndarray:
    return normalize(np.random.default_rng(seed).standard_normal((count, dims)))


def twins() -> np.ndarray:
    labels = spread_labels()
    labels[5] = normalize((labels[2] + 0.1 * labels[5])[None])[0]
    return labels


def test_labels_far_more_alike_than_the_rest_hint_at_each_other():
    found = alike_themes(twins(), IDS)
    assert [hint["id"] for hint in found[2]] == ["T06"]
    assert [hint["id"] for hint in found[5]] == ["T03"]
    assert 0.9 < found[2][0]["similarity"] <= 1.0
    assert found[2][0]["similarity"] == found[5][0]["similarity"]
    assert all(found[t] == [] for t in (0, 1, 3, 4, 6, 7))


def test_no_hints_when_no_labels_stand_out_or_too_few_themes():
    every_pair_alike = np.eye(8)  # every pair of labels as alike (cosine 0): none stands out
    assert all(hints == [] for hints in alike_themes(every_pair_alike, IDS))
    assert alike_themes(twins()[:3], IDS[:3]) == [[], [], []]


def test_opposite_sides_are_never_alike_and_hints_are_capped():
    sides = ["", "", "for", "", "", "against", "", ""]
    assert all(hints == [] for hints in alike_themes(twins(), IDS, sides))
    labels = spread_labels()
    for other in (4, 5, 6):  # three themes all like theme 2
        labels[other] = normalize((labels[2] + 0.05 * labels[other])[None])[0]
    found = alike_themes(labels, IDS, z=1.0)
    assert len(found[2]) == ALIKE_LIMIT
    cosines = [hint["similarity"] for hint in found[2]]
    assert cosines == sorted(cosines, reverse=True)


def test_a_fit_gives_every_theme_its_hints_and_a_rerun_the_same():
    texts = [row["answer"] for row in responses(150)]
    first = ThemeModel(engine="fast", seed=0).fit(texts)
    again = ThemeModel(engine="fast", seed=0).fit(texts)
    ids = {theme["id"] for theme in first.themes_}
    for theme in first.themes_:
        assert isinstance(theme["alike"], list) and len(theme["alike"]) <= ALIKE_LIMIT
        for hint in theme["alike"]:
            assert hint["id"] in ids and hint["id"] != theme["id"]
            assert 0.0 <= hint["similarity"] <= 1.0
    assert json.dumps(first.themes_, sort_keys=True) == json.dumps(again.themes_, sort_keys=True)
