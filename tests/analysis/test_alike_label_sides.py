"""hint33: when stance was not measured, two themes whose labels say one claim with opposite
polarity are never hinted alike (:data:`analysis.alike.LABEL_SIDES_APART`; off in hint33,
which failed its held-out rule; on since count34, with the claim's words matched across
spellings and light nouns). Off leaves the hints as they were; on, the labels' own sides
are read only without measured stance."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import alike
from analysis.alike import alike_themes, opposite_labels

pytestmark = pytest.mark.coding_encoder

LABELS = [
    "Assisted suicide shouldn't be a criminal offence",
    "Assisted suicide should be a criminal offence as it is another form of murder",
    "Doctors should be trusted with end of life care",
    "Patients deserve the right to choose when to die",
    "Palliative care needs more money",
]
IDS = [f"T{i:02d}" for i in range(1, 6)]


def _twin_vectors() -> np.ndarray:
    """Five labels' vectors; the first two stand out as alike from the run's other pairs."""
    vectors = np.eye(5)
    vectors[1] = vectors[0] + 0.05 * vectors[1]
    return vectors


def test_two_labels_saying_one_claim_negated_are_opposite():
    found = opposite_labels(LABELS)
    assert found[0, 1] and found[1, 0]
    assert found.sum() == 2  # no other pair says one claim both ways
    assert not opposite_labels(["Sex selection should be legal", "Parking is too dear"]).any()


def test_opposite_labels_are_not_paired_though_their_vectors_stand_out():
    vectors = _twin_vectors()
    before = alike_themes(vectors, IDS)
    assert [h["id"] for h in before[0]] == ["T02"] and [h["id"] for h in before[1]] == ["T01"]
    after = alike_themes(vectors, IDS, opposed=opposite_labels(LABELS))
    assert after == [[] for _ in IDS]
    # a pair not marked opposed still looks alike
    assert alike_themes(vectors, IDS, opposed=np.zeros((5, 5), dtype=bool)) == before


def test_the_switch_is_on_by_default():
    """count34: on, by its rule (off in hint33)."""
    assert alike.LABEL_SIDES_APART is True


def test_the_switch_reads_labels_only_when_on_and_stance_was_not_measured(monkeypatch):
    from analysis import ThemeModel, stages
    from tests.analysis.fixtures import responses

    rows = responses(150)
    texts = [row["answer"] for row in rows]
    calls: list[int] = []

    def every_pair_opposed(labels):
        calls.append(len(labels))
        return ~np.eye(len(labels), dtype=bool)

    def every_pair_stands_out(*args, **kwargs):
        return alike_themes(*args, z=-10.0, **kwargs)

    monkeypatch.setattr(stages, "opposite_labels", every_pair_opposed)
    monkeypatch.setattr(stages, "alike_themes", every_pair_stands_out)
    monkeypatch.setattr(alike, "LABEL_SIDES_APART", False)
    before = ThemeModel(engine="fast", seed=0).fit(texts)
    assert calls == []  # off: nothing read, hints as today
    assert any(t["alike"] for t in before.themes_)
    monkeypatch.setattr(alike, "LABEL_SIDES_APART", True)
    after = ThemeModel(engine="fast", seed=0).fit(texts)
    assert calls == [len(after.themes_)]
    assert after.labels_.tolist() == before.labels_.tolist()
    assert [t["label"] for t in after.themes_] == [t["label"] for t in before.themes_]
    assert all(t["alike"] == [] for t in after.themes_)
    agreement = ["Agree" if i % 2 else "Disagree" for i in range(len(texts))]
    measured = ThemeModel(engine="fast", seed=0).fit(texts, agreement=agreement)
    assert measured.summary_["stance_measured"] is True
    assert calls == [len(after.themes_)]  # stance measured: the labels' sides are not read
