"""Which answers fit no theme: answers unlike every other answer.

Every answer goes to its nearest theme, so an off-topic answer ("Fund evening bus services
first" to a question on funding settlements) lands in some theme with an ordinary-looking
confidence: the clustering vectors are averaged with each answer's nearest answers
(:mod:`analysis.neighbours`), which pulls an odd answer towards the themes around it (the
smoke walk's bus answer had confidence 0.75; the run's lowest was 0.68).

Fit is read from the answers' own vectors, before that averaging: how similar an answer is
to the most similar other answer, against how similar answers in this run typically are to
theirs (``(similarity - median) / spread``, the spread the median absolute deviation over
the distinct answers; an answer given word for word by several people fits by definition).
An answer far below (:data:`FIT_FLOOR`) is one no other answer comes close to, and is
flagged ``fits_no_theme``: it stays counted in its nearest theme (theme counts, NMI and
shares are unchanged) and every output says how many of a theme's answers are flagged so.

Chosen on planted off-topic answers (bench/fits_no_theme.py, BENCHMARKS.md "fits-no-theme"):
on the demo's seven questions and ArgKP's even motions, this measure told planted answers
from real ones best (AUC 0.79, against 0.56 for the confidence and 0.63 for the similarity
to the theme's centre relative to the theme's spread, and 0.60 for neighbours sharing the
theme).
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from .neighbours import Cells, cells, nearest

# An answer whose fit (in spreads below the run's median answer) is under this is flagged.
# Tuned on planted off-topic answers in the demo and ArgKP's even motions (module docstring).
FIT_FLOOR = -3.0
FIT_FLAG = "fits_no_theme"
# A run needs this many distinct answers before fit is measured; smaller ones flag nothing.
MIN_ANSWERS = 20
# Beyond this many answers, the nearest other answer is searched within cells
# (:func:`analysis.neighbours.cells`) when the representation kept none.
CELL_SIZE = 5000


def unsmoothed(representation: object, vectors: np.ndarray) -> np.ndarray:
    """The answers' own vectors before neighbour averaging (the semantic engine's
    ``joined_``, the fast engine's ``views_``), or ``vectors`` when neither is kept."""
    for name in ("joined_", "views_"):
        own = getattr(representation, name, None)
        if own is not None and getattr(own, "shape", (0,))[0] == vectors.shape[0]:
            return np.asarray(own, dtype=np.float64)
    return np.asarray(vectors, dtype=np.float64)


def nearest_other(
    own: np.ndarray, found: Cells | None = None, seed: int = 0, threads: int = 1
) -> np.ndarray:
    """Each answer's cosine similarity to the most similar other answer (in ``found``'s
    cells when given, as :mod:`analysis.neighbours` searches; 1.0 when there is no other)."""
    own = normalize(own).astype(np.float32)
    count = own.shape[0]
    best = np.ones(count)
    if count < 2:
        return best
    if found is None and count > CELL_SIZE:
        found = cells(own, CELL_SIZE, seed)
    groups = (
        [np.arange(count)]
        if found is None or len(found.labels) != count
        else [np.nonzero(found.labels == c)[0] for c in np.unique(found.labels)]
    )
    for members in groups:
        if len(members) < 2:
            continue
        local = own[members]
        near = nearest(local, local, 2, threads=threads)
        other = np.where(near[:, 0] == np.arange(len(members)), near[:, 1], near[:, 0])
        best[members] = np.einsum("ij,ij->i", local, local[other])
    return best


def fit_scores(nearest_similarity: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per distinct answer: ``(similarity - median) / spread`` over the run's distinct
    answers (spread: the median absolute deviation, floored at 0.01); an answer standing
    for several ``rows`` (said word for word by others, or a campaign) scores 0, as does every answer of a run
    with fewer than :data:`MIN_ANSWERS` distinct answers (not measured)."""
    similarity = np.asarray(nearest_similarity, dtype=np.float64)
    score = np.zeros(len(similarity))
    if len(similarity) < MIN_ANSWERS:
        return score
    centre = float(np.median(similarity))
    spread = max(float(np.median(np.abs(similarity - centre))), 0.01)
    score = (similarity - centre) / spread
    score[np.asarray(rows) > 1] = 0.0
    return score


def own_similarity(own: np.ndarray, primary: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Each answer's cosine similarity to its theme's centre in the answers' own vectors
    (the weighted mean of the members' unit vectors, re-normalised)."""
    own = normalize(own)
    centres = np.zeros((k, own.shape[1]))
    np.add.at(centres, primary, own * weights[:, None])
    centres = normalize(centres)
    return np.einsum("ij,ij->i", own, centres[primary])


def theme_scores(
    similarity: np.ndarray, primary: np.ndarray, weights: np.ndarray, k: int
) -> np.ndarray:
    """A candidate the rule did not use (bench only): per answer, ``(similarity - median)
    / spread`` within its theme, the median and the
    median absolute deviation over the theme's members, weighted by how many rows each
    stands for (spread floored at 0.01). A theme of fewer than :data:`MIN_MEMBERS` rows
    gives its members 0 (not measured)."""
    score = np.zeros(len(primary))
    for theme in range(k):
        members = np.nonzero(primary == theme)[0]
        if weights[members].sum() < 5:
            continue
        values = similarity[members]
        centre = _weighted_median(values, weights[members])
        spread = max(_weighted_median(np.abs(values - centre), weights[members]), 0.01)
        score[members] = (values - centre) / spread
    return score


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The smallest value with at least half the weight at or below it."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def fits_no_theme(score: np.ndarray, floor: float = FIT_FLOOR) -> np.ndarray:
    """The answers whose fit is below ``floor``."""
    return np.asarray(score) < floor
