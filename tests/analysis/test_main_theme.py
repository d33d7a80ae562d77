"""An answer making none of its main theme's label point but another's takes that theme."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import ThemeModel, stages
from analysis.embeddings import available
from analysis.main_theme import far_from_theme, label_moves
from tests.analysis.fixtures import responses

AXES = {"buses": 0, "homes": 1, "skills": 2, "parks": 3}


def word_embed(texts: list[str]) -> np.ndarray:
    """A stand-in sentence model: one axis per topic word a text contains, unit length."""
    rows = np.zeros((len(texts), len(AXES) + 1))
    for row, text in enumerate(texts):
        for word, axis in AXES.items():
            if word in text.lower():
                rows[row, axis] = 1.0
        if not rows[row].any():
            rows[row, -1] = 1.0
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


LABELS = ["Run more buses", "Build more homes", "Fund skills courses"]


def test_an_answer_making_another_themes_label_point_moves_there():
    texts = [
        "Build more homes. Fund skills courses now.",  # counted under buses: makes neither
        "Run more buses. Build more homes.",  # makes its own theme's point: stays
        "Plant more parks.",  # makes no label's point: stays
        "Fund skills courses.",
    ]
    primary = np.array([0, 0, 0, 2])
    moved = label_moves(LABELS, texts, primary, word_embed)
    assert moved[1:].tolist() == [0, 0, 2]
    assert moved[0] in (1, 2)  # the one of the two labels it is closest to (a tie: lower)
    assert moved[0] == 1
    assert primary.tolist() == [0, 0, 0, 2]  # the input is left as it was


def test_nothing_to_move():
    texts = ["Run more buses.", "Build more homes."]
    assert label_moves(LABELS, texts, np.array([0, 1]), word_embed).tolist() == [0, 1]
    assert label_moves([], texts, np.array([0, 0]), word_embed).tolist() == [0, 0]


def test_only_answers_far_from_their_theme_may_move():
    texts = ["Build more homes.", "Fund skills courses."]
    primary = np.array([0, 0])
    far = far_from_theme(np.array([0.9, 0.5]), primary, np.array([0.7, 0.7]))
    assert far.tolist() == [False, True]
    assert label_moves(LABELS, texts, primary, word_embed, eligible=far).tolist() == [0, 2]


def test_a_margin_keeps_an_answer_as_close_to_its_own_label():
    texts = ["Run more buses. Build more homes now."]  # makes both: stays under buses
    assert label_moves(LABELS, texts, np.array([0]), word_embed).tolist() == [0]
    texts = ["Build more homes. Fund skills courses now."]
    assert label_moves(LABELS, texts, np.array([0]), word_embed, margin=0.5).tolist() == [1]
    assert label_moves(LABELS, texts, np.array([0]), word_embed, margin=2.0).tolist() == [0]


def test_the_rule_is_off_by_default():
    assert stages.MAIN_BY_LABEL is False


needs_semantic = pytest.mark.skipif(not available(), reason="the semantic extra is not installed")


@needs_semantic
def test_a_fit_with_the_rule_on_stays_whole_and_reruns_identically(monkeypatch):
    """Switched on, with every answer allowed to move: each row's main theme is its first,
    themes stay numbered largest first with their sizes and mentions matching the rows, and
    a rerun gives the same themes."""
    monkeypatch.setattr(stages, "MAIN_BY_LABEL", True)
    monkeypatch.setattr(stages, "MAIN_BY_LABEL_FAR", False)
    texts = [row["answer"] for row in responses(120, seed=3)]
    first = ThemeModel(n_themes=4, engine="semantic", seed=0).fit(texts)
    again = ThemeModel(n_themes=4, engine="semantic", seed=0).fit(texts)
    assert first.themes_ == again.themes_
    assert first.memberships_ == again.memberships_
    labels = [int(t) for t in first.labels_]
    assert all(m[0] == t for m, t in zip(first.memberships_, labels, strict=True) if t >= 0)
    sizes = [theme["size"] for theme in first.themes_]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes == [labels.count(t) for t in range(len(sizes))]
    mentions = [sum(t in m for m in first.memberships_) for t in range(len(sizes))]
    assert [theme["mentions"] for theme in first.themes_] == mentions
