"""Themes that only repeat others: combinations of other themes' points, and near twins.

When answers often make two points ("Agree one plan for transport and housing. Bus services
are unreliable."), k-means can give the answers that join the same two points a cluster of
their own: it sits between the two points' clusters and has no point of its own. Read as a
report, it repeats another theme's label ("Bus services are unreliable" beside "Bus services
are unreliable and should be brought under public control"). Such a theme is found by where
the points go: each point of an answer of several points (:func:`analysis.clauses.points_of`)
counts for the theme nearest to it, a one-point answer for its own theme, and a theme that
keeps little of its members' weight this way is dissolved into the rest."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Points:
    """The separate points of the answers that make several, as vectors with their owners."""

    owners: np.ndarray  # index of each point's answer
    vectors: np.ndarray  # one unit vector per point


def points_owned(
    vectors: np.ndarray, weights: np.ndarray, centers: np.ndarray, points: Points
) -> tuple[np.ndarray, np.ndarray]:
    """Each theme's weight of answers (nearest centre) and weight of points: a one-point
    answer's weight goes to its own theme; an answer of several points shares its weight
    equally among the themes nearest to each of its points."""
    k = centers.shape[0]
    primary = (vectors @ centers.T).argmax(axis=1)
    size = np.bincount(primary, weights=weights, minlength=k).astype(float)
    several = np.zeros(vectors.shape[0], dtype=bool)
    several[points.owners] = True
    owned = np.bincount(primary[~several], weights=weights[~several], minlength=k).astype(float)
    if len(points.owners):
        per_answer = np.bincount(points.owners, minlength=vectors.shape[0])
        share = weights[points.owners] / per_answer[points.owners]
        nearest = (points.vectors @ centers.T).argmax(axis=1)
        owned += np.bincount(nearest, weights=share, minlength=k)
    return size, owned


def combination_theme(
    vectors: np.ndarray,
    weights: np.ndarray,
    centers: np.ndarray,
    points: Points,
    min_kept: float = 0.4,
) -> int | None:
    """The theme that keeps the smallest share of its answers' weight as points, when that
    share is under ``min_kept``; None when every theme has points of its own.

    On the demo consultation's seven questions (answers of one or two points), the themes of
    answers joining two other themes' points kept 0-35 % of their weight as points; every
    other theme kept 56 % or more."""
    if len(points.owners) == 0 or centers.shape[0] < 2:
        return None
    size, owned = points_owned(vectors, weights, centers, points)
    kept = np.where(size > 0, owned / np.maximum(size, 1e-12), np.inf)
    worst = int(np.argmin(kept))
    return worst if kept[worst] < min_kept else None


def twin_theme(
    vectors: np.ndarray, weights: np.ndarray, centers: np.ndarray, min_ratio: float = 0.975
) -> int | None:
    """The smaller of the two themes whose centres are closest, relative to how close their
    answers are to their own centres, when the centres are at least ``min_ratio`` times as
    similar as the median answer of the less cohesive of the two is to its centre: the two
    are one point, split by the words partners wrap it in ("... in Coventry"). None when no
    two themes are that close.

    On the demo consultation's seven questions, the twins split by a closing phrase scored
    0.97-0.99 and the closest distinct themes at most 0.91. Below 0.975, merging twins
    chained: each merge and k-means rerun left a new pair at 0.96-0.97 until distinct points
    were merged too."""
    k = centers.shape[0]
    if k < 2:
        return None
    primary = (vectors @ centers.T).argmax(axis=1)
    closeness = np.einsum("ij,ij->i", vectors, centers[primary])
    cohesion = np.array(
        [np.median(closeness[primary == t]) if np.any(primary == t) else 1.0 for t in range(k)]
    )
    size = np.bincount(primary, weights=weights, minlength=k)
    similar = centers @ centers.T
    best, pair = -np.inf, None
    for a in range(k):
        for b in range(a + 1, k):
            ratio = similar[a, b] / max(min(cohesion[a], cohesion[b]), 1e-12)
            if ratio > best:
                best, pair = ratio, (a, b)
    if pair is None or best < min_ratio:
        return None
    a, b = pair
    return b if (size[b], -b) < (size[a], -a) else a
