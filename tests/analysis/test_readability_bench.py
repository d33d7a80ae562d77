"""The readability bench (``bench/readability.py``): its syllable count and formulas, and
that only our own sentences are scored."""

from __future__ import annotations

import pytest

from bench import readability


@pytest.mark.parametrize(
    ("word", "count"),
    [("cat", 1), ("make", 1), ("table", 2), ("free", 1), ("consultation", 4), ("2026", 1)],
)
def test_syllables_by_vowel_groups(word, count):
    assert readability.syllables(word) == count


def test_flesch_formulas_on_a_known_sentence():
    """ "The cat sat on the mat." 6 words, 6 syllables: ease 206.835 - 1.015 * 6 - 84.6 =
    116.1; grade 0.39 * 6 + 11.8 - 15.59 = -1.45."""
    found = readability.scores("The cat sat on the mat.")
    assert found["words"] == 6
    assert found["ease"] == pytest.approx(116.145)
    assert found["grade"] == pytest.approx(-1.45)


def test_sentences_split_at_lower_case_p_but_not_after_abbreviations():
    said = "It counts. p is that chance, e.g. the one. Then more."
    assert readability.split_sentences(said) == [
        "It counts.",
        "p is that chance, e.g. the one.",
        "Then more.",
    ]


def test_only_our_sentences_are_scored():
    """An answer quoted in a page is the partner's, a keyword list is not prose, the
    consultation's wording is its own, a label inside our sentence becomes "this"."""
    answer = "The buses in Walsall are always late and nobody tells us why it happens."
    collected = {
        "units": [
            {"surface": "staff", "page": "report", "text": answer},
            {"surface": "staff", "page": "report", "text": "Keywords: buses, late, fares, routes"},
            {
                "surface": "staff",
                "page": "report",
                "text": "What is your view of the new bus plan?",
            },
            {
                "surface": "staff",
                "page": "report",
                "text": "The theme Late evening buses is mentioned by 40 of the 200 answers.",
            },
        ],
        "answers": [answer],
        "consultation": ["What is your view of the new bus plan?"],
        "replace": ["Late evening buses"],
    }
    sentences = readability.classify(collected)
    owners = {s["text"]: s["owner"] for s in sentences}
    assert owners == {
        answer: "partner",
        "What is your view of the new bus plan?": "consultation",
        "The theme this is mentioned by 40 of the 200 answers.": "ours",
    }
    figures = readability.summary(sentences)
    assert figures["staff"]["sentences"] == 1
    assert figures["staff"]["long"] == 0
