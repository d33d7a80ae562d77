"""Two themes whose members are as near each other's label as their own make one point."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from analysis.dup_themes import member_scores


def _themes(seed: int = 0, dims: int = 32, k: int = 6, size: int = 12):
    """k labels far apart and each theme's members near its own label."""
    rng = np.random.default_rng(seed)
    labels = normalize(rng.standard_normal((k, dims)))
    members = normalize(
        np.repeat(labels, size, axis=0) + 0.6 * rng.standard_normal((k * size, dims)) / dims**0.5
    )
    groups = [list(range(t * size, (t + 1) * size)) for t in range(k)]
    return labels, members, groups


def test_members_of_distinct_points_are_nearer_their_own_label():
    labels, members, groups = _themes()
    scores = member_scores(labels, members, groups)
    off = ~np.eye(6, dtype=bool)
    assert scores["cross"][off].max() < 0.5
    assert scores["swap"][off].max() == 0.0
    np.testing.assert_allclose(scores["cross"], scores["cross"].T)


def test_two_labels_of_one_point_stand_out():
    labels, members, groups = _themes()
    # theme 4's label says theme 1's point in other words; its members make that point too
    labels[4] = normalize((labels[1] + 0.25 * labels[4])[None])[0]
    members[groups[4]] = normalize(members[groups[1]] + 0.05 * members[groups[4]])
    scores = member_scores(labels, members, groups)
    assert scores["cross"][1, 4] > 0.9
    off = ~np.eye(6, dtype=bool)
    assert scores["cross_z"][1, 4] == scores["cross_z"][off].max()
    assert scores["cross_z"][1, 4] > 2


def test_weights_count_each_answer_as_often_as_it_was_given():
    labels, members, groups = _themes()
    heavy = np.ones(len(members))
    # half of theme 0's members moved onto theme 2's label, and counted ten times each
    members[groups[0][:6]] = labels[2]
    heavy[groups[0][:6]] = 10
    light = member_scores(labels, members, groups)["swap"][0, 2]
    weighted = member_scores(labels, members, groups, heavy)["swap"][0, 2]
    assert light == 0.0  # theme 2's members never lean to theme 0 (the smaller direction)
    assert weighted == light
    one_way = member_scores(labels, members, groups, heavy)
    assert one_way["centroid"][0, 2] > member_scores(labels, members, groups)["centroid"][0, 2]


def _two_wordings() -> np.ndarray:
    """Eight labels; label 5 is label 2's point in other words, nearer it than any other
    label but standing out less than a near copy would."""
    labels = normalize(np.random.default_rng(9).standard_normal((8, 64)))
    labels[5] = normalize((labels[2] + 3.0 * labels[5])[None])[0]
    return labels


def test_each_others_nearest_label_hints_from_a_lower_z():
    from analysis.alike import alike_themes, label_similarity

    ids = [f"T{i:02d}" for i in range(1, 9)]
    labels = _two_wordings()
    _cosine, score = label_similarity(labels)
    assert 1.0 <= score[2, 5] < 2.0  # below the hint's z: no hint by z alone
    assert alike_themes(labels, ids)[2] == []
    found = alike_themes(labels, ids, nearest_z=1.0)
    assert [h["id"] for h in found[2]] == ["T06"] and [h["id"] for h in found[5]] == ["T03"]
    assert all(found[t] == [] for t in (0, 1, 3, 4, 6, 7))
    # nor when the two lean to opposite sides
    sides = ["", "", "for", "", "", "against", "", ""]
    assert alike_themes(labels, ids, sides, nearest_z=1.0)[2] == []


def test_nearest_labels_that_do_not_stand_out_give_no_hint():
    from analysis.alike import alike_themes

    ids = [f"T{i:02d}" for i in range(1, 9)]
    labels = normalize(np.random.default_rng(17).standard_normal((8, 64)))
    assert alike_themes(labels, ids, nearest_z=1.0) == [[] for _ in ids]
    assert alike_themes(np.eye(8), ids, nearest_z=1.0) == [[] for _ in ids]


def test_the_fast_engines_labels_compared_with_minilm_change_hints_only(monkeypatch):
    import pytest

    from analysis import ThemeModel, alike, stages
    from analysis.embeddings import available
    from tests.analysis.fixtures import responses

    if not available():
        pytest.skip("the semantic extra is not installed")
    texts = [row["answer"] for row in responses()]
    before = ThemeModel(engine="fast", seed=0).fit(texts)
    monkeypatch.setattr(alike, "FAST_MINILM_HINTS", True)
    seen: list[int] = []
    original = stages._hint_embedder

    def counted(representation):
        embed = original(representation)
        seen.append(embed is not None)
        return embed

    monkeypatch.setattr(stages, "_hint_embedder", counted)
    after = ThemeModel(engine="fast", seed=0).fit(texts)
    assert seen == [True]  # MiniLM compared the fast engine's labels
    assert after.labels_.tolist() == before.labels_.tolist()
    assert [t["label"] for t in after.themes_] == [t["label"] for t in before.themes_]
    for theme in after.themes_:
        assert all(0.0 <= hint["similarity"] <= 1.0 for hint in theme["alike"])
    again = ThemeModel(engine="fast", seed=0).fit(texts)
    assert [t["alike"] for t in again.themes_] == [t["alike"] for t in after.themes_]
