"""A point near the theme's label only because it is on the question's topic is another point
(issue 12): with the question's common ground taken out, it is said in the summary."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis import describe
from analysis.describe import near_label, question_mean, summarise
from analysis.tokens import Tokenizer

LABEL = "Cannabis is addictive"
# A stand-in sentence model: every text is mostly on the question's topic (cannabis), and
# its own point (addiction, lungs) is the smaller part, as ArgKP's arguments are in MiniLM.
AXES = {"cannabis": (0, 2.0), "addict": (1, 1.0), "lung": (2, 1.0)}


def embed(texts: list[str]) -> np.ndarray:
    rows = np.zeros((len(texts), len(AXES) + 1))
    for row, text in enumerate(texts):
        for word, (axis, weight) in AXES.items():
            if word in text.lower():
                rows[row, axis] = weight
        if not rows[row].any():
            rows[row, -1] = 1.0
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


TEXTS = [f"Cannabis is addictive for people in town {n}." for n in range(6)] + [
    f"Cannabis smoke damages the lungs of users in street {n}." for n in range(4)
]


def _summary(shared: np.ndarray | None):
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform(TEXTS)
    vectorizer = TfidfVectorizer(analyzer=lambda words: words).fit(tokens)
    terms = np.asarray(vectorizer.transform(tokens).mean(axis=0)).ravel()
    members = list(range(len(TEXTS)))
    return summarise(
        members,
        np.linspace(1.0, 0.5, len(TEXTS)),
        TEXTS,
        [f"R{i}" for i in members],
        TEXTS,
        tokenizer,
        vectorizer,
        terms,
        embed,
        label=LABEL,
        shared=shared,
    )


def test_the_common_ground_taken_out_tells_the_labels_point_from_another():
    vectors = embed(TEXTS)
    target = embed([LABEL])[0]
    assert (vectors @ target >= 0.6).all()  # every sentence is near the label in plain cosine
    shared = embed(TEXTS).mean(axis=0)
    flags = near_label(vectors, target, 0.6, shared, 0.2)
    assert flags.tolist() == [True] * 6 + [False] * 4
    assert near_label(vectors, target, 0.6).all()  # without the mean: the plain cosine


@pytest.fixture
def centred(monkeypatch):
    monkeypatch.setattr(describe, "LABEL_POINT_CENTRED", 0.2)


def test_a_point_near_the_label_on_its_topic_only_is_said(centred):
    shared = question_mean(TEXTS, embed)
    said = [s.text for s in _summary(shared) if not s.only_point]
    assert any("lungs" in s for s in said), said
    assert not any("addictive" in s for s in said), said
    lungs = next(s for s in _summary(shared) if "lungs" in s.text)
    assert sorted(lungs.ids) == ["R6", "R7", "R8", "R9"]


def test_without_the_mean_the_point_is_taken_for_the_labels(centred):
    summary = _summary(None)
    assert [s.only_point for s in summary] == [True]


def test_no_mean_without_embeddings_or_when_switched_off(monkeypatch):
    monkeypatch.setattr(describe, "LABEL_POINT_CENTRED", 0.2)
    assert question_mean(TEXTS, None) is None
    assert question_mean([], embed) is None
    monkeypatch.setattr(describe, "LABEL_POINT_CENTRED", None)
    assert question_mean(TEXTS, embed) is None
