"""cent33: themes whose members' centroids stand out from the run's other pairs look alike
(a hint for the reviewer, semantic engine only; off by default). Off leaves the hints as
they were; on changes hints only, never the grouping, and a rerun gives the same hints."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import normalize

from analysis import alike
from analysis.alike import alike_themes, label_similarity, member_centroids

pytestmark = pytest.mark.coding_encoder

IDS = [f"T{i:02d}" for i in range(1, 9)]


def _spread(count: int = 8, dims: int = 32, seed: int = 0) -> np.ndarray:
    return normalize(np.random.default_rng(seed).standard_normal((count, dims)))


def _twin_centroids() -> np.ndarray:
    """Eight themes' centroids; theme 5's members say theme 2's point."""
    centres = _spread(seed=3)
    centres[5] = normalize((centres[2] + 0.1 * centres[5])[None])[0]
    return centres


def test_member_centroids_weigh_rows_and_leave_out_rows_in_no_theme():
    vectors = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 3.0], [5.0, 5.0]])
    primary = np.array([0, 0, 1, -1])
    found = member_centroids(vectors, primary, 3, np.array([3.0, 1.0, 1.0, 9.0]))
    np.testing.assert_allclose(found, [[3.0, 1.0], [0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(member_centroids(vectors, primary, 3)[0], [1.0, 1.0])


def test_centroids_that_stand_out_hint_though_the_labels_do_not():
    labels, centres = np.eye(8), _twin_centroids()  # no pair of labels stands out
    assert label_similarity(labels)[1][2, 5] < alike.ALIKE_Z
    assert alike_themes(labels, IDS) == [[] for _ in IDS]
    # no centroid threshold, or no centroids: as before
    assert alike_themes(labels, IDS, centroids=centres) == [[] for _ in IDS]
    assert alike_themes(labels, IDS, centroid_z=2.0) == [[] for _ in IDS]
    found = alike_themes(labels, IDS, centroids=centres, centroid_z=2.0)
    assert [h["id"] for h in found[2]] == ["T06"] and [h["id"] for h in found[5]] == ["T03"]
    assert all(found[t] == [] for t in (0, 1, 3, 4, 6, 7))
    # the similarity shown is still the labels' cosine
    cosine = label_similarity(labels)[0][2, 5]
    assert found[2][0]["similarity"] == round(float(np.clip(cosine, 0.0, 1.0)), 2)
    sides = ["", "", "for", "", "", "against", "", ""]
    assert alike_themes(labels, IDS, sides, centroids=centres, centroid_z=2.0)[2] == []


def test_the_switch_is_off_by_default():
    assert alike.CENTROID_Z is None


def _fit(texts: list[str]):
    from analysis import ThemeModel

    return ThemeModel(n_themes=8, engine="semantic", seed=0).fit(texts)


def test_the_semantic_engines_centroid_hints_change_hints_only(monkeypatch):
    from analysis import stages
    from analysis.embeddings import available
    from tests.analysis.fixtures import responses

    if not available():
        pytest.skip("the semantic extra is not installed")
    texts = [row["answer"] for row in responses(150)]
    calls: list[bool] = []
    original = stages._member_centroids

    def counted(run):
        found = original(run)
        calls.append(found is not None)
        return found

    monkeypatch.setattr(stages, "_member_centroids", counted)
    before = _fit(texts)
    assert calls == []  # off: the centroids are never read, so nothing changes
    monkeypatch.setattr(alike, "CENTROID_Z", -10.0)  # every pair stands out
    after = _fit(texts)
    assert calls == [True]
    assert after.labels_.tolist() == before.labels_.tolist()
    assert [t["label"] for t in after.themes_] == [t["label"] for t in before.themes_]
    assert sum(len(t["alike"]) for t in after.themes_) > sum(
        len(t["alike"]) for t in before.themes_
    )
    for theme in after.themes_:
        assert len(theme["alike"]) <= alike.ALIKE_LIMIT
        assert all(0.0 <= hint["similarity"] <= 1.0 for hint in theme["alike"])
    again = _fit(texts)
    assert [t["alike"] for t in again.themes_] == [t["alike"] for t in after.themes_]


def test_the_fast_engine_reads_no_centroids(monkeypatch):
    from analysis import ThemeModel
    from tests.analysis.fixtures import responses

    texts = [row["answer"] for row in responses(150)]
    before = ThemeModel(engine="fast", seed=0).fit(texts)
    monkeypatch.setattr(alike, "CENTROID_Z", -10.0)
    after = ThemeModel(engine="fast", seed=0).fit(texts)
    assert [t["alike"] for t in after.themes_] == [t["alike"] for t in before.themes_]
