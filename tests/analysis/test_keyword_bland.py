"""Vague words are no keywords alone (smoke10 #15: "set, West Midlands, ones, priorities,
regeneration schemes, running"; "likely, level"; "informed, responses"), though a phrase a
reader knows may hold them ("running costs", "degree level"), and a theme whose distinct
words are all vague shows them as its last resort (analysis.keywords.BLAND)."""

from __future__ import annotations

from analysis.keywords import BLAND, readable_keywords
from analysis.tokens import Tokenizer


def _shown(texts: list[str], words: list[str], bland: bool = False) -> list[str]:
    tokenizer = Tokenizer(min_phrase_count=1)
    tokenizer.fit_transform(texts)
    return readable_keywords(words, tokenizer, texts, count=10, bland=bland)


def test_the_smoke_walks_vague_words_are_in_the_list():
    assert {"set", "ones", "likely", "level", "risk", "informed", "responses"} <= BLAND
    assert {"result", "summary", "running", "spread"} <= BLAND


def test_a_vague_word_is_shown_only_in_its_phrase_or_as_the_last_resort():
    texts = [
        "Priorities set in the West Midlands will fit our places better than ones set in London.",
        "Grants for solar panels would cut running costs for workshops.",
        "Solar panels cut running costs.",
        "Please keep partners informed about how responses are used.",
    ] * 3
    assert _shown(texts, ["set", "ones", "priorities"]) == ["priorities"]
    assert "running" not in _shown(texts, ["running", "solar"])
    assert _shown(texts, ["informed", "responses"]) == []
    assert _shown(texts, ["informed", "responses"], bland=True) == ["informed", "responses"]
