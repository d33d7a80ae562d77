"""A quote for the point a theme's flag names (issue 12, smoke8 finding 2).

A theme flagged "another point is commoner than the label's" (or "label made by fewer than
half", naming the commoner point: :func:`analysis.report.commoner_sentence`) but not
relabelled tells the reader that most of its answers make another point, a summary sentence's;
its quotes were chosen before that was counted, around its label, and could all make other
points, so the reader met the point in the flag and nowhere in the answers quoted. Here such a
theme's last quote gives way to the answer the summary sentence was taken from, unless a quote
already makes that point: it is that answer, or it, or one of its separate points, is within
MiniLM cosine :data:`analysis.label_points.CLOSE` (0.6) of the sentence and, for a quote making
several points, nearer to it than to the label (:func:`analysis.label_points.statement_makers`
with ``nearest``). Neither the summary-point distance (0.45) nor the summary's own list of
answers making the point will do: both took "Non-constituent authorities risk being left out
of decisions about the money." (cosine 0.53) for "Too many conditions remain attached, so it
is not real control over funding." on the demo. Other themes' quotes are not touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .label_points import CLOSE, statement_makers


def carries(
    quotes: Sequence[dict[str, Any]],
    sentence: dict[str, Any],
    embed: Callable[[list[str]], np.ndarray] | None,
    vocabulary: Sequence[str] | None = None,
    label: str | None = None,
) -> bool:
    """Whether one of ``quotes`` makes the summary ``sentence``'s point: it is the answer the
    sentence was taken from, or (with ``embed``) it makes
    the point as a summary point's makers are counted but within :data:`CLOSE`, rare words
    judged over ``vocabulary``, and (a quote making several points) nearer the sentence than
    the theme's ``label``."""
    if any(str(q.get("id")) == str(sentence.get("id")) for q in quotes):
        return True
    if embed is None or not quotes:
        return False
    texts = [str(q.get("text") or "") for q in quotes]
    statements = [sentence["text"], *([label] if label else [])]
    makes = statement_makers(statements, texts, embed, CLOSE, vocabulary, nearest=True)
    return bool(makes[:, 0].any())


def with_commoner_point(
    quotes: list[dict[str, Any]],
    sentence: dict[str, Any],
    texts: dict[str, str],
    embed: Callable[[list[str]], np.ndarray] | None,
    vocabulary: Sequence[str] | None = None,
    label: str | None = None,
) -> list[dict[str, Any]]:
    """``quotes`` with one making the commoner ``sentence``'s point: unchanged when one does
    (:func:`carries`, nearer it than the ``label``), else the last quote (none when there are
    none) replaced by the answer the sentence was taken from (its text from ``texts``, answers
    by id), so the theme keeps as many quotes; unchanged when that answer's text is not known."""
    if carries(quotes, sentence, embed, vocabulary, label):
        return quotes
    source = str(sentence.get("id"))
    if source not in texts:
        return quotes
    return [*quotes[: max(0, len(quotes) - 1)], {"id": source, "text": texts[source]}]
