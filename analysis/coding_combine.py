"""Combining the coding model's signals into one probability per response and theme.

The per-theme classifiers of :class:`analysis.coding.CodingModel` see each theme alone. Three
other signals help, above all when few responses are coded:

- the nearest coded responses (label propagation over the response vectors): a response
  very like one coded with a theme probably has that theme too;
- what the codebook says: how similar the response is to each theme's name, description and
  examples, and whether that theme is the closest one (for argument key points the codebook
  texts are the key points themselves, the strongest signal there is);
- the response's other themes: where a theme ranks among the response's likeliest themes,
  and how far it is below the likeliest one (how many themes a response has).

:class:`ThemeCombiner` is one logistic regression over these signals, shared by all themes
(pooled over response and theme pairs, so a few dozen coded responses are enough to learn
it). It is trained on cross-validated outputs of the classifiers, so it learns how far to
trust each signal on this data.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from .features import dense

NEIGHBOURS = 10
NEIGHBOUR_TEMPERATURE = 0.05
FEATURES = (
    "classifier logit",
    "neighbour vote",
    "nearest with theme minus nearest",
    "codebook similarity",
    "codebook margin",
    "codebook rank first",
    "classifier rank first",
    "classifier rank second",
    "below the likeliest",
    "theme prior",
    "likeliest theme's logit",
    "sum of the classifiers' probabilities",
    "similarity of the nearest coded response",
    "highest codebook similarity",
)


def neighbour_signals(
    query: np.ndarray | sp.spmatrix,
    reference: np.ndarray | sp.spmatrix,
    y: np.ndarray,
    neighbours: int = NEIGHBOURS,
    temperature: float = NEIGHBOUR_TEMPERATURE,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Label propagation from the coded ``reference`` rows (unit vectors, 0/1 labels ``y``)
    to the ``query`` rows (unit vectors): a similarity-weighted vote of the nearest
    ``neighbours`` for each theme, and for each theme how much less similar its closest
    coded example is than the closest coded row of all (0 when that row has the theme,
    -1 when no coded row has it)."""
    rows, themes = (query.shape[0], y.shape[1])
    if reference.shape[0] == 0 or rows == 0:
        return np.zeros((rows, themes)), np.full((rows, themes), -1.0), np.zeros(rows)
    similarity = dense(query @ reference.T).astype(float)
    k = min(neighbours, similarity.shape[1])
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    near = np.take_along_axis(similarity, nearest, axis=1)
    weight = np.exp((near - near.max(axis=1, keepdims=True)) / temperature)
    vote = np.einsum("ik,ikj->ij", weight, y[nearest].astype(float))
    vote /= weight.sum(axis=1, keepdims=True)
    best = similarity.max(axis=1, keepdims=True)
    gap = np.full((rows, themes), -1.0)
    for j in range(themes):
        positive = np.flatnonzero(y[:, j])
        if positive.size:
            gap[:, j] = similarity[:, positive].max(axis=1) - best[:, 0]
    return vote, gap, best[:, 0]


def _rank_order(scores: np.ndarray) -> np.ndarray:
    """Each entry's rank within its row, 0 for the largest (ties broken by column)."""
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(scores.shape[1])[None, :], axis=1)
    return ranks


def pair_features(
    proba: np.ndarray,
    vote: np.ndarray,
    gap: np.ndarray,
    similarity: np.ndarray,
    margin: np.ndarray,
    prior: np.ndarray,
    nearest: np.ndarray,
) -> np.ndarray:
    """One row per (response, theme) pair, response-major, with the :data:`FEATURES`."""
    p = np.clip(proba, 1e-4, 1 - 1e-4)
    logit = np.log(p / (1 - p))
    ranks = _rank_order(proba)
    per_row = lambda values: np.broadcast_to(np.asarray(values)[:, None], proba.shape)  # noqa: E731
    book_first = _rank_order(similarity) == 0
    columns = [
        logit,
        vote,
        gap,
        similarity,
        margin,
        book_first,
        ranks == 0,
        ranks == 1,
        proba - proba.max(axis=1, keepdims=True),
        np.broadcast_to(prior, proba.shape),
        per_row(logit.max(axis=1)),
        per_row(proba.sum(axis=1)),
        per_row(nearest),
        per_row(similarity.max(axis=1)),
    ]
    return np.stack([np.asarray(c, float).ravel() for c in columns], axis=1)


class ThemeCombiner(BaseEstimator):
    """One logistic regression over :func:`pair_features`, shared by every theme.

    C: inverse regularisation (on standardised features).
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, features: np.ndarray, y: np.ndarray) -> ThemeCombiner:
        """Learn from pair features and the 0/1 matrix ``y`` (responses by themes)."""
        target = np.asarray(y).ravel()
        self.scaler_ = StandardScaler().fit(features)
        self.constant_ = None
        if target.min() == target.max():
            self.constant_ = float(target[0])
            return self
        self.model_ = LogisticRegression(C=self.C, max_iter=1000, solver="lbfgs")
        self.model_.fit(self.scaler_.transform(features), target)
        return self

    def predict_proba(self, features: np.ndarray, themes: int) -> np.ndarray:
        """Probabilities as a responses-by-themes matrix."""
        check_is_fitted(self, "scaler_")
        if self.constant_ is not None:
            return np.full((features.shape[0] // max(themes, 1), themes), self.constant_)
        proba = self.model_.predict_proba(self.scaler_.transform(features))[:, 1]
        return proba.reshape(-1, themes)
