"""A shared non-linear model of every theme at once, beside the per-theme classifiers.

:class:`analysis.coding.CodingModel` learns one logistic regression per theme. A small
multi-label neural network (one hidden layer, shared by every theme) can learn evidence those
cannot: themes that go together share the hidden units, and a response's vector can be read
non-linearly. :class:`SharedMLP` learns it on the response vectors (unit MiniLM vectors,
optionally with a few components of the words), with its weight decay chosen by
cross-validation on the coded rows alone; the coding model gives its probabilities to the
combiner as one more column, or mixes them into the classifiers' probabilities.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold
from sklearn.neural_network import MLPClassifier
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

ALPHAS = (1e-4, 1e-2, 1.0)
HIDDEN = 256
CHOOSE_FOLDS = 3
MIN_ROWS = 20
MAX_EPOCHS = 200
PATIENCE = 8
VALIDATION = 0.15
RATE = 0.003


def _log_loss(y: np.ndarray, proba: np.ndarray) -> float:
    p = np.clip(proba, 1e-4, 1 - 1e-4)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _train(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray | None, alpha: float, seed: int
) -> MLPClassifier:
    """A network learned epoch by epoch on all but ``VALIDATION`` of the rows (seeded), kept
    as it was at the epoch with the lowest log loss on the rows held back (early stopping
    on the multi-label loss: scikit-learn's own reads exact-match accuracy)."""
    network = MLPClassifier(
        hidden_layer_sizes=(HIDDEN,), alpha=alpha, learning_rate_init=RATE, random_state=seed
    )
    order = np.random.default_rng(seed).permutation(len(y))
    held = order[: max(1, int(round(VALIDATION * len(y))))] if len(y) >= 50 else order[:0]
    train = np.setdiff1d(order, held)
    w = None if weights is None else weights[train]
    best, best_state, waited = np.inf, None, 0
    for epoch in range(MAX_EPOCHS):
        if epoch == 0:
            network.partial_fit(x[train], y[train], sample_weight=w, classes=np.arange(y.shape[1]))
        else:
            network.partial_fit(x[train], y[train], sample_weight=w)
        if not held.size:
            continue
        loss = _log_loss(y[held], network.predict_proba(x[held]))
        if loss < best - 1e-6:
            best, waited = loss, 0
            best_state = (
                [c.copy() for c in network.coefs_],
                [b.copy() for b in network.intercepts_],
            )
        else:
            waited += 1
            if waited >= PATIENCE:
                break
    if best_state is not None:
        network.coefs_, network.intercepts_ = best_state
    return network


class SharedMLP(BaseEstimator):
    """One-hidden-layer multi-label network over response vectors.

    alpha: its weight decay; None chooses it from ``ALPHAS`` by cross-validated log loss
        on the rows :meth:`fit` is given (see :func:`choose_alpha`).
    seed: random seed of the network's start and its early-stopping split.
    """

    def __init__(self, alpha: float | None = None, seed: int = 0) -> None:
        self.alpha = alpha
        self.seed = seed

    def fit(
        self, x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> SharedMLP:
        """Learn from dense rows ``x`` and the 0/1 matrix ``y`` (rows by themes)."""
        y = np.asarray(y, dtype=np.int8)
        self.alpha_ = self.alpha if self.alpha is not None else choose_alpha(x, y, self.seed)
        self.width_ = y.shape[1]
        self.network_ = None
        if len(y) < 2 or y.sum() == 0:
            self.constant_ = (y.sum(axis=0) + 1) / (len(y) + 2)
            return self
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.network_ = _train(x, y, sample_weight, self.alpha_, self.seed)
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Each theme's probability for dense rows ``x`` (rows by themes)."""
        check_is_fitted(self, "width_")
        if self.network_ is None:
            return np.broadcast_to(self.constant_, (x.shape[0], self.width_)).copy()
        with threadpool_limits(1):
            proba = self.network_.predict_proba(x)
        return np.asarray(proba, float).reshape(x.shape[0], self.width_)


def choose_alpha(x: np.ndarray, y: np.ndarray, seed: int = 0) -> float:
    """The weight decay from ``ALPHAS`` with the lowest cross-validated log loss on the
    rows given (``CHOOSE_FOLDS`` folds; the middle one with fewer than ``MIN_ROWS``)."""
    if len(y) < MIN_ROWS:
        return ALPHAS[len(ALPHAS) // 2]
    splitter = KFold(CHOOSE_FOLDS, shuffle=True, random_state=seed + 2)
    best = (np.inf, ALPHAS[0])
    for alpha in ALPHAS:
        proba = np.zeros(y.shape)
        for train, test in splitter.split(x):
            model = SharedMLP(alpha=alpha, seed=seed).fit(x[train], y[train])
            proba[test] = model.predict_proba(x[test])
        loss = _log_loss(y, proba)
        if loss < best[0] - 1e-12:
            best = (loss, alpha)
    return best[1]
