"""Extra combiner columns for the coding model (issue 13, ``code15``; all off by default).

:class:`analysis.coding.CodingModel` combines, per response and theme, its classifiers'
probability with the nearest coded responses' vote (over the sentence vectors), the codebook
similarity and the theme's rank in the response (:mod:`analysis.coding_combine`). Three more
signals, each one or two columns for the combiner:

- ``word_vote``: the same nearest-coded-responses vote, over the word view (unit TF-IDF
  rows) instead of the sentence vectors, so near-verbatim answers count even where the
  sentence model puts them apart;
- ``cooccur``: how much the response's other likely themes predict this one, from the coded
  rows' co-occurrence counts (a pooled, one-column form of a classifier chain);
- ``smooth``: transduction over every response, coded or not: the mean of the classifiers'
  probabilities over each response's nearest other responses (its own left out).
"""

from __future__ import annotations

import numpy as np

from .features import dense

SMOOTH_NEIGHBOURS = 10
CHUNK = 2000
COOCCUR_PRIOR = 1.0


def cooccurrence_support(proba: np.ndarray, y: np.ndarray, prior: float = COOCCUR_PRIOR):
    """For each response and theme j, the log ratio of j's chance given the response's
    other themes (each other theme k weighted by its probability, P(j | k) from the coded
    rows ``y`` smoothed towards j's base rate with ``prior`` pseudo-rows) to j's base rate."""
    y = np.asarray(y, dtype=float)
    rows, themes = proba.shape
    if not themes or not len(y):
        return np.zeros((rows, themes))
    base = (y.sum(axis=0) + 0.5) / (len(y) + 1.0)
    counts = y.T @ y  # counts[k, j]: rows with both k and j
    given = (counts + prior * base[None, :]) / (y.sum(axis=0)[:, None] + prior)  # P(j | k)
    np.fill_diagonal(given, 0.0)
    weights = np.asarray(proba, dtype=float)
    mass = weights.sum(axis=1, keepdims=True) - weights  # every other theme's weight
    support = (weights @ given) / np.maximum(mass, 1e-9)
    support = np.where(mass > 1e-9, support, base[None, :])
    return np.log(np.maximum(support, 1e-6) / base[None, :])


def nearest_rows(vectors, neighbours: int = SMOOTH_NEIGHBOURS) -> np.ndarray:
    """For each of ``vectors``' unit rows, its ``neighbours`` most similar other rows."""
    n = vectors.shape[0]
    k = min(neighbours, n - 1)
    if k <= 0:
        return np.zeros((n, 0), int)
    found = np.empty((n, k), int)
    for start in range(0, n, CHUNK):
        block = dense(vectors[start : start + CHUNK] @ vectors.T).astype(np.float32)
        index = np.arange(block.shape[0])
        block[index, start + index] = -np.inf
        found[start : start + block.shape[0]] = np.argpartition(-block, k - 1, axis=1)[:, :k]
    return found


def nearest_to(query, vectors, neighbours: int = SMOOTH_NEIGHBOURS) -> np.ndarray:
    """For new unit rows ``query``, their ``neighbours`` most similar rows of ``vectors``."""
    k = min(neighbours, vectors.shape[0])
    if k <= 0:
        return np.zeros((query.shape[0], 0), int)
    block = dense(query @ vectors.T).astype(np.float32)
    return np.argpartition(-block, k - 1, axis=1)[:, :k]


def smoothed_logit(every_proba: np.ndarray, nearest: np.ndarray) -> np.ndarray:
    """The log odds of the mean of ``every_proba`` (all responses' probabilities) over each
    query row's ``nearest`` rows (query rows by themes)."""
    if not nearest.shape[1]:
        return np.zeros((nearest.shape[0], every_proba.shape[1]))
    mean = every_proba[nearest].mean(axis=1)
    p = np.clip(mean, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))
