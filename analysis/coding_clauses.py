"""Per-theme evidence from an answer's clauses, for the coding model's combiner.

An answer that makes several points ("Staff were lovely but the wait was 4 hours") has one
vector that blurs them, so a theme carried by one clause scores low against the whole answer.
Here every answer is split into its points (:func:`analysis.clauses.split_points`) and each
point is compared with the coded answers' points:

- a coded answer's points carry its themes: with one theme, every point carries it; with
  several, each point carries the one of the answer's themes whose centroid (the mean of the
  coded answers with that theme) it is closest to; with none, its points carry none;
- for each answer and theme, the best of its points' nearest-coded-point votes
  (:func:`analysis.coding_combine.neighbour_signals` over points), and how much less similar
  the closest coded point carrying the theme is than the answer's closest coded point of all.

Both are columns of the combiner's pair features (:data:`FEATURES`), read where
``CodingModel(clauses=True)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.preprocessing import normalize

from .clauses import split_points
from .coding_combine import neighbour_signals

FEATURES = ("best clause's neighbour vote", "best clause's nearest with theme minus nearest")


def clause_texts(texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Every answer's points in order, each with its answer's index: ``(owners, points)``.
    An answer that makes one point is its own single point (its text as it is)."""
    owners: list[int] = []
    points: list[str] = []
    for row, text in enumerate(texts):
        split = split_points(text or "")
        parts = split if len(split) > 1 else [text or ""]
        owners.extend([row] * len(parts))
        points.extend(parts)
    return np.asarray(owners, int), points


def assign_themes(
    vectors: np.ndarray, owners: np.ndarray, y: np.ndarray, answers: np.ndarray
) -> np.ndarray:
    """The themes each coded point carries (0/1, points by themes): ``vectors`` are the
    points' unit vectors, ``owners`` their answer's row in ``y`` (the coded answers' 0/1
    themes) and ``answers`` the coded answers' unit vectors. A point of an answer with
    several themes carries the one whose centroid it is closest to."""
    carried = y[owners].astype(float)
    several = np.flatnonzero(carried.sum(axis=1) > 1)
    if several.size:
        centroids = normalize(y.T.astype(float) @ np.asarray(answers, float))
        similarity = np.asarray(vectors[several], float) @ centroids.T
        similarity = np.where(carried[several] > 0, similarity, -np.inf)
        best = similarity.argmax(axis=1)
        carried[several] = 0.0
        carried[several, best] = 1.0
    return carried


def _max_by_owner(values: np.ndarray, owners: np.ndarray, rows: int) -> np.ndarray:
    """Per answer (``rows`` of them), the maximum of its points' rows of ``values``
    (``owners`` sorted, every answer with at least one point)."""
    starts = np.searchsorted(owners, np.arange(rows))
    return np.maximum.reduceat(values, starts, axis=0)


def clause_signals(
    query: np.ndarray,
    query_owners: np.ndarray,
    rows: int,
    reference: np.ndarray,
    reference_owners: np.ndarray,
    y: np.ndarray,
    answers: np.ndarray,
) -> np.ndarray:
    """The :data:`FEATURES` as ``rows`` by themes by 2: for the query answers' points
    (``query``, unit vectors, ``query_owners`` their answer 0..rows-1, sorted) against the
    coded answers' points (``reference``, ``reference_owners`` their row in ``y``;
    ``answers`` the coded answers' unit vectors, for :func:`assign_themes`)."""
    themes = y.shape[1]
    if rows == 0 or len(reference) == 0:
        return np.stack([np.zeros((rows, themes)), np.full((rows, themes), -1.0)], axis=2)
    carried = assign_themes(reference, reference_owners, y, answers)
    vote, gap, best = neighbour_signals(query, reference, carried)
    with_theme = np.where(gap > -1.0, gap + best[:, None], -1.0)
    best_vote = _max_by_owner(vote, query_owners, rows)
    nearest = _max_by_owner(best[:, None], query_owners, rows)
    best_gap = np.where(
        _max_by_owner(gap, query_owners, rows) > -1.0,
        _max_by_owner(with_theme, query_owners, rows) - nearest,
        -1.0,
    )
    return np.stack([best_vote, best_gap], axis=2)


def point_starts(owners: np.ndarray, rows: int) -> np.ndarray:
    """Where each answer's points start in ``owners`` (sorted), plus the end: ``rows + 1``
    offsets."""
    return np.searchsorted(owners, np.arange(rows + 1))


def gather(starts: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points of answers ``rows`` (in that order), from :func:`point_starts`'s offsets:
    their indices and each one's position in ``rows``."""
    rows = np.asarray(rows, int)
    lengths = starts[rows + 1] - starts[rows]
    owners = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    index = np.arange(int(lengths.sum())) - offsets + np.repeat(starts[rows], lengths)
    return index, owners
