"""Keywords a reader can use (kw18, smoke18r #8): no pair crossing a clause boundary, the
label's point's words first, and never none (nor one bare word) on a big theme."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.keyword_bounds import crosses_boundary
from analysis.keyword_fallback import frequent_terms, label_point_first, wants_fallback
from analysis.keywords import readable_keywords
from analysis.stages import shown_keywords
from analysis.tokens import Tokenizer

DEMO = [
    "Public money should be decided by people voters can remove at the ballot box.",
    "Giving a business board a formal vote blurs who is accountable for public money.",
    "Share data between councils, the police and health partners so services join up.",
    "Bus services are unreliable and should be brought under public control.",
    "We need bus services that run on time.",
]


@pytest.mark.parametrize("phrase", ["people voters", "vote blurs", "services join"])
def test_pairs_across_a_clause_boundary(phrase: str) -> None:
    texts = [t.lower() for t in DEMO] * 2
    assert crosses_boundary(phrase, texts)


@pytest.mark.parametrize(
    "phrase", ["bus services", "health partners", "formal vote", "public money", "ballot box"]
)
def test_noun_phrases_stay(phrase: str) -> None:
    texts = [t.lower() for t in DEMO] * 2
    assert not crosses_boundary(phrase, texts)


def test_one_word_never_crosses() -> None:
    assert not crosses_boundary("voters", DEMO)


def test_readable_keywords_leave_out_a_crossing_pair() -> None:
    tokenizer = Tokenizer()
    texts = [DEMO[0]] * 3
    shown = readable_keywords(["peopl\x1fvoter", "ballot\x1fbox"], tokenizer, texts)
    assert "people voters" not in shown


def test_label_point_first() -> None:
    tokenizer = Tokenizer()
    label = "Devolution is fine as long as free English and maths courses stay"
    texts = [
        "Devolution is fine as long as free English and maths courses stay.",
        "We accept devolution if free English and maths courses stay.",
        "Qualifications in short blocks suit adults.",
        "Qualifications in short blocks fit around work.",
    ]
    terms = ["qualif", "block", "english", "math"]
    assert label_point_first(terms, label, tokenizer, texts) == [
        "english",
        "math",
        "qualif",
        "block",
    ]
    # no label, or fewer than two answers making its point: unchanged
    assert label_point_first(terms, "", tokenizer, texts) == terms
    assert label_point_first(terms, "Hold a meeting of MPs", tokenizer, texts) == terms


def test_frequent_terms_most_used_first() -> None:
    tokenizer = Tokenizer()
    texts = ["finance for start-ups", "access to finance", "small loans and finance", "loans"]
    assert frequent_terms(["loan", "financ", "nowher"], tokenizer, texts) == ["financ", "loan"]


def test_wants_fallback_only_on_a_big_theme() -> None:
    assert wants_fallback([], ["an answer"] * 10)
    assert wants_fallback(["staff"], ["an answer"] * 24)
    assert not wants_fallback([], ["an answer"] * 9)
    assert not wants_fallback(["a", "b", "c"], ["an answer"] * 24)
    # one bare word on a theme of five or more answers; not a phrase, not a tiny theme
    assert wants_fallback(["staff"], ["an answer"] * 5)
    assert not wants_fallback(["staff"], ["an answer"] * 4)
    assert not wants_fallback(["final deal"], ["an answer"] * 8)
    assert not wants_fallback(["add-on"], ["an answer"] * 8)


def test_a_big_uniform_theme_shows_more_than_staff() -> None:
    """smoke18r #8: 24 answers saying "staff cannot rely on buses that often do not turn up"
    showed "staff" alone; a big theme now shows its frequent phrases as well."""
    label = "Staff cannot rely on buses that often do not turn up"
    texts = [
        f"In area {n}, staff cannot rely on buses that often do not turn up to the depot."
        for n in range(24)
    ]
    tokenizer = Tokenizer().fit(texts)
    keywords = ["staff", "area", "pay", "buse", "depot"]
    index_of = {word: i for i, word in enumerate(keywords)}
    none_pass = np.zeros(len(keywords), dtype=bool)
    shown = shown_keywords(keywords, none_pass, index_of, tokenizer, texts, label=label)
    assert shown[0] == "staff"
    assert len(shown) >= 2
    assert shown != ["staff"]


def test_a_big_theme_never_shows_none() -> None:
    tokenizer = Tokenizer()
    texts = [f"Simplify access to finance for start-ups, says firm {n}." for n in range(12)]
    keywords = ["financ", "start-up", "access"]
    index_of = {word: i for i, word in enumerate(keywords)}
    none_pass = np.zeros(len(keywords), dtype=bool)
    label = "Simplify access to finance for start-ups"
    shown = shown_keywords(keywords, none_pass, index_of, tokenizer, texts, label=label)
    assert shown
    # an edited theme, described without its label (analysis.edit_keywords), shows none
    assert shown_keywords(keywords, none_pass, index_of, tokenizer, texts) == []


def test_repeatable() -> None:
    tokenizer = Tokenizer()
    texts = [f"Simplify access to finance for start-ups, says firm {n}." for n in range(12)]
    keywords = ["financ", "start-up", "access"]
    index_of = {word: i for i, word in enumerate(keywords)}
    none_pass = np.zeros(len(keywords), dtype=bool)
    label = "Simplify access to finance"
    first = shown_keywords(keywords, none_pass, index_of, tokenizer, texts, label=label)
    assert first
    assert first == shown_keywords(keywords, none_pass, index_of, tokenizer, texts, label=label)


def test_fallback_terms_only_the_labels_point_unless_empty() -> None:
    """A theme showing some keywords is filled with its label's point's words only (not
    "chance" of "Thank you for the chance to respond"); one showing none, with its commonest."""
    from analysis.keyword_fallback import fallback_terms

    texts = [
        "Our key workers cannot afford to rent near where they work.",
        "In Sandwell, key workers cannot afford to rent near where they work.",
        "Key workers cannot afford to rent here. Thank you for the chance to respond.",
        "Net zero must run through the deal. Thank you for the chance to respond.",
        "Thank you for the chance to respond.",
    ]
    tokenizer = Tokenizer().fit(texts)
    label = "Our key workers cannot afford to rent near where they work"
    terms = ["chanc", "rent", "afford"]
    assert "chanc" not in fallback_terms(terms, label, tokenizer, texts, empty=False)
    assert "rent" in fallback_terms(terms, label, tokenizer, texts, empty=False)
    assert "chanc" in fallback_terms(terms, label, tokenizer, texts, empty=True)
    # no two answers make the label's point: nothing borrowed unless the theme shows none
    assert fallback_terms(terms, "Hold a meeting of MPs", tokenizer, texts, empty=False) == []
