"""Sentiment (VADER, lexicon installed from PyPI) and stance: for, against, mixed or unclear,
from a paired agreement answer where there is one, and from the words otherwise."""

from __future__ import annotations

import re

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

STANCES = ("for", "against", "mixed", "unclear")

_FOR = re.compile(
    r"\b(?:(?:i|we)(?: would| do| very much| strongly| fully| broadly| wholeheartedly)? "
    r"(?:support|agree|welcome|endorse|back|favour)|in favou?r|support (?:this|the)|"
    r"good idea|great idea|a positive step|yes\b)",
    re.I,
)
_AGAINST = re.compile(
    r"\b(?:(?:i|we)(?: would| do| very much| strongly| fully)? (?:oppose|disagree|object|reject)|"
    r"(?:do not|don't|cannot|can't|would not|wouldn't) (?:support|agree|back)|against (?:this|the)|"
    r"not in favou?r|bad idea|no\b(?=[ ,.!]+(?:i|we|it|this|not|never|absolutely)\b)|"
    r"^no\b|opposed to|object to|should not go ahead|scrap)",
    re.I,
)


class Sentiment:
    """VADER compound scores (-1 to 1) with a cache for repeated answers."""

    def __init__(self) -> None:
        self._analyzer = SentimentIntensityAnalyzer()
        self._cache: dict[str, float] = {}

    def score(self, text: str) -> float:
        value = self._cache.get(text)
        if value is None:
            value = self._cache[text] = round(
                self._analyzer.polarity_scores(text)["compound"] if text else 0.0, 4
            )
        return value


def stance_from_agreement(answer: str | None) -> str | None:
    """Stance from a closed agreement answer, or None when it says nothing usable."""
    if not answer:
        return None
    value = answer.strip().lower().replace("_", " ")
    if not value:
        return None
    if value.startswith(("neither", "neutral", "mixed", "partly", "partially", "in part")):
        return "mixed"
    if any(word in value for word in ("disagree", "oppose", "against")) or value in ("no", "n"):
        return "against"
    if any(word in value for word in ("agree", "support", "favour", "favor")) or value in (
        "yes",
        "y",
    ):
        return "for"
    if value in ("don't know", "dont know", "not sure", "unsure"):
        return "unclear"
    return None


def stance_from_text(text: str) -> str:
    """Stance cues in the words: both kinds is mixed, none is unclear."""
    if not text:
        return "unclear"
    pro = bool(_FOR.search(text))
    con = bool(_AGAINST.search(text))
    if pro and con:
        return "mixed"
    if pro:
        return "for"
    if con:
        return "against"
    return "unclear"


def stance(text: str, agreement: str | None = None) -> str:
    """The stance of one response: the agreement answer first, the text otherwise."""
    return stance_from_agreement(agreement) or stance_from_text(text)
