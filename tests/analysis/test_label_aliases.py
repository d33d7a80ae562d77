"""A summary sentence saying a label's point in other words counts for the label (count27).

smoke26r read the demo's "Label made by fewer than half" themes by hand: 10 of 18 had their
label's point made by more than half of their answers, in other wordings, which sat under a
summary sentence in those words (each answer counts under its nearest heading). Two wordings
of one point are seldom in one answer, two different points often are: a rival that never
shares an answer with the label, where independence expects it to, is the label's point.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.coding_encoder import encoder_embed, find
from analysis.label_points import co_occurrence, label_aliases, label_point_counts

pytestmark = pytest.mark.coding_encoder

# A stand-in sentence model: "coaches" is the buses label's point in other words (cosine
# 0.45 with it, under the 0.5 an answer needs), "homes" another point nearly as close (0.4).
WORDS = {
    "buses": [1.0, 0.0, 0.0, 0.0, 0.0],
    "coaches": [0.45, 0.893, 0.0, 0.0, 0.0],
    "homes": [0.4, 0.0, 0.917, 0.0, 0.0],
    "skills": [0.0, 0.0, 0.0, 1.0, 0.0],
}


def embed(texts: list[str]) -> np.ndarray:
    rows = np.zeros((len(texts), 5))
    for row, text in enumerate(texts):
        for word, vector in WORDS.items():
            if word in text.lower():
                rows[row] += vector
        if not rows[row].any():
            rows[row, 4] = 1.0
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


LABEL = "Run more buses"
RIVALS = ["Put on extra coaches.", "Build more homes.", "Fund skills courses."]
BUSES, COACHES = "Run more buses every hour.", "Put on extra coaches at night."
HOMES, SKILLS = "Build more homes for families.", "Fund skills courses for adults."
TEXTS = (
    [f"{BUSES} {HOMES}"] * 3
    + [f"{COACHES} {HOMES}"] * 3
    + [f"{BUSES} {SKILLS}"] * 3
    + [f"{COACHES} {SKILLS}"] * 3
)


def test_a_rival_never_beside_the_label_in_an_answer_is_its_point_in_other_words():
    mentions = [list(range(len(TEXTS)))]
    aliases = label_aliases([LABEL], mentions, TEXTS, RIVALS, embed, 0.5, 0.03)
    assert aliases == [[0]]  # coaches, never with buses; not homes, with buses in 3 of 6
    assert label_point_counts([LABEL], mentions, TEXTS, embed, rivals=RIVALS) == [12]
    assert label_point_counts([LABEL], mentions, TEXTS, embed, rivals=RIVALS, aliases=False) == [6]


def test_the_co_occurrence_expected_and_seen():
    from analysis.label_points import part_headings

    heads = part_headings(TEXTS, [LABEL, *RIVALS], embed, 0.5, 0.03)
    assert heads[0] == [{0}, {2}] and heads[3] == [{1}, {2}]
    rows = list(range(len(TEXTS)))
    assert co_occurrence(heads, rows, 0, 1) == (3.0, 0)  # buses, coaches: 6 x 6 / 12, none
    assert co_occurrence(heads, rows, 0, 2) == (3.0, 3)  # buses, homes: 3 answers make both


def test_answers_making_one_point_each_give_no_evidence():
    """ArgKP's arguments make one point each: nothing is taken for another wording."""
    texts = [BUSES] * 6 + [COACHES] * 6
    mentions = [list(range(len(texts)))]
    assert label_aliases([LABEL], mentions, texts, RIVALS, embed, 0.5, 0.03) == [[]]
    assert label_point_counts([LABEL], mentions, texts, embed, rivals=RIVALS) == [6]


def test_too_few_answers_to_expect_the_two_together_give_no_evidence():
    texts = TEXTS[:2] + TEXTS[3:5] + TEXTS[6:8] + TEXTS[9:11]  # independence expects 2
    mentions = [list(range(len(texts)))]
    assert label_aliases([LABEL], mentions, texts, RIVALS, embed, 0.5, 0.03) == [[]]
    assert label_aliases([LABEL], mentions, texts, RIVALS, embed, 0.5, 0.03, expected=2) == [[0]]


def test_a_rival_far_from_the_label_is_never_its_point():
    mentions = [list(range(len(TEXTS)))]
    assert label_aliases([LABEL], mentions, TEXTS, RIVALS, embed, 0.5, 0.03, floor=0.5) == [[]]


def test_plain_minilm_when_asked_or_not_installed(monkeypatch, tmp_path):
    """``CONSULT_CODING_ENCODER=minilm`` (and a missing encoder) count with MiniLM."""
    monkeypatch.setenv("CONSULT_CODING_ENCODER", "minilm")
    assert encoder_embed() is None
    monkeypatch.setenv("CONSULT_CODING_ENCODER", str(tmp_path / "none"))
    assert encoder_embed() is None


def test_the_installed_coding_encoder_counts_the_label_point(monkeypatch):
    """Where ``make install`` built the coding encoder, the label's point is compared in its
    vectors (unit length, not MiniLM's)."""
    monkeypatch.delenv("CONSULT_CODING_ENCODER", raising=False)
    if find() is None:
        pytest.skip("the coding encoder is not installed")
    from analysis.embeddings import MiniLMEmbedder

    texts = ["Run more buses.", "Build more homes."]
    vectors = encoder_embed()(texts)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert not np.allclose(vectors, MiniLMEmbedder().embed(texts), atol=1e-3)
