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
no coded rows at all (a cold start) responses are coded by similarity to the codebook (with the
semantic engine, its descriptions read sentence by sentence; every theme within the engine's
margin of the closest, :data:`COLD_MARGIN` or :data:`COLD_MARGIN_FAST`), and a response the
codebook plainly does not fit (:data:`COLD_FIT_RATIO`) is coded "no theme", below the
confidence floor: the model abstains.
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
from .coding_cardinality import (
    MAX_COUNT,
    CountModel,
    answer_length,
    count_features,
    expected_count_matrix,
)
from .coding_clauses import FEATURES as CLAUSE_FEATURES
from .coding_clauses import (
    clause_signals,
    clause_texts,
    gather,
    point_starts,
)
from .coding_combine import FEATURES as COMBINER_FEATURES
from .coding_combine import ThemeCombiner, neighbour_signals, pair_features
from .coding_floor import CONFIDENCE_FLOOR
from .coding_propagate import nearest_mean, propagation_graph, spread, twins, twins_mean
from .coding_stance import STANCE_THEMES, RowSides, agreement, reweigh, theme_sides
from .errors import InputError
from .features import CodingFeatures, dense

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
MIN_ROWS_TO_CHOOSE = 100
EXPECTED_SCALES = (0.5, 0.75, 1.0, 1.5, 2.0)
EXPECTED_SHIFTS = (-1.0, -0.5, 0.0, 0.5, 1.0)
FEATURE_NAMES = COMBINER_FEATURES
# Cold start (nothing coded): a response whose closest theme is less than this share as similar
# to it as the response is to the survey's answers in general (the normalised mean of every
# response's features) is one the codebook plainly does not fit: it is coded "no theme" with a
# confidence under the default floor (:data:`COLD_MISFIT_CONFIDENCE`), so it counts as "not
# coded: the model is unsure" (BENCHMARKS.md, "code18"): on the ArgKP even motions and the NHS
# tuning part it leaves 0.0 % and 0.75 % of answers so, against 91 % with another motion's codebook.
COLD_FIT_RATIO = 0.5
COLD_MISFIT_CONFIDENCE = CONFIDENCE_FLOOR
"""A misfit's confidence is this times its ratio over :data:`COLD_FIT_RATIO` (under it)."""
COLD_TEMPERATURE = 0.05
"""Cold start: the softmax temperature that turns codebook similarities into probabilities."""
COLD_MARGIN = 0.02
"""Cold start, semantic engine: themes within this cosine of the closest are coded too
(BENCHMARKS.md "cold30": with descriptions read by sentences, sample F1 with nothing coded
0.249 -> 0.325 on v6 with the QDC framework's definitions, 0.537 -> 0.548 on ArgKP's train
motions; held out, 0.433 -> 0.447 on NHS Trust C and 0.442 -> 0.450 on 7 fresh ArgKP motions)."""
COLD_MARGIN_FAST = 0.02
"""Cold start, fast engine: the same, measured on its own (BENCHMARKS.md "cold30b": descriptions
whole, a row as close to every theme left with its one theme; sample F1 with nothing coded
0.227 -> 0.241 on v6, 0.221 -> 0.256 on ArgKP's train motions; held out, 0.115 -> 0.120 on NHS
Trust C and 0.240 -> 0.254 on 7 fresh ArgKP motions)."""
DESCRIBE = ("whole", "sentences")
COLD_DESCRIBE = ("auto", *DESCRIBE)
COLD_FIT = ("theme", "row")


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


def recalibrate(proba: np.ndarray, scale: float, shift: float) -> np.ndarray:
    """Probabilities with their log-odds scaled and shifted."""
    p = np.clip(proba, 1e-6, 1 - 1e-6)
    return 1 / (1 + np.exp(-(scale * np.log(p / (1 - p)) + shift)))


def expected_f1_matrix(proba: np.ndarray) -> np.ndarray:
    """Per row, the likeliest themes in the number (0 or more) that maximises the expected
    sample F1, reading the probabilities as independent: with the k likeliest chosen it is
    about 2 * (their probabilities' sum) / (k + the sum of all), and for none the chance
    that no theme applies."""
    chosen = np.zeros(proba.shape, dtype=np.int8)
    if not proba.shape[1]:
        return chosen
    order = np.argsort(-proba, axis=1, kind="stable")
    ordered = np.take_along_axis(proba, order, axis=1)
    total = ordered.sum(axis=1, keepdims=True)
    k = np.arange(1, proba.shape[1] + 1)[None, :]
    expected = 2 * np.cumsum(ordered, axis=1) / (k + total)
    none = np.prod(1 - proba, axis=1)
    best = expected.argmax(axis=1)
    count = np.where(none > expected.max(axis=1), 0, best + 1)
    for i, c in enumerate(count):
        chosen[i, order[i, :c]] = 1
    return chosen


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
    combine: join the classifiers' probabilities with the nearest coded responses, the
        codebook similarity and each theme's rank in the response, by a
        :class:`analysis.coding_combine.ThemeCombiner` learned on cross-validated outputs
        (from ``MIN_ROWS_TO_TUNE`` coded rows on).
    decision: "thresholds" (tuned thresholds), "expected_f1" (per response, the likeliest
        themes in the number that maximises the expected sample F1) or "auto" (the better of
        the two by cross-validation; see :meth:`_choose_rule`).
    stance_themes: how the themes' sides are used when :meth:`fit` is given each response's
        side (``sides``, when the survey codes stance too; without them nothing changes):
        "combine" (the default), the chance that the response's side agrees with the
        theme's (learned from the rows coded with both, :mod:`analysis.coding_stance`) is one
        more column for the combiner; "reweight", the combined probabilities are multiplied
        by twice that chance, capped at 1, before the decision rule (themes of the other side
        lose, none gain); or "off". Measured on ArgKP key points and stance coded together
        through the command line (``bench.grader``), at 20 % coded: even motions (tuned on)
        0.594 to 0.603, 0.579 to 0.611 and 0.586 to 0.610 (seeds 0, 1, 2), odd (held aside)
        0.583 to 0.595 and 0.582 to 0.599 (seeds 0, 1); stance 0.3 to 0.7 points lower on
        the even motions, 0.1 to 0.3 higher on the odd (BENCHMARKS.md, ``coding-kpstance``).
    stance_prior: the Beta prior's weight on each side when a theme's side is learned.
    question: the question's wording (its words are left out of the word features).
    seed: random seed for the cross-validation that tunes the decision rule.
    combiner_c: the combiner's inverse regularisation (:class:`ThemeCombiner`'s ``C``).
    describe: how a theme's description is read (:meth:`analysis.codebook.Code.rows`):
        "whole" (one text with the name) or "sentences" (each sentence a row of its own).
    cold_describe: how it is read at a cold start (no coded row), where the codebook is all
        the model has: "whole", "sentences", or "auto" ("sentences" with the semantic engine,
        where it was measured, else as ``describe``).
    cold_margin: at a cold start, every theme whose similarity to the response is within this
        much (cosine) of the closest theme's is coded too (0: the closest theme alone; None:
        :data:`COLD_MARGIN` with the semantic engine, :data:`COLD_MARGIN_FAST` with the fast
        one). A row as close to every theme (no word shared with the codebook, fast engine)
        keeps its one theme.
    cold_fit: what the cold-start misfit rule (:meth:`cold_fit_ratio`) compares a response
        with: "theme", each theme's prototype (the mean of its codebook rows), or "row", each
        codebook row on its own (its name, a description sentence, an example), so a response
        close to one thing a long description says is not taken for a misfit. The same for a
        codebook of names alone. "theme" by default: "row" also lets a misfit near one bare
        name through (BENCHMARKS.md "cold30").
    clauses: give the combiner two more columns read from each answer's points (its
        sentences and clauses, :mod:`analysis.coding_clauses`): per theme, the best point's
        nearest-coded-point vote and how close the closest coded point carrying the theme
        is. Semantic engine only; off by default (BENCHMARKS.md, "mlclause29").
    length: give the combiner one more column, the answer's length (the log of one plus its
        words: longer answers make more points). Off by default (BENCHMARKS.md, "ml30").
    cardinality: with ``decision="auto"``, also try the count rule
        (:mod:`analysis.coding_cardinality`: each answer's number of themes predicted from
        its probabilities' shape, its likeliest themes taken in the number with the best
        expected F1) and keep it where it scores better on the coded rows. On by default
        since ml30 (v6 at 20 % coded 0.6805 to 0.7004, seeds 0-2; held-out NHS Trust C and
        fresh ArgKP motions level; BENCHMARKS.md, "ml30"); False codes as before.
    propagate: give the combiner one more column, the coded rows' themes spread over a graph
        of every answer, coded or not (:mod:`analysis.coding_propagate`, label spreading with
        this alpha; 0: off). 0.8 by default since code34 (BENCHMARKS.md, "code34").
    """

    def __init__(
        self,
        engine: str = "auto",
        C: float = 16.0,
        codebook_weight: float = 2.0,
        similarity_weight: float = 3.0,
        embedding_weight: float = 0.8,
        combine: bool = True,
        decision: str = "auto",
        stance_themes: str = "combine",
        stance_prior: float = 1.0,
        question: str | None = None,
        seed: int = 0,
        combiner_c: float = 1.0,
        describe: str = "whole",
        clauses: bool = False,
        cold_describe: str = "auto",
        cold_margin: float | None = None,
        cold_fit: str = "theme",
        length: bool = False,
        cardinality: bool = True,
        propagate: float = 0.8,
    ) -> None:
        self.engine = engine
        self.C = C
        self.codebook_weight = codebook_weight
        self.similarity_weight = similarity_weight
        self.embedding_weight = embedding_weight
        self.combine = combine
        self.decision = decision
        self.stance_themes = stance_themes
        self.stance_prior = stance_prior
        self.question = question
        self.seed = seed
        self.combiner_c = combiner_c
        self.describe = describe
        self.clauses = clauses
        self.cold_describe = cold_describe
        self.cold_margin = cold_margin
        self.cold_fit = cold_fit
        self.length = length
        self.cardinality = cardinality
        self.propagate = propagate

    # --- fitting -------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Labels | None],
        codebook: Codebook,
        features: CodingFeatures | None = None,
        sides: RowSides | None = None,
    ) -> CodingModel:
        """Learn from the coded rows and the codebook; code every row (``coded_``).
        ``sides``: each response's side, read as ``stance_themes`` says (None: no stance)."""
        texts = [t or "" for t in texts]
        if len(labels) != len(texts):
            raise InputError("labels must have one entry per text")
        if self.stance_themes not in STANCE_THEMES:
            raise InputError(
                f"unknown stance_themes '{self.stance_themes}' (use {', '.join(STANCE_THEMES)})"
            )
        if sides is not None and len(sides) != len(texts):
            raise InputError("sides must have one entry per text")
        self.sides_ = sides if self.stance_themes != "off" else None
        if self.sides_ is not None:  # see RowSides: coded rows are read by their guess
            themed = np.array([t is not None for t in labels])
            self.row_side_ = np.where(themed, sides.guess, sides.side)
        known = set(codebook.ids)
        for themes in labels:
            unknown = set(themes or ()) - known
            if unknown:
                raise InputError(f"unknown theme id '{sorted(unknown)[0]}' (not in the codebook)")
        self.codebook_ = codebook
        self.theme_ids_ = codebook.ids
        self.features_ = features or CodingFeatures(
            engine=self.engine,
            embedding_weight=self.embedding_weight,
            question=self.question,
        ).fit(texts + [c.text() for c in codebook.codes])
        self.vectors_ = self._transform(texts)
        self.propagation_graph_ = None  # made on first use (:meth:`_propagated`)
        self.propagation_twins_ = None  # likewise: which fitted rows are identical
        self.row_length_ = answer_length(texts)
        self.centroid_ = normalize(np.asarray(self.vectors_.mean(axis=0)).reshape(1, -1))
        self._clause_points(texts)
        self.coded_rows_ = np.array([i for i, t in enumerate(labels) if t is not None], int)
        self.pool_rows_ = np.array([i for i, t in enumerate(labels) if t is None], int)
        coded_labels = [frozenset(labels[i]) for i in self.coded_rows_]
        self.cold_start_ = len(self.coded_rows_) == 0
        self._codebook_rows()
        proba = self._learn(coded_labels)
        self.proba_ = proba
        self.fit_view_ = None
        if (
            self.cold_start_
            and getattr(self.features_, "coding_encoder_", None) is not None
            and len(texts)
        ):
            self.fit_view_ = self._plain_view(texts)
        self.fit_ratio_ = self.cold_fit_ratio(texts, self.vectors_)
        self.misfit_ = (
            self.fit_ratio_ < COLD_FIT_RATIO if len(self.fit_ratio_) else np.zeros(0, bool)
        )
        predicted = self._decide(proba, self.fit_ratio_)
        self.coded_ = [
            frozenset(labels[i]) if labels[i] is not None else predicted[i]
            for i in range(len(texts))
        ]
        self.source_ = ["human" if labels[i] is not None else "model" for i in range(len(texts))]
        self.confidence_ = self.set_confidence(proba, predicted, self.fit_ratio_)
        return self

    def cold_fit_ratio(self, texts: Sequence[str], x: sp.csr_matrix | None = None) -> np.ndarray:
        """How well the codebook fits each of ``texts``: its cosine to the closest theme over
        its cosine to the mean of the fitted responses (0 for a row with neither).
        Only a cold start with the semantic engine reads it (:data:`COLD_FIT_RATIO`, measured
        on MiniLM features only; on the fast engine's word features an answer's words are
        nearer the responses' mean than any theme's, and it abstained on nearly every
        answer); an empty array otherwise. The features are always plain MiniLM's, also where
        a coding encoder codes (it was measured there: the fine-tuned encoder brings every
        answer nearer some key point, and ``x``, the coding features, is read only when they
        are MiniLM's)."""
        if not self.cold_start_ or getattr(self.features_, "engine_", "semantic") != "semantic":
            return np.zeros(0)
        reference, centroid = self._fit_view()
        if getattr(self.features_, "coding_encoder_", None) is not None or x is None:
            x = self.features_.transform_plain([t or "" for t in texts])
        themes = len(self.theme_ids_)
        best = dense(x @ reference.T).max(axis=1) if themes else np.zeros(x.shape[0])
        general = np.asarray(x @ centroid.T).ravel()
        return np.where(general > 1e-9, best / np.maximum(general, 1e-9), 0.0)

    def _fit_view(self) -> tuple[np.ndarray | sp.csr_matrix, np.ndarray]:
        """What the cold-start misfit rule (:meth:`cold_fit_ratio`) compares responses with
        (the codebook's prototypes, or its rows with ``cold_fit="row"``) and the fitted
        responses' mean, in its features: the model's own where they are plain MiniLM's, else
        those :meth:`fit` computed from plain MiniLM features."""
        found = getattr(self, "fit_view_", None)
        if found:
            return found
        if self.cold_fit == "row":
            return normalize(self.codebook_vectors_), self.centroid_
        return self.prototypes_, self.centroid_

    def _plain_view(self, texts: Sequence[str]) -> tuple[np.ndarray | sp.csr_matrix, np.ndarray]:
        """:meth:`_fit_view`'s codebook side and the mean of ``texts`` in plain MiniLM
        features."""
        plain = self.features_.transform_plain
        reading = self._reading()
        book = plain([t for code in self.codebook_.codes for t in code.rows(reading)])
        responses = plain([t or "" for t in texts])
        centroid = normalize(np.asarray(responses.mean(axis=0)).reshape(1, -1))
        if self.cold_fit == "row":
            return normalize(book), centroid
        prototypes = np.zeros((len(self.theme_ids_), book.shape[1]))
        for j in range(len(self.theme_ids_)):
            prototypes[j] = np.asarray(book[self.codebook_owner_ == j].mean(axis=0)).ravel()
        return normalize(prototypes), centroid

    def _learn(self, coded_labels: list[Labels]) -> np.ndarray:
        """Learn the classifiers, combiner and decision rule from the coded rows; every
        row's probabilities."""
        self.add_threshold_, self.top_threshold_ = 0.5, 0.0
        self.theme_thresholds_ = np.full(len(self.theme_ids_), 0.5)
        self.combiner_ = None
        self.fold_models_ = []
        self.rule_ = "thresholds" if self.decision == "auto" else self.decision
        self.expected_scale_, self.expected_shift_ = 1.0, 0.0
        self.count_model_ = None
        if not self.cold_start_:
            x = self.vectors_[self.coded_rows_]
            y = _multi_hot(coded_labels, self.theme_ids_)
            self.coded_y_ = y
            if len(self.coded_rows_) >= MIN_ROWS_TO_TUNE:
                proba, signals = self._cross_val_proba(self.coded_rows_, y)
                if self.combine:
                    self.combiner_ = ThemeCombiner(C=self.combiner_c).fit(signals, y)
                    proba = self._cross_val_combined(signals, y)
                self.add_threshold_, self.top_threshold_ = self._tune(proba, y)
                self.rule_ = self._choose_rule(proba, y)
                if self.combiner_ is None:
                    self.theme_thresholds_ = self._tune_themes(proba, y)
                else:  # the combiner puts every theme on one scale
                    self.theme_thresholds_[:] = self.add_threshold_
                self._choose_cardinality(proba, y)
            else:
                self.theme_thresholds_[:] = self.add_threshold_
            if self.combiner_ is None:
                self.estimators_ = self._fit_estimators(x, y)
        return self._predict(self.vectors_)

    def _clause_points(self, texts: list[str]) -> None:
        """Every fitted answer's points and their unit vectors (``clauses`` only, and only
        with sentence embeddings: the fast engine's word features are left as they are)."""
        self.point_vectors_ = None
        if not (self.clauses and self.combine) or self.vectors_.shape[1] <= len(
            self.features_.words_.vocabulary_
        ):
            return
        owners, points = clause_texts(texts)
        self.point_vectors_ = self._point_view(points)
        self.point_starts_ = point_starts(owners, len(texts))

    def _point_view(self, points: list[str]) -> np.ndarray:
        """Unit vectors of points, as label propagation compares answers."""
        if not points:
            return np.zeros((0, 0))
        return np.asarray(dense(self._neighbour_view(self._transform(points))), float)

    def _clause_columns(
        self,
        query: np.ndarray | None,
        view: np.ndarray,
        train: np.ndarray,
        y: np.ndarray,
        new_points: tuple[np.ndarray, np.ndarray] | None,
    ) -> np.ndarray:
        """The :data:`analysis.coding_clauses.FEATURES` for the query rows (indices
        ``query`` in ``vectors_``, or new texts' ``new_points``, :meth:`_new_points`; without
        either each row is its own single point, ``view``) against the coded rows ``train``
        with themes ``y``."""
        rows = view.shape[0]
        if query is not None:
            index, owners = gather(self.point_starts_, query)
            points = self.point_vectors_[index]
        elif new_points is not None:
            owners, points = new_points
        else:
            owners, points = np.arange(rows), np.asarray(dense(view), float)
        index, reference_owners = gather(self.point_starts_, train)
        answers = np.asarray(dense(self._neighbour_view(self.vectors_[train])), float)
        columns = clause_signals(
            points, owners, rows, self.point_vectors_[index], reference_owners, y, answers
        )
        return columns.reshape(-1, columns.shape[2])

    def _new_points(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """New texts' points (:func:`analysis.coding_clauses.clause_texts`) as ``(owners,
        unit vectors)``: split and embedded once per prediction, whatever the number of
        fold models that read them."""
        owners, points = clause_texts(list(texts))
        return owners, self._point_view(points)

    def _transform(self, texts: list[str]) -> sp.csr_matrix:
        """The features of ``texts``."""
        return self.features_.transform(texts)

    def _semantic(self) -> bool:
        """Whether the fitted features are the semantic engine's (sentence embeddings)."""
        return getattr(self.features_, "engine_", "semantic") == "semantic"

    def _reading(self) -> str:
        """How the codebook's descriptions are read in this fit: ``cold_describe`` at a cold
        start ("auto": by sentences with the semantic engine), else ``describe``."""
        if not self.cold_start_ or (self.cold_describe == "auto" and not self._semantic()):
            return self.describe
        return "sentences" if self.cold_describe == "auto" else self.cold_describe

    def _cold_margin(self) -> float:
        """``cold_margin``, with None read as the engine's: :data:`COLD_MARGIN` (semantic)
        or :data:`COLD_MARGIN_FAST`."""
        if self.cold_margin is not None:
            return float(self.cold_margin)
        return COLD_MARGIN if self._semantic() else COLD_MARGIN_FAST

    def _codebook_rows(self) -> None:
        """Training rows made from the codebook: each code's own text (or its name and
        description sentences, :meth:`_reading`) and its examples."""
        if self.describe not in DESCRIBE:
            raise InputError(f"unknown describe '{self.describe}' (use whole or sentences)")
        if self.cold_describe not in COLD_DESCRIBE:
            raise InputError(
                f"unknown cold_describe '{self.cold_describe}' (use auto, whole or sentences)"
            )
        if self.cold_fit not in COLD_FIT:
            raise InputError(f"unknown cold_fit '{self.cold_fit}' (use theme or row)")
        texts, owners = [], []
        reading = self._reading()
        for j, code in enumerate(self.codebook_.codes):
            for text in code.rows(reading):
                texts.append(text)
                owners.append(j)
        self.codebook_vectors_ = self._transform(texts)
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
        y_all = np.vstack([y, book_y])
        weights = np.concatenate(
            [np.ones(x.shape[0]), np.full(self.codebook_vectors_.shape[0], self.codebook_weight)]
        )
        weights = np.broadcast_to(weights[:, None], y_all.shape)
        similarity = self._similarity_columns(x_all)
        estimators = []
        with threadpool_limits(1):
            for j, view in enumerate(self._theme_views(x_all, similarity)):
                column = y_all[:, j]
                if column.min() == column.max():
                    estimators.append(None)
                    continue
                model = LogisticRegression(C=self.C, max_iter=1000, solver="liblinear")
                model.fit(view, column, sample_weight=weights[:, j])
                estimators.append(model)
        return estimators

    def _neighbour_view(self, x: sp.csr_matrix) -> np.ndarray | sp.csr_matrix:
        """The unit vectors label propagation compares: the embeddings part of the features
        when there is one (:meth:`analysis.features.CodingFeatures.neighbour_vectors`), else
        the word features."""
        words = len(self.features_.words_.vocabulary_)
        if x.shape[1] > words:
            dense = x[:, words:].toarray()
            return self.features_.neighbour_vectors(dense)
        return normalize(x[:, :words])

    def _signals(
        self,
        x: sp.csr_matrix,
        estimators: list,
        reference: sp.csr_matrix,
        y: np.ndarray,
        query: np.ndarray | None = None,
        train: np.ndarray | None = None,
        new_points: tuple[np.ndarray, np.ndarray] | None = None,
        new_lengths: np.ndarray | None = None,
        alike: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The classifiers' probabilities for rows ``x``, and the pair features the
        combiner reads, learning from the coded rows ``reference`` with labels ``y``;
        ``query`` and ``train`` are the rows' indices in ``vectors_`` (``query`` None for
        new texts, whose points, ``new_points`` (:meth:`_new_points`), the clause columns read
        where given), read by the side agreement (``stance_themes`` "combine") and the clause
        columns (``clauses``); ``new_lengths``, new texts' :func:`answer_length`, read by the
        length column (``length``); ``alike``: the fitted rows' final reading (:meth:`_predict`),
        where identical rows read the propagation column alike (:meth:`_propagated`)."""
        proba = self._proba(x, estimators)
        view = self._neighbour_view(x)
        vote, gap, nearest = neighbour_signals(view, self._neighbour_view(reference), y)
        similarity, margin = self._similarity_columns(x)
        prior = np.log((y.sum(axis=0) + 1) / (len(y) + 2))
        pairs = pair_features(proba, vote, gap, similarity, margin, prior, nearest)
        if getattr(self, "point_vectors_", None) is not None and train is not None:
            pairs = np.hstack([pairs, self._clause_columns(query, view, train, y, new_points)])
        if self.length:
            lengths = self._lengths(query, x.shape[0], new_lengths)
            pairs = np.hstack([pairs, np.repeat(lengths, y.shape[1])[:, None]])
        if self._stance_mode() == "combine":
            agree = (
                np.full(proba.shape, 0.5)
                if train is None
                else self._agreement(query, train, y, x.shape[0])
            )
            pairs = np.hstack([pairs, agree.reshape(-1, 1)])
        if self.propagate:
            column = self._propagated(x, query, train, y, alike)
            pairs = np.hstack([pairs, column.reshape(-1, 1)])
        return proba, pairs

    def _propagated(
        self,
        x: sp.csr_matrix,
        query: np.ndarray | None,
        train: np.ndarray,
        y: np.ndarray,
        alike: bool = False,
    ) -> np.ndarray:
        """The propagation column (``propagate``): the themes ``y`` of the fitted rows ``train``
        spread over every fitted row, read at rows ``query`` (new texts, ``query`` None: the
        mean of their nearest fitted rows'). With ``alike`` (the fitted rows' final reading),
        identical rows not in ``train`` read the mean of theirs
        (:func:`analysis.coding_propagate.twins_mean`), so people who wrote the same words are
        coded alike; the cross-validated columns the combiner and the decision rule learn from
        are left as they were (averaged there too, the combiner's fit moved and v6's screen at
        seed 2 fell 0.6494 -> 0.6360, rev34b)."""
        fitted = self._neighbour_view(self.vectors_)
        if getattr(self, "propagation_graph_", None) is None:
            self.propagation_graph_ = propagation_graph(fitted)
        if getattr(self, "propagation_twins_", None) is None:
            self.propagation_twins_ = twins(fitted)
        shares = spread(self.propagation_graph_, train, y, self.propagate)
        if alike:
            shares = twins_mean(shares, self.propagation_twins_, train)
        if query is not None:
            return shares[query]
        return nearest_mean(self._neighbour_view(x), fitted, shares)

    def _lengths(self, query: np.ndarray | None, rows: int, new: np.ndarray | None) -> np.ndarray:
        """The length column's values (``length``): the fitted rows' ``query`` or new texts'
        ``new``; for rows of neither (features given without texts) the fitted rows' median."""
        if query is not None:
            return self.row_length_[query]
        if new is not None:
            return np.asarray(new, float)
        return np.full(rows, float(np.median(self.row_length_)) if len(self.row_length_) else 0.0)

    def _stance_mode(self) -> str:
        """How the themes' sides are used: ``stance_themes``, or "off" without sides."""
        return "off" if getattr(self, "sides_", None) is None else self.stance_themes

    def _agreement(
        self, query: np.ndarray | None, train: np.ndarray, y: np.ndarray, rows: int
    ) -> np.ndarray:
        """For ``rows`` query rows (indices ``query`` in ``vectors_``; None for new texts,
        whose side is unknown: 0.5), the chance that each one's side agrees with each
        theme's, the themes' sides learned from the coded rows ``train`` with themes ``y``
        (a query row's own coding left out)."""
        human = self.sides_.human[train]
        if query is None:
            return agreement(np.full(rows, 0.5), theme_sides(human, y, self.stance_prior))
        position = np.full(len(self.sides_), -1)
        position[train] = np.arange(len(train))
        themes = theme_sides(human, y, self.stance_prior, own=position[query])
        return agreement(self.row_side_[query], themes)

    def _reweigh(
        self, proba: np.ndarray, query: np.ndarray | None, train: np.ndarray, y: np.ndarray
    ) -> np.ndarray:
        """``proba`` with the themes of the other side made less likely (``stance_themes``
        "reweight"; as it is otherwise)."""
        if self._stance_mode() != "reweight":
            return proba
        return reweigh(proba, self._agreement(query, train, y, proba.shape[0]))

    def _fold_proba(self, train: np.ndarray, y: np.ndarray, test: np.ndarray) -> np.ndarray:
        """Probabilities for rows ``test`` from a model learned on rows ``train`` (indices
        of ``vectors_``) with labels ``y``, combined by the fitted combiner if any."""
        x_train, x_test = self.vectors_[train], self.vectors_[test]
        estimators = self._fitted_fold(train, y)
        if estimators is None:
            estimators = self._fit_estimators(x_train, y)
        if self.combiner_ is None:
            return self._reweigh(self._proba(x_test, estimators), test, train, y)
        _, signals = self._signals(x_test, estimators, x_train, y, test, train)
        return self._reweigh(self.combiner_.predict_proba(signals, y.shape[1]), test, train, y)

    def _fitted_fold(self, train: np.ndarray, y: np.ndarray) -> list | None:
        """The estimators the fit's cross-validation already learned from exactly these rows
        and labels (the agreement measure's folds are the same split), so they are not
        learned twice; None when no fold matches."""
        for estimators, rows, fold_y in self.fold_models_:
            if np.array_equal(rows, train) and np.array_equal(fold_y, y):
                return estimators
        return None

    def _cross_val_proba(
        self, rows: np.ndarray, y: np.ndarray, folds: int = 5
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cross-validated classifier probabilities of the coded ``rows`` and their pair
        features (each fold's from the other folds' rows)."""
        proba = np.zeros(y.shape, dtype=float)
        extra = int(self._stance_mode() == "combine")  # the side agreement's column
        extra += len(CLAUSE_FEATURES) if self.point_vectors_ is not None else 0
        extra += int(self.length)
        extra += int(bool(self.propagate))
        signals = np.zeros((y.size, len(FEATURE_NAMES) + extra))
        splitter = KFold(min(folds, len(y)), shuffle=True, random_state=self.seed)
        self.fold_models_ = []
        for train, test in splitter.split(rows):
            x_train, x_test = self.vectors_[rows[train]], self.vectors_[rows[test]]
            estimators = self._fit_estimators(x_train, y[train])
            self.fold_models_.append((estimators, rows[train], y[train]))
            fold_proba, fold_signals = self._signals(
                x_test, estimators, x_train, y[train], rows[test], rows[train]
            )
            proba[test] = fold_proba
            pairs = (test[:, None] * y.shape[1] + np.arange(y.shape[1])[None, :]).ravel()
            signals[pairs] = fold_signals
        return proba, signals

    def _score(self, y: np.ndarray, chosen: np.ndarray) -> float:
        """Mean sample F1 of a decision on the coded rows."""
        return float(multi_hot_f1(y, chosen).mean())

    def _cross_val_combined(self, signals: np.ndarray, y: np.ndarray, folds: int = 5):
        """Cross-validated combiner probabilities (folds of responses, all their themes)."""
        themes = y.shape[1]
        proba = np.zeros(y.shape, dtype=float)
        splitter = KFold(min(folds, len(y)), shuffle=True, random_state=self.seed + 1)
        for train, test in splitter.split(y):
            pick = lambda rows: (rows[:, None] * themes + np.arange(themes)[None, :]).ravel()  # noqa: E731
            combiner = ThemeCombiner(C=self.combiner_c).fit(signals[pick(train)], y[train])
            rows = self.coded_rows_
            fold = combiner.predict_proba(signals[pick(test)], themes)
            proba[test] = self._reweigh(fold, rows[test], rows[train], y[train])
        return proba

    def _tune(self, proba: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """One threshold for every theme, and ``top``: best cross-validated sample F1."""
        best = (-1.0, 0.5, 0.0)
        for add in ADD_GRID:
            for top in TOP_GRID:
                score = self._score(y, decide_matrix(proba, add, top))
                if score > best[0] + 1e-9:
                    best = (score, add, top)
        return best[1], best[2]

    def _choose_rule(self, proba: np.ndarray, y: np.ndarray) -> str:
        """The decision rule: the one asked for, or with "auto" the one with the better
        cross-validated sample F1 (thresholds on a tie); with fewer than
        ``MIN_ROWS_TO_CHOOSE`` coded rows, too few to tune on, the expected-F1 rule as it is.
        The expected-F1 rule reads the probabilities after a correction of their scale and
        shift (``EXPECTED_SCALES``, ``EXPECTED_SHIFTS``), chosen the same way, so both rules
        have a few settings tuned."""
        self.expected_scale_, self.expected_shift_ = 1.0, 0.0
        if self.decision == "thresholds" or (self.decision == "auto" and self.combiner_ is None):
            return "thresholds"  # uncombined probabilities are on each theme's own scale
        if self.decision == "auto" and len(y) < MIN_ROWS_TO_CHOOSE:
            return "expected_f1"  # the combiner's probabilities as they are
        best = -1.0
        for scale in EXPECTED_SCALES:
            for shift in EXPECTED_SHIFTS:
                chosen = expected_f1_matrix(recalibrate(proba, scale, shift))
                score = self._score(y, chosen)
                if score > best + 1e-9:
                    best, self.expected_scale_, self.expected_shift_ = score, scale, shift
        if self.decision == "expected_f1":
            return "expected_f1"
        common = decide_matrix(proba, self.add_threshold_, self.top_threshold_)
        return "expected_f1" if best > self._score(y, common) + 1e-9 else "thresholds"

    def _choose_cardinality(self, proba: np.ndarray, y: np.ndarray) -> None:
        """With ``cardinality`` (and "auto", combined, from ``MIN_ROWS_TO_CHOOSE`` coded rows):
        the count rule (:mod:`analysis.coding_cardinality`) replaces the chosen rule when its
        sample F1 on the coded rows, the count model cross-validated within them, is higher."""
        if not (
            self.cardinality
            and self.decision == "auto"
            and self.combiner_ is not None
            and len(y) >= MIN_ROWS_TO_CHOOSE
        ):
            return
        features, counts = count_features(proba), y.sum(axis=1)
        count_proba = np.zeros((len(y), MAX_COUNT + 1))
        splitter = KFold(min(5, len(y)), shuffle=True, random_state=self.seed + 2)
        for train, test in splitter.split(y):
            model = CountModel().fit(features[train], counts[train])
            count_proba[test] = model.predict_proba(features[test])
        calibrated = recalibrate(proba, self.expected_scale_, self.expected_shift_)
        score = self._score(y, expected_count_matrix(calibrated, count_proba))
        if score > self._score(y, self.decide_matrix(proba)) + 1e-9:
            self.count_model_ = CountModel().fit(features, counts)
            self.rule_ = "cardinality"

    def _tune_themes(self, proba: np.ndarray, y: np.ndarray) -> np.ndarray:
        """A threshold per theme, starting from the common one: each theme with enough coded
        examples takes the threshold that most raises cross-validated sample F1 (ties keep
        the current one), in a few passes over the themes."""
        thresholds = np.full(y.shape[1], self.add_threshold_)
        top = self.top_threshold_
        tunable = np.flatnonzero(y.sum(axis=0) >= MIN_POSITIVES_TO_TUNE)
        best = self._score(y, decide_matrix(proba, thresholds, top))
        for _ in range(THEME_PASSES):
            changed = False
            for j in tunable:
                keep = thresholds[j]
                for value in THEME_GRID:
                    thresholds[j] = value
                    score = self._score(y, decide_matrix(proba, thresholds, top))
                    if score > best + 1e-9:
                        best, keep, changed = score, value, True
                thresholds[j] = keep
            if not changed:
                break
        return thresholds

    # --- prediction ----------------------------------------------------------------------

    def _similarity_proba(self, x: sp.csr_matrix) -> np.ndarray:
        """Cold start: similarity to each code as a soft score in [0, 1]."""
        similarity = self._codebook_similarity(x)
        scaled = np.exp((similarity - similarity.max(axis=1, keepdims=True)) / COLD_TEMPERATURE)
        return scaled / scaled.sum(axis=1, keepdims=True)

    def _codebook_similarity(self, x: sp.csr_matrix) -> np.ndarray:
        """Rows ``x``'s cosine to each code's prototype."""
        return np.asarray(x @ self.prototypes_.T)

    def _similarity_columns(self, x: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Each row's similarity to every code, and its margin over the best other code."""
        similarity = self._codebook_similarity(x)
        if similarity.shape[1] < 2:
            return similarity, similarity
        ordered = np.sort(similarity, axis=1)
        best, second = ordered[:, -1:], ordered[:, -2:-1]
        best_other = np.where(similarity >= best, second, best)
        return similarity, similarity - best_other

    def _theme_views(self, x: sp.csr_matrix, similarity: tuple[np.ndarray, np.ndarray]):
        """For each theme j in turn, ``x`` with two columns appended: each row's similarity
        to theme j and its margin over the closest other theme (``similarity_weight``
        times :meth:`_similarity_columns`). Built once: only the two appended values of
        each row are rewritten per theme. They are stored even where they are 0,
        which adds only zero terms to the classifiers' sums. The matrix yielded is the same
        object each time, so use it before asking for the next."""
        x = x.tocsr()
        rows, width = x.shape
        dtype = np.result_type(x.dtype, similarity[0].dtype)
        indptr = x.indptr.astype(np.int64) + 2 * np.arange(rows + 1)
        first = indptr[1:] - 2
        own = np.ones(int(indptr[-1]), bool)
        own[first] = own[first + 1] = False
        indices = np.empty(int(indptr[-1]), np.int64)
        indices[own], indices[first], indices[first + 1] = x.indices, width, width + 1
        data = np.zeros(int(indptr[-1]), dtype)
        data[own] = x.data
        matrix = sp.csr_matrix((data, indices, indptr), shape=(rows, width + 2))
        for j in range(similarity[0].shape[1]):
            matrix.data[first] = self.similarity_weight * similarity[0][:, j]
            matrix.data[first + 1] = self.similarity_weight * similarity[1][:, j]
            yield matrix

    def _proba(self, x: sp.csr_matrix, estimators: list) -> np.ndarray:
        fallback = None
        similarity = self._similarity_columns(x)
        columns = []
        for model, view in zip(estimators, self._theme_views(x, similarity), strict=True):
            j = len(columns)
            if model is None:
                if fallback is None:
                    fallback = self._similarity_proba(x)
                columns.append(fallback[:, j] * 0.5)
            else:
                columns.append(model.predict_proba(view)[:, 1])
        return np.column_stack(columns) if columns else np.zeros((x.shape[0], 0))

    def predict_proba_vectors(
        self, x: sp.csr_matrix, texts: Sequence[str] | None = None
    ) -> np.ndarray:
        """Probability of each theme for rows already turned into features (``texts``, the
        rows' texts, read by the clause columns where given)."""
        return self._predict(x, texts)

    def _predict(self, x: sp.csr_matrix, texts: Sequence[str] | None = None) -> np.ndarray:
        """Probability of each theme for rows already turned into features."""
        check_is_fitted(self, "theme_ids_")
        if self.cold_start_:
            return self._similarity_proba(x)
        query = np.arange(x.shape[0]) if x is self.vectors_ else None
        with threadpool_limits(1):
            if self.combiner_ is None:
                proba = self._proba(x, self.estimators_)
                return self._reweigh(proba, query, self.coded_rows_, self.coded_y_)
            # the mean over the cross-validation's fold models: the combiner and the
            # decision rule were learned on exactly such outputs
            proba = np.zeros((x.shape[0], len(self.theme_ids_)))
            # new texts' points, split and embedded once for every fold model
            new_points = (
                self._new_points(texts)
                if texts is not None
                and query is None
                and getattr(self, "point_vectors_", None) is not None
                else None
            )
            new_lengths = answer_length(texts) if texts is not None and query is None else None
            for estimators, rows, y in self.fold_models_:
                _, signals = self._signals(
                    x,
                    estimators,
                    self.vectors_[rows],
                    y,
                    query,
                    rows,
                    new_points,
                    new_lengths,
                    alike=query is not None,
                )
                fold_proba = self.combiner_.predict_proba(signals, len(self.theme_ids_))
                fold_proba = self._reweigh(fold_proba, query, rows, y)
                proba += fold_proba
            proba /= len(self.fold_models_)
            return proba

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each theme (columns in ``theme_ids_`` order) for new texts."""
        texts = [t or "" for t in texts]
        return self.predict_proba_vectors(self._transform(texts), texts)

    def decide_matrix(self, proba: np.ndarray) -> np.ndarray:
        """The model's decision rule as a 0/1 matrix."""
        if self.cold_start_:  # no threshold to learn: the closest code (and any within the margin)
            chosen = decide_matrix(proba, 1.01, 0.0)
            margin = self._cold_margin()
            if margin > 0 and proba.shape[1]:
                # softmax shares: within the margin of the closest's similarity is at least
                # exp(-margin / temperature) times its share
                bar = proba.max(axis=1, keepdims=True) * np.exp(-margin / COLD_TEMPERATURE)
                # a row as close to every theme (the fast engine's words: none shared with
                # the codebook) has no closest theme to be near: the margin leaves it be
                flat = np.isclose(proba.max(axis=1), proba.min(axis=1), rtol=1e-9, atol=0.0)
                chosen |= ((proba >= bar) & ~flat[:, None]).astype(np.int8)
            return chosen
        if self.rule_ == "cardinality":
            calibrated = recalibrate(proba, self.expected_scale_, self.expected_shift_)
            count_proba = self.count_model_.predict_proba(count_features(proba))
            return expected_count_matrix(calibrated, count_proba)
        if self.rule_ == "expected_f1":
            return expected_f1_matrix(
                recalibrate(proba, self.expected_scale_, self.expected_shift_)
            )
        return decide_matrix(proba, self.theme_thresholds_, self.top_threshold_)

    def _decide(self, proba: np.ndarray, fit_ratio: np.ndarray | None = None) -> list[Labels]:
        """Each row's themes; at a cold start, none where ``fit_ratio`` (see
        :meth:`cold_fit_ratio`) says the codebook plainly does not fit the row."""
        matrix = self.decide_matrix(proba)
        if self.cold_start_ and fit_ratio is not None and len(fit_ratio):
            matrix[fit_ratio < COLD_FIT_RATIO] = 0
        return [frozenset(self.theme_ids_[j] for j in np.flatnonzero(row)) for row in matrix]

    def predict(self, texts: Sequence[str]) -> list[Labels]:
        """Themes for new texts."""
        x = self._transform([t or "" for t in texts])
        return self._decide(self._predict(x, texts), self.cold_fit_ratio(texts, x))

    def set_confidence(
        self,
        proba: np.ndarray,
        predicted: Sequence[Labels],
        fit_ratio: np.ndarray | None = None,
    ) -> np.ndarray:
        """How sure the model is of each row's whole coding: the product, over themes, of the
        probability of the decision taken on that theme. At a cold start, the closest theme's
        share of the similarity (the softmax; also when ``cold_margin`` adds other themes), and
        for a row the codebook plainly does not fit (``fit_ratio`` under
        :data:`COLD_FIT_RATIO`) :data:`COLD_MISFIT_CONFIDENCE` times its ratio over the bar,
        under the default floor."""
        index = {theme: j for j, theme in enumerate(self.theme_ids_)}
        chosen = np.zeros_like(proba, dtype=bool)
        for i, themes in enumerate(predicted):
            for theme in themes:
                chosen[i, index[theme]] = True
        if self.cold_start_:
            sure = np.where(chosen, proba, 1.0).min(axis=1) if proba.size else np.ones(len(proba))
            if self._cold_margin() > 0 and proba.size:  # the closest's, as without a margin
                sure = np.where(chosen.any(axis=1), proba.max(axis=1), sure)
            if fit_ratio is not None and len(fit_ratio) and COLD_FIT_RATIO > 0:
                misfit = fit_ratio < COLD_FIT_RATIO
                scaled = COLD_MISFIT_CONFIDENCE * np.clip(fit_ratio / COLD_FIT_RATIO, 0.0, 1.0)
                sure = np.where(misfit, np.minimum(scaled, COLD_MISFIT_CONFIDENCE - 1e-4), sure)
            return sure
        agree = np.where(chosen, proba, 1 - proba)
        return np.exp(np.log(np.clip(agree, 1e-6, 1.0)).sum(axis=1))
