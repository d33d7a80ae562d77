"""smoke15: the demo's largest Q10 theme showed "short blocks, qualifications, fine, free
English, stay, funded courses": "fine" and "stay", from "devolution is fine as long as free
English and maths courses stay", name nothing a reader can place. They are no keywords
alone now (both general words), though a phrase may hold them ("hospital stay": fix #1)."""

from __future__ import annotations

from analysis.keywords import GENERAL, VAGUE, readable_keywords
from analysis.tokens import Tokenizer

TEXTS = [
    "Devolution is fine as long as free English and maths courses stay.",
    "Learners could build up qualifications in short blocks instead of one full year.",
    "Devolving the whole budget ends the split between nationally and locally funded courses.",
    "The council issued a parking fine notice to every driver in the car park.",
] * 3


def _shown(words: list[str]) -> list[str]:
    tokenizer = Tokenizer(min_phrase_count=1)
    tokenizer.fit_transform(TEXTS)
    return readable_keywords(words, tokenizer, TEXTS, count=10)


def test_fine_and_stay_are_not_keywords_alone():
    assert {"stay", "stays", "stayed", "staying", "fine"} <= GENERAL
    shown = _shown(["qualifications", "fine", "stay", "devolution"])
    assert "fine" not in shown and "stay" not in shown
    assert "qualifications" in shown and "devolution" in shown


HOSPITAL = [
    "After a short hospital stay the discharge plan was never explained to my mother.",
    "The hospital stay was longer than needed because the discharge plan came late.",
    "Nobody wrote a discharge plan before the end of his hospital stay.",
] * 4


def test_a_phrase_may_hold_stay():
    """fix #1: "stay" was in VAGUE, which no phrase may hold, so "hospital stay" was lost."""
    assert not {"stay", "stays", "stayed", "staying"} & VAGUE
    tokenizer = Tokenizer(min_phrase_count=1)
    tokenizer.fit_transform(HOSPITAL)
    shown = readable_keywords(["hospit_stay", "discharg"], tokenizer, HOSPITAL, count=10)
    assert "hospital stay" in shown and "discharge plan" in shown
