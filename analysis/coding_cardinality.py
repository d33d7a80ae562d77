"""How many themes an answer gets: a decision rule that predicts each answer's number of
themes (its cardinality) from the shape of its theme probabilities, then takes that many of
its likeliest themes.

The thresholds rule asks each theme alone whether it passes; the expected-F1 rule reads the
probabilities as independent. Answers of multi-label feedback have one theme mostly, and
more the longer they are; a small model of the count, learned on the coded rows'
cross-validated probabilities, can read that shape (how far the second and third likeliest
themes stand from the first, how much probability there is in all) directly.

>>> model = CountModel().fit(count_features(proba), y.sum(axis=1))
>>> chosen = top_k_matrix(proba, model.predict(count_features(proba)))
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

MAX_COUNT = 4
"""Counts above this are learned and predicted as this many themes."""
TOP = 4
"""How many of an answer's likeliest themes' probabilities the count model reads."""


def count_features(proba: np.ndarray) -> np.ndarray:
    """Per row: the log-odds of its ``TOP`` likeliest themes (0.0001 where there are fewer
    themes), the gaps between consecutive ones, and the sum of all its probabilities (the
    expected number of themes, read as independent)."""
    rows, themes = proba.shape
    ordered = np.full((rows, TOP), 1e-4)
    if themes:
        top = -np.sort(-proba, axis=1)[:, :TOP]
        ordered[:, : top.shape[1]] = top
    p = np.clip(ordered, 1e-4, 1 - 1e-4)
    logit = np.log(p / (1 - p))
    gaps = logit[:, :-1] - logit[:, 1:]
    total = proba.sum(axis=1, keepdims=True) if themes else np.zeros((rows, 1))
    return np.hstack([logit, gaps, total])


def top_k_matrix(proba: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each row's ``counts[i]`` likeliest themes as a 0/1 matrix (ties by column order)."""
    chosen = np.zeros(proba.shape, dtype=np.int8)
    if not proba.shape[1]:
        return chosen
    order = np.argsort(-proba, axis=1, kind="stable")
    counts = np.clip(np.asarray(counts, int), 0, proba.shape[1])
    for i, count in enumerate(counts):
        chosen[i, order[i, :count]] = 1
    return chosen


class CountModel(BaseEstimator):
    """A multinomial logistic regression of an answer's number of themes (0 to
    :data:`MAX_COUNT`) on :func:`count_features`.

    C: inverse regularisation (on standardised features).
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, features: np.ndarray, counts: np.ndarray) -> CountModel:
        """Learn from rows' features and their numbers of themes."""
        target = np.minimum(np.asarray(counts, int), MAX_COUNT)
        self.scaler_ = StandardScaler().fit(features)
        self.constant_ = None
        if target.min() == target.max():
            self.constant_ = int(target[0])
            return self
        self.model_ = LogisticRegression(C=self.C, max_iter=1000)
        self.model_.fit(self.scaler_.transform(features), target)
        return self

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Each row's chance of 0, 1, ..., :data:`MAX_COUNT` themes."""
        check_is_fitted(self, "scaler_")
        out = np.zeros((features.shape[0], MAX_COUNT + 1))
        if self.constant_ is not None:
            out[:, self.constant_] = 1.0
            return out
        out[:, self.model_.classes_] = self.model_.predict_proba(self.scaler_.transform(features))
        return out

    def predict(self, features: np.ndarray) -> np.ndarray:
        """The likeliest number of themes of each row."""
        check_is_fitted(self, "scaler_")
        if self.constant_ is not None:
            return np.full(features.shape[0], self.constant_, dtype=int)
        return self.model_.predict(self.scaler_.transform(features)).astype(int)


def answer_length(texts) -> np.ndarray:
    """Each answer's length as the log of one plus its number of words (longer answers of
    multi-label feedback make more points)."""
    return np.log1p(np.array([len((text or "").split()) for text in texts], float))


def expected_count_matrix(proba: np.ndarray, count_proba: np.ndarray) -> np.ndarray:
    """Per row, its likeliest themes in the number that maximises the expected sample F1
    as :func:`analysis.coding.expected_f1_matrix` estimates it, with the count model's
    expected number of themes in place of the probabilities' sum (and its chance of none
    for choosing none)."""
    chosen = np.zeros(proba.shape, dtype=np.int8)
    if not proba.shape[1]:
        return chosen
    order = np.argsort(-proba, axis=1, kind="stable")
    ordered = np.take_along_axis(proba, order, axis=1)
    expected_count = count_proba @ np.arange(count_proba.shape[1])
    k = np.arange(1, proba.shape[1] + 1)[None, :]
    expected = 2 * np.cumsum(ordered, axis=1) / (k + expected_count[:, None])
    best = expected.argmax(axis=1)
    count = np.where(count_proba[:, 0] > expected.max(axis=1), 0, best + 1)
    for i, c in enumerate(count):
        chosen[i, order[i, :c]] = 1
    return chosen
