"""How many of a theme's answers make its label's own point.

A theme's label is one statement in its members' words, but a theme can gather several
related points, and an answer can mention a theme through another of its points. Its count
of mentions then credits the label with more answers than made that point: on the demo, a
theme labelled "Hold a cross-party meeting of the region's MPs every term" was mentioned by
100 answers, 45 of which made that point (the others asked for joint boards, a vote for
neighbouring councils, shared data). This module counts, for each theme, the answers
mentioning it whose text, or one of its separate points (:func:`analysis.clauses.points_of`),
is close to the label in sentence-embedding space, so the report can say how many make the
label's point and how many make related ones. It needs sentence embeddings (the semantic
engine); the fast engine's vectors are not calibrated for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .clauses import points_of

# Cosine between a label and an answer (or one of its points) at which the answer is taken to
# make the label's point. Chosen on the demo consultation's seven questions, whose answers are
# built from known points (bench/label_points.py): at 0.5 the counts summed over 55 themes came
# closest to the true ones, and the score separates answers that make the point from those that
# do not with ROC AUC 0.95.
LABEL_POINT_THRESHOLD = 0.5

# The same, between a summary sentence and an answer (:func:`statement_makers`). At 0.5 the
# counts fell short of the truth (median 0.68 of it on the demo's 50 sentences with a known
# point, 0.61 on ArgKP's even motions); at 0.45 they came closest on both tuning sets (median
# 0.91 and 0.96, mean absolute error 9.0 and 6.2 against 9.3 and 8.5): a summary sentence is
# a whole sentence from one answer, longer and more particular than a label
# (bench/summary_points.py; ArgKP's odd motions held out).
SUMMARY_POINT_THRESHOLD = 0.45


def label_point_counts(
    labels: Sequence[str],
    mentions: Sequence[Sequence[int]],
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    threshold: float = LABEL_POINT_THRESHOLD,
    weights: Sequence[int] | None = None,
) -> list[int]:
    """For each theme, how many of the answers mentioning it make its label's point.

    ``labels[t]`` is theme t's label, ``mentions[t]`` the indexes (into ``texts``) of the
    answers mentioning it, and ``embed`` returns one unit vector per text. An answer makes the
    label's point when the answer as a whole, or one of its separate points, has cosine at
    least ``threshold`` with the label. ``weights`` (default 1 each) counts an answer as that
    many (a distinct text given by several rows)."""
    if not labels:
        return []
    wanted = sorted({row for rows in mentions for row in rows})
    owners, parts = points_of([texts[row] for row in wanted])
    candidates = [texts[row] for row in wanted] + parts
    vectors = embed(candidates) if candidates else np.zeros((0, 1))
    label_vectors = embed(list(labels))
    similarity = vectors @ label_vectors.T if len(candidates) else np.zeros((0, len(labels)))
    position = {row: index for index, row in enumerate(wanted)}
    best = similarity[: len(wanted)].copy()
    for offset, owner in enumerate(owners):
        np.maximum(best[owner], similarity[len(wanted) + offset], out=best[owner])
    weight = [1] * len(texts) if weights is None else list(weights)
    return [
        int(sum(weight[row] for row in rows if best[position[row], theme] >= threshold))
        for theme, rows in enumerate(mentions)
    ]


def point_makers(
    label: str,
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    threshold: float = LABEL_POINT_THRESHOLD,
) -> np.ndarray:
    """Which of ``texts`` make the ``label``'s point, as :func:`label_point_counts` counts
    them: the text as a whole, or one of its separate points, has cosine at least
    ``threshold`` with the label (:func:`statement_makers` for one statement)."""
    return statement_makers([label], texts, embed, threshold)[:, 0]


def statement_makers(
    statements: Sequence[str],
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    threshold: float = SUMMARY_POINT_THRESHOLD,
) -> np.ndarray:
    """Which of ``texts`` make each of ``statements``' points, as :func:`label_point_counts`
    counts an answer making a label's point: a (texts, statements) boolean array, True where
    the text as a whole, or one of its separate points, has cosine at least ``threshold``
    (default :data:`SUMMARY_POINT_THRESHOLD`) with the statement. Used for a theme's summary
    sentences: how many of its answers make each sentence's point, not only the ~100 most
    central ones the summary read."""
    if not texts or not statements:
        return np.zeros((len(texts), len(statements)), dtype=bool)
    owners, parts = points_of(list(texts))
    targets = np.asarray(embed(list(statements)), dtype=np.float64)
    best = np.asarray(embed(list(texts)), dtype=np.float64) @ targets.T
    if parts:
        scores = np.asarray(embed(parts), dtype=np.float64) @ targets.T
        for owner, score in zip(owners, scores, strict=True):
            np.maximum(best[owner], score, out=best[owner])
    return best >= threshold
