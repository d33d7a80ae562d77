"""Stance: for, against, mixed or unclear, from a paired agreement answer where there is one,
and from the words for the rows whose agreement answer says nothing usable. Without any
agreement answer, stance is not measured (see :func:`analysis.stages.sentiment_and_stance`).

``Sentiment`` lives in :mod:`analysis.sentiment`; it is importable from here as before."""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "STANCES",
    "Sentiment",  # noqa: F822 (imported when asked for: __getattr__)
    "read_sides",
    "stance",
    "stance_from_agreement",
    "stance_from_text",
]

STANCES = ("for", "against", "mixed", "unclear")


def __getattr__(name: str) -> Any:
    """``Sentiment``, imported when asked for (it needs SciPy; the CLI reads stances without)."""
    if name == "Sentiment":
        from .sentiment import Sentiment

        return Sentiment
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


# Sides as exports often code them: ``1``/``-1`` (ArgKP and many survey tools) and the words
# ``for``/``against``/``pro``/``con`` that ``consult-analyse code`` reads. ``0`` is left
# unread: it means "neutral" on a -1/0/1 scale but "no" on a 0/1 one.
_CODED_SIDES = {
    "1": "for",
    "+1": "for",
    "1.0": "for",
    "-1": "against",
    "-1.0": "against",
    "for": "for",
    "pro": "for",
    "con": "against",
}


def stance_from_agreement(answer: str | None) -> str | None:
    """Stance from a closed agreement answer (or a side coded ``1``/``-1``, ``for``/``against``),
    or None when it says nothing usable."""
    if not answer:
        return None
    value = answer.strip().lower().replace("_", " ")
    if not value:
        return None
    if value in _CODED_SIDES:
        return _CODED_SIDES[value]
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


def _number(value: str | None) -> float | None:
    """``value`` as a number, or None when it is not one."""
    try:
        return float((value or "").strip())
    except ValueError:
        return None


def read_sides(values: list[str | None]) -> list[str | None]:
    """A column of agreement answers as :func:`stance_from_agreement` may read it: when any
    of its numbers is other than -1, 0 or 1, its numbers are a scale (1 to 5, say, where 1
    can be "strongly disagree"), not sides coded 1/-1, so every number is left unread (None);
    else the column as it is."""
    numbers = {number for value in values if (number := _number(value)) is not None}
    if numbers <= {-1.0, 0.0, 1.0}:
        return list(values)
    return [None if _number(value) is not None else value for value in values]


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
