"""A theme whose label's point few of its answers make is split; others are left whole."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from analysis import ThemeModel
from analysis.catch_all import catch_all_themes, split_themes
from analysis.themes import Clustering


def test_only_a_large_theme_whose_label_few_answers_make_is_a_catch_all():
    made = [10, 3, 20, 2, None]
    mentions = [20, 20, 25, 20, 30]
    sizes = [15, 15, 20, 5, 30]  # mean 17: theme 1 is under it, theme 4 has no measure
    assert catch_all_themes(made, mentions, sizes, room=5) == []
    sizes = [19, 19, 20, 5, 30]  # mean 18.6
    assert catch_all_themes(made, mentions, sizes, room=5) == [1]
    # a small theme of few label makers is left whole (theme 3, 2 of 20)
    assert 3 not in catch_all_themes(made, mentions, sizes, share=0.5, room=5)
    assert catch_all_themes(made, mentions, sizes, share=0.6, room=5) == [1, 0]
    assert catch_all_themes(made, mentions, sizes, share=0.6, room=1) == [1]  # fewest first
    assert catch_all_themes(made, mentions, sizes, room=0) == []  # at the ceiling


def _three_groups(seed: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = normalize(rng.standard_normal((3, 12)))
    truth = np.repeat([0, 1, 2], 40)
    vectors = normalize(centres[truth] + 0.15 * rng.standard_normal((120, 12)))
    return vectors, truth, centres


def test_a_catch_all_is_split_into_those_making_its_label_point_and_the_rest():
    vectors, truth, centres = _three_groups()
    # Groups 1 and 2 gathered into one theme, whose label group 1 makes.
    labels = np.where(truth == 0, 0, 1)
    both = normalize((centres[1] + centres[2])[None])[0]
    clustering = Clustering(labels, np.array([centres[0], both]))
    found = split_themes(vectors, np.ones(120), clustering, {1: truth == 1}, seed=0)
    assert found.centers.shape[0] == 3
    for group in range(3):  # each group is one theme of its own
        assert len(set(found.labels[truth == group].tolist())) == 1
    assert len(set(found.labels.tolist())) == 3
    # joining a pair at the same time: themes 0 and the kept half become one
    joined = split_themes(vectors, np.ones(120), clustering, {1: truth == 1}, 0, pairs=[(0, 1)])
    assert joined.centers.shape[0] == 2


def test_a_theme_whose_members_all_make_the_point_is_left_whole():
    vectors, truth, centres = _three_groups()
    clustering = Clustering(truth.copy(), centres)
    found = split_themes(vectors, np.ones(120), clustering, {1: truth >= 0}, seed=0)
    assert found is clustering


def test_the_fast_engine_and_a_given_count_split_nothing():
    texts = [f"Buses are late on route {i % 7}. Fares rose again this year." for i in range(40)]
    texts += [f"Housing near the station costs too much, {i % 5} families said." for i in range(40)]
    model = ThemeModel(n_themes="auto", engine="fast", seed=0, catch_all=0.99).fit(texts)
    assert model.split_themes_ == []  # no sentence embeddings to tell who makes a label
    off = ThemeModel(n_themes="auto", engine="fast", seed=0).fit(texts)  # off by default
    assert off.catch_all is None and off.split_themes_ == []
    assert off.labels_.tolist() == model.labels_.tolist()
    given = ThemeModel(n_themes=2, engine="fast", seed=0, catch_all=0.99).fit(texts)
    assert given.n_themes_ == 2 and given.split_themes_ == []
