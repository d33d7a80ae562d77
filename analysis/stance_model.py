"""Stance learned from coding: for, against or mixed, from the responses staff coded.

Stance cannot be read from the words alone (the same argument serves either side of a
motion), so it is learned per question from a coded sample, or taken from the paired
agreement answer where the survey has one (:mod:`analysis.stance`).

>>> model = StanceModel().fit(texts, ["for", None, "against", ...])
>>> model.stance_[1], model.confidence_[1]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from .errors import InputError
from .features import CodingFeatures

STANCES = ("for", "against", "mixed")


def parse_stance(value: str | None) -> str | None:
    """A coded stance cell: 'for', 'against', 'mixed', or None when blank."""
    text = (value or "").strip().lower()
    if not text:
        return None
    if text not in STANCES:
        raise InputError(f"unknown stance '{value[:30]}' (use for, against or mixed)")
    return text


class StanceModel(BaseEstimator):
    """Logistic regression over :class:`CodingFeatures`, trained on the coded stances.

    engine: "auto", "fast" or "semantic". C: inverse regularisation.
    question: the question's wording (its words are left out of the word features).
    """

    def __init__(
        self,
        engine: str = "auto",
        C: float = 16.0,
        embedding_weight: float = 0.8,
        question: str | None = None,
        seed: int = 0,
    ) -> None:
        self.engine = engine
        self.C = C
        self.embedding_weight = embedding_weight
        self.question = question
        self.seed = seed

    def fit(
        self,
        texts: Sequence[str],
        stances: Sequence[str | None],
        features: CodingFeatures | None = None,
    ) -> StanceModel:
        """Learn from the coded rows (at least two stances needed); fill in the rest."""
        texts = [t or "" for t in texts]
        if len(stances) != len(texts):
            raise InputError("stances must have one entry per text")
        coded = [i for i, s in enumerate(stances) if s is not None]
        self.classes_ = sorted({stances[i] for i in coded})
        if len(self.classes_) < 2:
            raise InputError("stance needs coded responses of at least two kinds (for, against)")
        self.features_ = features or CodingFeatures(
            engine=self.engine, embedding_weight=self.embedding_weight, question=self.question
        ).fit(texts)
        self.vectors_ = self.features_.transform(texts)
        self.model_ = self._model().fit(self.vectors_[coded], [stances[i] for i in coded])
        proba = self.predict_proba_vectors(self.vectors_)
        guessed = [self.model_.classes_[j] for j in proba.argmax(axis=1)]
        self.stance_ = [
            given if given is not None else guess
            for given, guess in zip(stances, guessed, strict=True)
        ]
        self.source_ = ["human" if s is not None else "model" for s in stances]
        self.confidence_ = np.where([s is not None for s in stances], 1.0, proba.max(axis=1))
        self.proba_ = proba
        return self

    def _model(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced")

    def predict_proba_vectors(self, x) -> np.ndarray:
        """Class probabilities (columns in ``model_.classes_`` order) for featurised rows."""
        with threadpool_limits(1):
            return self.model_.predict_proba(x)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Stance of new texts."""
        proba = self.predict_proba_vectors(self.features_.transform(list(texts)))
        return [self.model_.classes_[j] for j in proba.argmax(axis=1)]

    def cross_val_predict(self, folds: int = 5) -> tuple[np.ndarray, list[str]]:
        """Held-out predictions for the coded rows: (row indices, predicted stances)."""
        coded = np.array([i for i, s in enumerate(self.source_) if s == "human"], int)
        truth = np.array([self.stance_[i] for i in coded])
        smallest = min(np.unique(truth, return_counts=True)[1])
        splits = min(folds, int(smallest))
        if splits < 2:
            return coded[:0], []
        predicted = np.empty(len(coded), dtype=object)
        splitter = StratifiedKFold(splits, shuffle=True, random_state=self.seed)
        for train, test in splitter.split(coded, truth):
            model = self._model()
            with threadpool_limits(1):
                model.fit(self.vectors_[coded[train]], truth[train])
                predicted[test] = model.predict(self.vectors_[coded[test]])
        return coded, list(predicted)
