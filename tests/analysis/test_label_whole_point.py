"""words31 #4: the demo's semantic Q8 theme "Improve rail and bus links so staff can get to
industrial estates" dropped "without a car" from the answers' point: the whole sentence has 15
words, one over a label statement's 14, so only its cut was a candidate and won although it
is cut short. A label chosen though cut short is now the whole sentence it was cut from, of up
to LONG_LABEL_WORDS words; which point is chosen does not change."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.describe import LONG_LABEL_WORDS, theme_label
from analysis.tokens import Tokenizer

POINT = "Improve rail and bus links so staff can get to industrial estates without a car."


def _label(answers: list[str], cuts: dict[str, str] | None = None) -> str:
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform(answers)
    vectorizer = TfidfVectorizer(analyzer=lambda words: words).fit(tokens)
    terms = np.asarray(vectorizer.transform(tokens).mean(axis=0)).ravel()
    return theme_label([], terms, tokenizer, vectorizer, answers, cuts=cuts)


def test_a_label_keeps_what_makes_the_point_true():
    answers = [
        POINT,
        f"In Walsall, {POINT[0].lower()}{POINT[1:]}",
        f"We believe we should {POINT[0].lower()}{POINT[1:]}",
        f"Overall, {POINT[0].lower()}{POINT[1:]}",
    ]
    assert len(POINT.split()) == 15
    cuts: dict[str, str] = {}
    assert _label(answers, cuts) == POINT.rstrip(".")
    # the themes are joined on the label as chosen (analysis.stages), not its longer whole
    assert cuts == {POINT.rstrip("."): POINT.removesuffix(" without a car.")}


def test_a_sentence_too_long_to_be_a_label_is_still_cut():
    """Past LONG_LABEL_WORDS the whole sentence is no candidate: the cut stays."""
    tail = " in the evenings, at weekends and on bank holidays when the buses stop running"
    longer = POINT.rstrip(".") + tail + "."
    assert len(longer.split()) > LONG_LABEL_WORDS
    label = _label([longer, f"Overall, {longer[0].lower()}{longer[1:]}", longer])
    assert len(label.split()) <= 14


def test_a_reason_after_the_statement_is_not_added():
    """ "... because ..." gives a reason, not what makes the statement true (ArgKP: "We
    shouldn't adopt libertarianism" stays, not "... because the risk economic countries")."""
    said = "We should not adopt this policy because the risk to poorer countries is too great."
    answers = [said, f"Overall, {said[0].lower()}{said[1:]}", said]
    assert "because" not in _label(answers)
