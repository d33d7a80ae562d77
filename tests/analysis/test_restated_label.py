"""A summary point that restates its theme's label in other words is left out (sent26, issue 12).

"Control is welcome if the funding formula protects the smaller boroughs." under the label
"We support more control, but smaller councils need a fair share of the settlement" says the
label's point again: a reader meets it twice.
"""

from __future__ import annotations

import numpy as np
import pytest

import analysis.restated as restated_module
from analysis.restated import restated_labels_left_out, restates_label

LABEL = "We support more control, but smaller councils need a fair share of the settlement"
REPEAT = "Control is welcome if the funding formula protects the smaller boroughs."
OTHER = "Multi-year funding would give councils the certainty to commit to long projects."


@pytest.mark.parametrize(
    ("sentence", "label", "cosine", "expected"),
    [
        (REPEAT, LABEL, 0.55, True),
        # close in the vectors but sharing too few of the label's words
        (
            "Why should evil people be cared for all their lives in prison?",
            "Murderers deserve to have a capital punishment",
            0.58,
            False,
        ),
        # the label's words, but one says "not": another point (often the other side)
        (
            "It should be abandoned because they have the same desires as every human has",
            "The vow of celibacy shouldn't be abandoned",
            0.52,
            False,
        ),
        # sharing words but not close enough
        (
            "Council leaders across the region should meet the mayor each quarter.",
            "Hold a cross-party meeting of the region's MPs every term",
            0.45,
            False,
        ),
        (
            "It's the best deterrent there is to committing heinous crimes.",
            "Capital punishment remains a good deterrent for serious crime",
            0.58,
            True,
        ),
    ],
)
def test_restates_label(sentence: str, label: str, cosine: float, expected: bool) -> None:
    assert restates_label(sentence, label, cosine) is expected


@pytest.fixture(autouse=True)
def _rule_on(monkeypatch):
    """The rule is off by default (not adopted on ArgKP's odd motions); these tests read it
    on, as ``RESTATE_RULES = True`` would."""
    monkeypatch.setattr(restated_module, "RESTATE_RULES", True)


def test_the_rule_is_off_by_default(monkeypatch) -> None:
    monkeypatch.undo()
    assert restated_module.RESTATE_RULES is False


def _embed(table: dict[str, np.ndarray]):
    def embed(texts):
        return np.array([table[t] for t in texts])

    return embed


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=float)
    return vector / np.linalg.norm(vector)


def _themes() -> list[dict]:
    return [
        {
            "id": "T01",
            "label": LABEL,
            "summary": [
                {"id": "a", "text": REPEAT, "ids": ["a", "b"]},
                {"id": "c", "text": OTHER, "ids": ["c"]},
            ],
        }
    ]


def test_a_restating_point_is_left_out_and_the_others_kept() -> None:
    # cosine 0.6 between the label and the repeat, 0.0 with the other point
    table = {LABEL: _unit(1, 0, 0), REPEAT: _unit(0.6, 0.8, 0), OTHER: _unit(0, 0, 1)}
    themes = _themes()
    left = restated_labels_left_out(themes, _embed(table))
    assert left == [("T01", REPEAT)]
    assert [s["text"] for s in themes[0]["summary"]] == [OTHER]


def test_the_last_point_is_kept() -> None:
    table = {LABEL: _unit(1, 0, 0), REPEAT: _unit(0.6, 0.8, 0)}
    themes = _themes()
    themes[0]["summary"] = themes[0]["summary"][:1]
    assert restated_labels_left_out(themes, _embed(table)) == []
    assert [s["text"] for s in themes[0]["summary"]] == [REPEAT]


def test_off_and_without_vectors_nothing_changes() -> None:
    table = {LABEL: _unit(1, 0, 0), REPEAT: _unit(0.6, 0.8, 0), OTHER: _unit(0, 0, 1)}
    themes = _themes()
    assert restated_labels_left_out(themes, None) == []
    old = restated_module.RESTATE_RULES
    restated_module.RESTATE_RULES = False
    try:
        assert restated_labels_left_out(themes, _embed(table)) == []
    finally:
        restated_module.RESTATE_RULES = old
    assert themes == _themes()


def test_a_note_is_never_left_out() -> None:
    table = {LABEL: _unit(1, 0, 0), REPEAT: _unit(0.6, 0.8, 0), OTHER: _unit(0, 0, 1)}
    themes = _themes()
    themes[0]["summary"][0]["only_point"] = True
    assert restated_labels_left_out(themes, _embed(table)) == []
