"""Whether a response has any theme at all: a row-level model beside the per-theme ones.

Reading "no theme" off the per-theme probabilities (the chance that every theme is absent)
trusts them to be independent and well calibrated, which they are not. Many codings have a
large share of responses with no theme (a quarter of argument key-point matches); others
have almost none. :class:`NoneModel` learns it directly, by logistic regression over a few
:data:`ROW_FEATURES` of each response, trained on cross-validated outputs of the coding
model. With it (``CodingModel(none_rule=True)``; off by default, see there for the figures)
the decision rule codes a response with no theme when this model says it is likely, and
otherwise always gives it at least its likeliest theme.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

ROW_FEATURES = (
    "likeliest theme's probability",
    "second likeliest theme's probability",
    "sum of the themes' probabilities",
    "nearest coded responses' vote for no theme",
    "no-theme classifier logit",
    "highest codebook similarity",
    "similarity of the nearest coded response",
)
MIN_EACH = 3  # coded responses with and without a theme needed to learn the model
NONE_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)


def row_features(
    proba: np.ndarray,
    vote: np.ndarray,
    logit: np.ndarray,
    book_best: np.ndarray,
    nearest: np.ndarray,
) -> np.ndarray:
    """One row per response with the :data:`ROW_FEATURES`, from the themes' probabilities
    (responses by themes) and per-response signals."""
    ordered = np.sort(proba, axis=1) if proba.shape[1] else np.zeros((len(proba), 1))
    second = ordered[:, -2] if ordered.shape[1] > 1 else np.zeros(len(proba))
    columns = [ordered[:, -1], second, proba.sum(axis=1), vote, logit, book_best, nearest]
    return np.column_stack([np.asarray(c, float) for c in columns])


def apply_none(chosen: np.ndarray, proba: np.ndarray, none: np.ndarray, threshold: float):
    """The 0/1 matrix ``chosen`` with rows whose no-theme probability reaches ``threshold``
    emptied, and every other row given at least its likeliest theme."""
    result = chosen.copy()
    if not proba.shape[1]:
        return result
    empty = none >= threshold
    result[empty] = 0
    fill = np.flatnonzero(~empty & (result.sum(axis=1) == 0))
    result[fill, proba[fill].argmax(axis=1)] = 1
    return result


class NoneModel(BaseEstimator):
    """Logistic regression for "this response has no theme" over :func:`row_features`.

    C: inverse regularisation (on standardised features).
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, features: np.ndarray, empty: np.ndarray) -> NoneModel:
        """Learn from row features and 0/1 ``empty`` (1: coded with no theme)."""
        self.scaler_ = StandardScaler().fit(features)
        self.model_ = LogisticRegression(C=self.C, max_iter=1000, solver="lbfgs")
        self.model_.fit(self.scaler_.transform(features), np.asarray(empty, int))
        return self

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """The probability that each response has no theme."""
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self.scaler_.transform(features))[:, 1]


def cross_val_none(features: np.ndarray, empty: np.ndarray, seed: int) -> np.ndarray:
    """Out-of-fold :class:`NoneModel` probabilities (folds keep both kinds in each)."""
    empty = np.asarray(empty, int)
    folds = int(min(5, empty.sum(), len(empty) - empty.sum()))
    result = np.zeros(len(empty))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed + 2)
    for train, test in splitter.split(features, empty):
        result[test] = NoneModel().fit(features[train], empty[train]).predict_proba(features[test])
    return result
