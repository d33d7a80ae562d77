"""Code responses against a codebook: learn from the responses staff coded so far, and code
the rest with a confidence for each theme.

>>> model = CodingModel(engine="fast").fit(texts, labels, codebook)
>>> model.coded_[i]          # ("T1", "T3") for an uncoded row, the human's codes otherwise
>>> model.predict_proba(["the buses are late"])

``labels`` holds one entry per text: ``None`` for a response not coded yet, otherwise the
set of theme ids a person gave it (an empty set means "coded, no theme applies").

The model is one logistic regression per theme over :class:`analysis.features.CodingFeatures`.
What the codebook says (names, descriptions, keywords and examples) is added as extra
training rows, so a theme with few coded responses still has something to learn from. With
no coded rows at all (a cold start) responses are coded by similarity to the codebook.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .codebook import Codebook
from .errors import InputError
from .features import CodingFeatures

Labels = frozenset[str]

# Decision rule: every theme whose probability reaches its threshold; and, when none does, the
# most likely theme if it reaches ``top``. One threshold for all themes (``add``) and ``top``
# are chosen by cross-validation on the coded rows; then each theme with at least
# ``MIN_POSITIVES_TO_TUNE`` coded examples gets its own threshold from ``THEME_GRID``, chosen
# the same way (a few passes of coordinate ascent on sample F1).
ADD_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.45, 0.55)
TOP_GRID = (0.0, 0.1, 0.2, 0.3, 1.01)
THEME_GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)
MIN_ROWS_TO_TUNE = 20
MIN_POSITIVES_TO_TUNE = 3
THEME_PASSES = 2


def sample_f1(truth: Sequence[Labels], predicted: Sequence[Labels]) -> np.ndarray:
    """Per-response F1 between two sets of themes (1.0 when both are empty)."""
    scores = np.empty(len(truth))
    for i, (a, b) in enumerate(zip(truth, predicted, strict=True)):
        if not a and not b:
            scores[i] = 1.0
        else:
            scores[i] = 2 * len(a & b) / (len(a) + len(b))
    return scores


def multi_hot_f1(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """:func:`sample_f1` for 0/1 matrices (rows are responses, columns themes)."""
    both = (truth & predicted).sum(axis=1)
    sizes = truth.sum(axis=1) + predicted.sum(axis=1)
    return np.where(sizes == 0, 1.0, 2 * both / np.maximum(sizes, 1))


def decide_matrix(proba: np.ndarray, add, top: float) -> np.ndarray:
    """The decision rule as a 0/1 matrix; ``add`` is one threshold or one per theme."""
    chosen = (proba >= np.asarray(add)).astype(np.int8)
    if proba.shape[1]:
        empty = chosen.sum(axis=1) == 0
        best = proba.argmax(axis=1)
        fill = empty & (proba[np.arange(len(proba)), best] >= top)
        chosen[np.flatnonzero(fill), best[fill]] = 1
    return chosen


def decide(proba: np.ndarray, ids: Sequence[str], add, top: float) -> list[Labels]:
    """Themes for each row under the decision rule (see ``ADD_GRID``); ``add`` is one
    threshold or one per theme."""
    matrix = decide_matrix(proba, add, top)
    return [frozenset(ids[j] for j in np.flatnonzero(row)) for row in matrix]


def _multi_hot(labels: Sequence[Labels], ids: Sequence[str]) -> np.ndarray:
    index = {theme: j for j, theme in enumerate(ids)}
    matrix = np.zeros((len(labels), len(ids)), dtype=np.int8)
    for i, themes in enumerate(labels):
        for theme in themes:
            matrix[i, index[theme]] = 1
    return matrix


class CodingModel(BaseEstimator):
    """Multi-label coding of responses against a codebook.

    engine: "auto", "fast" or "semantic" (features; semantic adds MiniLM vectors).
    C: inverse regularisation of each theme's logistic regression.
    codebook_weight: weight of the rows made from the codebook's own words and examples.
    embedding_weight: share of the semantic features given to MiniLM vectors over words.
    similarity_weight: scale of the two columns each theme's classifier gets on top of the
        features: the response's similarity to that theme's codebook entry, and how far it
        exceeds its similarity to the closest other theme.
    question: the question's wording (its words are left out of the word features).
    seed: random seed for the cross-validation that tunes the decision rule.
    """

    def __init__(
        self,
        engine: str = "auto",
        C: float = 16.0,
        codebook_weight: float = 2.0,
        similarity_weight: float = 3.0,
        embedding_weight: float = 0.8,
        question: str | None = None,
        seed: int = 0,
    ) -> None:
        self.engine = engine
        self.C = C
        self.codebook_weight = codebook_weight
        self.similarity_weight = similarity_weight
        self.embedding_weight = embedding_weight
        self.question = question
        self.seed = seed

    # --- fitting -------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Labels | None],
        codebook: Codebook,
        features: CodingFeatures | None = None,
    ) -> CodingModel:
        """Learn from the coded rows and the codebook; code every row (``coded_``)."""
        texts = [t or "" for t in texts]
        if len(labels) != len(texts):
            raise InputError("labels must have one entry per text")
        known = set(codebook.ids)
        for themes in labels:
            unknown = set(themes or ()) - known
            if unknown:
                raise InputError(f"unknown theme id '{sorted(unknown)[0]}' (not in the codebook)")
        self.codebook_ = codebook
        self.theme_ids_ = codebook.ids
        self.features_ = features or CodingFeatures(
            engine=self.engine, embedding_weight=self.embedding_weight, question=self.question
        ).fit(texts + [c.text() for c in codebook.codes])
        self.vectors_ = self.features_.transform(texts)
        self.coded_rows_ = np.array([i for i, t in enumerate(labels) if t is not None], int)
        coded_labels = [frozenset(labels[i]) for i in self.coded_rows_]
        self.cold_start_ = len(self.coded_rows_) == 0
        self._codebook_rows()
        self.add_threshold_, self.top_threshold_ = 0.5, 0.0
        self.theme_thresholds_ = np.full(len(self.theme_ids_), 0.5)
        if not self.cold_start_:
            x = self.vectors_[self.coded_rows_]
            y = _multi_hot(coded_labels, self.theme_ids_)
            if len(self.coded_rows_) >= MIN_ROWS_TO_TUNE:
                proba = self._cross_val_proba(x, y)
                self.add_threshold_, self.top_threshold_ = self._tune(proba, y)
                self.theme_thresholds_ = self._tune_themes(proba, y)
            else:
                self.theme_thresholds_[:] = self.add_threshold_
            self.estimators_ = self._fit_estimators(x, y)
        proba = self.predict_proba_vectors(self.vectors_)
        self.proba_ = proba
        predicted = self._decide(proba)
        self.coded_ = [
            frozenset(labels[i]) if labels[i] is not None else predicted[i]
            for i in range(len(texts))
        ]
        self.source_ = ["human" if labels[i] is not None else "model" for i in range(len(texts))]
        self.confidence_ = self.set_confidence(proba, predicted)
        return self

    def _codebook_rows(self) -> None:
        """Training rows made from the codebook: each code's own text and its examples."""
        texts, owners = [], []
        for j, code in enumerate(self.codebook_.codes):
            for text in (code.text(), *code.examples):
                texts.append(text)
                owners.append(j)
        self.codebook_vectors_ = self.features_.transform(texts)
        self.codebook_owner_ = np.array(owners, int)
        prototypes = np.zeros((len(self.theme_ids_), self.codebook_vectors_.shape[1]))
        for j in range(len(self.theme_ids_)):
            rows = self.codebook_vectors_[self.codebook_owner_ == j]
            prototypes[j] = np.asarray(rows.mean(axis=0)).ravel()
        self.prototypes_ = normalize(prototypes)

    def _fit_estimators(self, x: sp.csr_matrix, y: np.ndarray) -> list:
        """One classifier per theme (None where a theme has no positive or no negative)."""
        book_y = np.eye(len(self.theme_ids_), dtype=np.int8)[self.codebook_owner_]
        x_all = sp.vstack([x, self.codebook_vectors_]).tocsr()
        similarity = self._similarity_columns(x_all)
        y_all = np.vstack([y, book_y])
        weights = np.concatenate(
            [np.ones(x.shape[0]), np.full(self.codebook_vectors_.shape[0], self.codebook_weight)]
        )
        estimators = []
        with threadpool_limits(1):
            for j in range(y_all.shape[1]):
                column = y_all[:, j]
                if column.min() == column.max():
                    estimators.append(None)
                    continue
                model = LogisticRegression(C=self.C, max_iter=1000, solver="liblinear")
                model.fit(self._with(x_all, similarity, j), column, sample_weight=weights)
                estimators.append(model)
        return estimators

    def _cross_val_proba(self, x: sp.csr_matrix, y: np.ndarray, folds: int = 5) -> np.ndarray:
        proba = np.zeros(y.shape, dtype=float)
        splitter = KFold(min(folds, len(y)), shuffle=True, random_state=self.seed)
        for train, test in splitter.split(x):
            estimators = self._fit_estimators(x[train], y[train])
            proba[test] = self._proba(x[test], estimators)
        return proba

    def _tune(self, proba: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """One threshold for every theme, and ``top``: best cross-validated sample F1."""
        best = (-1.0, 0.5, 0.0)
        for add in ADD_GRID:
            for top in TOP_GRID:
                score = multi_hot_f1(y, decide_matrix(proba, add, top)).mean()
                if score > best[0] + 1e-9:
                    best = (score, add, top)
        return best[1], best[2]

    def _tune_themes(self, proba: np.ndarray, y: np.ndarray) -> np.ndarray:
        """A threshold per theme, starting from the common one: each theme with enough coded
        examples takes the threshold that most raises cross-validated sample F1 (ties keep
        the current one), in a few passes over the themes."""
        thresholds = np.full(y.shape[1], self.add_threshold_)
        top = self.top_threshold_
        tunable = np.flatnonzero(y.sum(axis=0) >= MIN_POSITIVES_TO_TUNE)
        best = multi_hot_f1(y, decide_matrix(proba, thresholds, top)).mean()
        for _ in range(THEME_PASSES):
            changed = False
            for j in tunable:
                keep = thresholds[j]
                for value in THEME_GRID:
                    thresholds[j] = value
                    score = multi_hot_f1(y, decide_matrix(proba, thresholds, top)).mean()
                    if score > best + 1e-9:
                        best, keep, changed = score, value, True
                thresholds[j] = keep
            if not changed:
                break
        return thresholds

    # --- prediction ----------------------------------------------------------------------

    def _similarity_proba(self, x: sp.csr_matrix) -> np.ndarray:
        """Cold start: similarity to each code as a soft score in [0, 1]."""
        similarity = np.asarray(x @ self.prototypes_.T)
        scaled = np.exp((similarity - similarity.max(axis=1, keepdims=True)) / 0.05)
        return scaled / scaled.sum(axis=1, keepdims=True)

    def _similarity_columns(self, x: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Each row's similarity to every code, and its margin over the best other code."""
        similarity = np.asarray(x @ self.prototypes_.T)
        if similarity.shape[1] < 2:
            return similarity, similarity
        ordered = np.sort(similarity, axis=1)
        best, second = ordered[:, -1:], ordered[:, -2:-1]
        best_other = np.where(similarity >= best, second, best)
        return similarity, similarity - best_other

    def _with(self, x: sp.csr_matrix, similarity: tuple[np.ndarray, np.ndarray], j: int):
        extra = np.column_stack([similarity[0][:, j], similarity[1][:, j]])
        return sp.hstack([x, sp.csr_matrix(self.similarity_weight * extra)]).tocsr()

    def _proba(self, x: sp.csr_matrix, estimators: list) -> np.ndarray:
        fallback = None
        similarity = self._similarity_columns(x)
        columns = []
        for j, model in enumerate(estimators):
            if model is None:
                if fallback is None:
                    fallback = self._similarity_proba(x)
                columns.append(fallback[:, j] * 0.5)
            else:
                columns.append(model.predict_proba(self._with(x, similarity, j))[:, 1])
        return np.column_stack(columns) if columns else np.zeros((x.shape[0], 0))

    def predict_proba_vectors(self, x: sp.csr_matrix) -> np.ndarray:
        """Probability of each theme for rows already turned into features."""
        check_is_fitted(self, "theme_ids_")
        if self.cold_start_:
            return self._similarity_proba(x)
        with threadpool_limits(1):
            return self._proba(x, self.estimators_)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each theme (columns in ``theme_ids_`` order) for new texts."""
        return self.predict_proba_vectors(self.features_.transform([t or "" for t in texts]))

    def _decide(self, proba: np.ndarray) -> list[Labels]:
        if self.cold_start_:  # no threshold can be learned: the closest code, always
            return decide(proba, self.theme_ids_, add=1.01, top=0.0)
        return decide(proba, self.theme_ids_, self.theme_thresholds_, self.top_threshold_)

    def predict(self, texts: Sequence[str]) -> list[Labels]:
        """Themes for new texts."""
        return self._decide(self.predict_proba(texts))

    def set_confidence(self, proba: np.ndarray, predicted: Sequence[Labels]) -> np.ndarray:
        """How sure the model is of each row's whole coding: the product, over themes, of the
        probability of the decision taken on that theme."""
        index = {theme: j for j, theme in enumerate(self.theme_ids_)}
        chosen = np.zeros_like(proba, dtype=bool)
        for i, themes in enumerate(predicted):
            for theme in themes:
                chosen[i, index[theme]] = True
        if self.cold_start_:
            return np.where(chosen, proba, 1.0).min(axis=1) if proba.size else np.ones(0)
        agree = np.where(chosen, proba, 1 - proba)
        return np.exp(np.log(np.clip(agree, 1e-6, 1.0)).sum(axis=1))
