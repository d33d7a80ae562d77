"""How much a question's answers echo its wording, and so how much of the question's direction
to take out of their vectors.

Answers to a motion restate it ("we should not ban child actors because..."): the share of the
question's content words an answer repeats was 0.39-0.66 on average over ArgKP's 24 motions,
where taking the question's direction out of the vectors helped a great deal. Answers to "What
could we do better?" (NHS feedback, 0.01-0.10) or to the demo consultation's questions
(0.00-0.19) repeat little of it, and there taking it out only blurred what sets themes apart.
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

LOW, HIGH = 0.2, 0.35  # mean echo at and below which nothing, at and above which all, is taken
_WORD = re.compile(r"[a-z]+")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """The text's words of three letters or more that are not stop words, crudely stemmed."""
    return {
        _stem(w) for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in ENGLISH_STOP_WORDS
    }


def question_echo(texts: list[str], question: str | None) -> float:
    """The mean share of the question's content words that each non-blank answer repeats
    (0 without a question, or when it has no content words)."""
    asked = content_words(question or "")
    answers = [t for t in texts if t and t.strip()]
    if not asked or not answers:
        return 0.0
    return sum(len(asked & content_words(t)) for t in answers) / (len(asked) * len(answers))


def echo_weight(echo: float) -> float:
    """How much of the question's direction to take out: none up to ``LOW``, all from
    ``HIGH``, in proportion between."""
    return float(min(1.0, max(0.0, (echo - LOW) / (HIGH - LOW))))


def question_weight(texts: list[str], question: str | None, setting: float | str) -> float:
    """The share of the question's direction to take out: none without a question, the
    ``setting`` when it is a number, else :func:`echo_weight` of the texts' echo."""
    if not question:
        return 0.0
    if setting == "auto":
        return echo_weight(question_echo(texts, question))
    return float(setting)
