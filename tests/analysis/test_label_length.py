"""read34: an expert's key point is a short statement of at most about ten words. Whole
sentences are costed as eight words (``LabelScoring.whole_words``), so a whole sentence of 14
words won over a whole one of ten saying the same point; a label over ``over_words`` (10)
words now gives way to a whole statement of at most ten scoring at most ``over_margin`` less."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.describe import LabelScoring, theme_label
from analysis.tokens import Tokenizer

LONG = "Multi-year funding would give councils the certainty they need to commit to long projects."
SHORT = "Multi-year funding gives councils certainty to commit to long projects."
ANSWERS = [
    LONG,
    SHORT,
    f"Overall, {LONG[0].lower()}{LONG[1:]}",
    f"Overall, {SHORT[0].lower()}{SHORT[1:]}",
    "Councils cannot commit to long projects without certainty.",
    "Long projects need certainty.",
]


def _label(scoring: LabelScoring | None = None) -> str:
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform(ANSWERS)
    vectorizer = TfidfVectorizer(analyzer=lambda words: words).fit(tokens)
    terms = np.asarray(vectorizer.transform(tokens).mean(axis=0)).ravel()
    return theme_label([], terms, tokenizer, vectorizer, ANSWERS, scoring=scoring)


def test_the_shorter_whole_statement_of_one_point_is_the_label():
    """With read34's margin (0.06; off by default since lead34)."""
    assert len(LONG.split()) == 14 and len(SHORT.split()) == 10
    assert _label(LabelScoring(over_margin=0.06)) == SHORT.rstrip(".")


def test_without_the_cost_over_ten_words_the_longer_one_won():
    """The same answers with ``over_margin`` 0 (the default): the label before read34."""
    assert _label() == LONG.rstrip(".")
