"""A theme flagged for a point commoner than its label's quotes an answer making that point
(:mod:`analysis.commoner_quote`, smoke8 finding 2)."""

from __future__ import annotations

from analysis.commoner_quote import carries, with_commoner_point
from tests.analysis.test_label_points import word_embed

TEXTS = {
    "1": "Run more buses.",
    "2": "Buses are late again.",
    "3": "Build more homes for young people.",
    "4": "Fund skills courses.",
}
SENTENCE = {"id": "3", "text": "Build more homes.", "ids": ["3"], "answers_as_label": 9}


def quotes(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "text": TEXTS[i]} for i in ids]


def test_the_last_quote_gives_way_to_the_answer_the_commoner_sentence_is_from():
    shown = with_commoner_point(quotes("1", "2", "4"), SENTENCE, TEXTS, word_embed)
    assert [q["id"] for q in shown] == ["1", "2", "3"]
    assert shown[-1]["text"] == TEXTS["3"]


def test_quotes_that_already_make_the_point_are_kept():
    assert with_commoner_point(quotes("1", "3"), SENTENCE, TEXTS, None) == quotes("1", "3")
    # the summary's own list of answers making the point is not taken on trust
    listed = {**SENTENCE, "ids": ["3", "2"]}
    shown = with_commoner_point(quotes("1", "2"), listed, TEXTS, None)
    assert [q["id"] for q in shown] == ["1", "3"]
    # not listed, but its words make the point (within the summary-point distance)
    other = {**SENTENCE, "id": "9", "ids": ["9"]}
    texts = {**TEXTS, "5": "We need more homes."}
    near = [*quotes("1"), {"id": "5", "text": texts["5"]}]
    assert carries(near, other, word_embed)
    assert with_commoner_point(near, other, texts, word_embed) == near


def test_without_the_sentences_answer_or_any_quote_nothing_breaks():
    missing = {**SENTENCE, "id": "9", "ids": []}
    assert with_commoner_point(quotes("1"), missing, TEXTS, None) == quotes("1")
    assert with_commoner_point([], SENTENCE, TEXTS, None) == [{"id": "3", "text": TEXTS["3"]}]
