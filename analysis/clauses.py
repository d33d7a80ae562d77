"""Splitting an answer into the points it makes: sentences, then clauses joined by "but",
"also", "as well as" or a semicolon. Parts shorter than ``min_words`` words join the part
before them, so "Yes. Buses are late" stays one point."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE = re.compile(
    r",?\s+(?:but also|and also|but|however|also|as well as|plus|while|whereas|although)\s+",
    re.IGNORECASE,
)


def split_points(text: str, min_words: int = 4) -> list[str]:
    """The answer's parts, each at least ``min_words`` words (a single part when it cannot
    be split). Deterministic and language-light: punctuation and a few joining words."""
    parts: list[str] = []
    for sentence in _SENTENCE.split(text or ""):
        for clause in _CLAUSE.split(sentence):
            clause = clause.strip(" ,;")
            if not clause:
                continue
            if parts and min(len(clause.split()), len(parts[-1].split())) < min_words:
                parts[-1] = f"{parts[-1]} {clause}"
            else:
                parts.append(clause)
    return parts or [text]


def points_of(texts: list[str]) -> tuple[list[int], list[str]]:
    """The separate points of every answer that makes more than one (:func:`split_points`),
    each with the index of its answer: ``(owners, points)``, in order."""
    owners: list[int] = []
    points: list[str] = []
    for row, text in enumerate(texts):
        split = split_points(text)
        if len(split) > 1:
            owners.extend([row] * len(split))
            points.extend(split)
    return owners, points
