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
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .codebook import Codebook
from .coding_combine import FEATURES as COMBINER_FEATURES
from .coding_combine import ThemeCombiner, neighbour_signals, pair_features
from .coding_cotrain import agreed
from .coding_extra import cooccurrence_support, nearest_rows, nearest_to, smoothed_logit
from .coding_mlp import SharedMLP
from .coding_none import MIN_EACH, NONE_GRID, NoneModel, apply_none, cross_val_none, row_features
from .coding_prior import shift_priors
from .coding_spread import SPREAD_FEATURES, SPREAD_NEIGHBOURS, SpreadGraph, spread_columns
from .coding_stance import STANCE_THEMES, RowSides, agreement, reweigh, theme_sides
from .errors import InputError
from .features import CodingFeatures
from .point_match import MATCH_FILE, load_matcher

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
# With ``none_prior`` and ``MIN_ROWS_TO_TUNE`` to ``MIN_ROWS_TO_CHOOSE`` coded rows, the
# expected-F1 rule's "no theme" side is scaled by the factor from this grid whose
# cross-validated share of rows coded with no theme comes closest to the coded rows' own.
NONE_FACTORS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2)
FEATURE_NAMES = COMBINER_FEATURES
# Self-training (``self_train``): per theme, the uncoded rows most likely to have it (at most
# ``SELF_TOP``, each at least ``SELF_HIGH``) join the classifiers' training rows once.
SELF_TOP = 5
SELF_HIGH = 0.8


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


def expected_f1_matrix(proba: np.ndarray, none_factor: float = 1.0) -> np.ndarray:
    """Per row, the likeliest themes in the number (0 or more) that maximises the expected
    sample F1, reading the probabilities as independent: with the k likeliest chosen it is
    about 2 * (their probabilities' sum) / (k + the sum of all), and for none the chance
    that no theme applies (times ``none_factor``)."""
    chosen = np.zeros(proba.shape, dtype=np.int8)
    if not proba.shape[1]:
        return chosen
    order = np.argsort(-proba, axis=1, kind="stable")
    ordered = np.take_along_axis(proba, order, axis=1)
    total = ordered.sum(axis=1, keepdims=True)
    k = np.arange(1, proba.shape[1] + 1)[None, :]
    expected = 2 * np.cumsum(ordered, axis=1) / (k + total)
    none = np.prod(1 - proba, axis=1) * none_factor
    best = expected.argmax(axis=1)
    count = np.where(none > expected.max(axis=1), 0, best + 1)
    for i, c in enumerate(count):
        chosen[i, order[i, :c]] = 1
    return chosen


def none_factor(proba: np.ndarray, y: np.ndarray) -> float:
    """The factor from ``NONE_FACTORS`` for :func:`expected_f1_matrix`'s "no theme" side
    with which the share of rows coded with no theme from (cross-validated) ``proba`` comes
    closest to their share in ``y``; ties go to the factor nearest 1."""
    target = float(np.mean(y.sum(axis=1) == 0))
    gaps = [
        (abs(float(np.mean(expected_f1_matrix(proba, f).sum(axis=1) == 0)) - target), abs(f - 1))
        for f in NONE_FACTORS
    ]
    return NONE_FACTORS[min(range(len(gaps)), key=gaps.__getitem__)]


def centred_similarity(x: sp.csr_matrix, prototypes: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """The cosine of each row of ``x`` less ``centre`` with each of ``prototypes`` less
    ``centre`` (rows by prototypes; 0 where a vector equals the centre). Worked out from
    dot products, so the sparse rows are never made dense."""
    centre = np.asarray(centre, dtype=np.float64).ravel()
    prototypes = np.asarray(prototypes, dtype=np.float64)
    x_centre = np.asarray(x @ centre).ravel()
    x_norms = np.asarray(x.multiply(x).sum(axis=1)).ravel()
    c_norm = float(centre @ centre)
    p_centred = prototypes - centre[None, :]
    dots = np.asarray(x @ prototypes.T) - x_centre[:, None] - (prototypes @ centre)[None, :]
    dots = dots + c_norm
    row_len = np.sqrt(np.maximum(x_norms - 2 * x_centre + c_norm, 0.0))
    point_len = np.linalg.norm(p_centred, axis=1)
    scale = np.outer(row_len, point_len)
    return np.divide(dots, scale, out=np.zeros_like(dots), where=scale > 1e-12)


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
    none_rule: with the combiner and at least ``MIN_ROWS_TO_CHOOSE`` coded rows, learn
        whether a response has any theme at all by a
        :class:`analysis.coding_none.NoneModel`, and code a response with no theme when it
        is likely enough, else with at least its likeliest theme (the threshold, or leaving
        the rule as it is, chosen by cross-validation). Off by default: measured on
        pxtextmining v6 feedback at 20 % coded it gained with random selection (0.653 to
        0.668) but lost with active selection (0.715 to 0.696), whose coded rows are not a
        fair sample; with fewer coded rows it cost ArgKP key points 0.02.
    reweight: with ``none_rule``, choose the no-theme threshold with each coded row weighted
        by the uncoded rows it is nearest to (see :meth:`_tune_weights`). Measured, these
        weights on the whole decision rule cost NHS sub-themes (0.589 to 0.575) and did not
        help ArgKP key points; on the no-theme threshold alone they did not rescue active
        selection on v6 (0.698).
    chars: share of the word view's weight given to character n-grams (3 to 5 letters
        within words), appended to the features; label propagation still compares the MiniLM
        vectors. Off by default: measured with active selection at 20 % coded it gained on
        ArgKP key points (even motions 0.580 to 0.586, odd 0.574 to 0.585) and cost NHS
        sub-themes (tuning part 0.589 to 0.556) and pxtextmining v6 feedback (0.715 to
        0.695) at 0.5.
    spread: with the combiner, spread the coded rows' themes (and "coded with no theme")
        over a nearest-neighbour graph of every response, coded or not, and of the codebook's
        entries (:class:`analysis.coding_spread.SpreadGraph`, the value is its ``alpha``, 0
        for off), and give the combiner each theme's share of what reached a response.
        Off by default: measured with active selection at 20 % coded at 0.9 (defaults in
        brackets) it cost NHS sub-themes (tuning part 0.575 (0.589), held aside 0.579
        (0.604)), left ArgKP key points level (even motions 0.579 (0.580), odd 0.570 (0.574))
        and on pxtextmining v6 feedback moved within the noise of the simulated coder's
        random start (seeds 0, 1, 2: 0.722 (0.682), 0.715 (0.723), 0.730 (0.719)).
    decision: "thresholds" (tuned thresholds), "expected_f1" (per response, the likeliest
        themes in the number that maximises the expected sample F1) or "auto" (the better of
        the two by cross-validation; see :meth:`_choose_rule`).
    none_prior: with ``MIN_ROWS_TO_TUNE`` to ``MIN_ROWS_TO_CHOOSE`` coded rows, too few to
        tune the expected-F1 rule's scale and shift, scale its "no theme" side by the factor
        (``NONE_FACTORS``) that makes the share of coded rows it codes with no theme, cross-
        validated, closest to the share the coder gave none (ties: the factor nearest 1).
        Off by default: ArgKP key points and stance coded together, active selection, seed
        0, model-coded rows at 20 % coded, the motion given as the question: even motions
        (tuned on) 0.611 to 0.617, odd (held aside) 0.601 to 0.570; without the question
        0.600 to 0.606 and 0.590 to 0.592, stance 0.7 to 0.8 points lower. The rule codes more
        rows with no key point than the truth has on both halves (even 31 % against 23 %,
        odd 44 % against 34 %), but the odd motions' coded rows have fewer than their
        uncoded ones (30 %), and fewer "none" costs more F1 there than it gains.
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
    encoder: the sentence embeddings of the features it makes itself (see
        :class:`analysis.features.CodingFeatures`; features passed to :meth:`fit` keep their
        own).
    cotrain: the weight of uncoded responses as pseudo-coded rows of each theme's classifier
        where a words-only and a vectors-only classifier agree surely on the theme
        (:mod:`analysis.coding_cotrain`); 0 (the default) for off. Measured at 0.5 with active
        selection at 20 % coded on the NHS tuning part (seeds 0, 1, 2): 0.578, 0.598, 0.583
        off, 0.588, 0.595, 0.579 on (+0.001 on average, at five to eight times the fitting
        time); one fit on the default's coded rows: ArgKP even motions 0.602 either way, v6
        feedback 0.709 either way (BENCHMARKS.md, ``coding-leads7``).
    combiner_c: the combiner's inverse regularisation (:class:`ThemeCombiner`'s ``C``).
    refit: the weight, against the mean of the cross-validation's fold models, of
        classifiers learned on every coded row (the neighbour vote reading every coded row
        too); 0, the default, for off.
    prior_shift: move the uncoded rows' probabilities towards each theme's share among them
        as estimated by EM (:mod:`analysis.coding_prior`), this share of the way in log
        odds; 0, the default, for off.
    none_scale: with ``MIN_ROWS_TO_TUNE`` to ``MIN_ROWS_TO_CHOOSE`` coded rows, a fixed
        factor on the expected-F1 rule's "no theme" side (below 1: fewer rows left with no
        theme); 1 leaves the rule as it is. ``none_prior`` replaces it by its matched factor.
        These four were measured for issue 13 one fit each on the rows the default's active
        selection coded at 20 % (BENCHMARKS.md, ``kpcode``): ArgKP even motions 0.602, NHS
        tuning part 0.589, v6 NEAS answers 0.760 with the defaults; ``prior_shift`` 1 lost
        0.107, 0.054 and 0.055, ``refit`` and ``combiner_c`` moved each by 0.01 or less, and
        ``none_scale`` 0.6 gained ArgKP 0.009 (NHS and v6 never use it); through the
        grader's loop, key points and stance, seed 0, even motions 0.603 to 0.617 (stance
        92.6 to 93.1 %), but held-aside odd motions 0.595 to 0.587 (89.9 to 89.5 %), so it
        stays 1.
    mlp: with dense vectors and the combiner, give the combiner one more column: the logit
        of a :class:`analysis.coding_mlp.SharedMLP` (one hidden layer shared by every
        theme, learned on the same rows as each fold's classifiers, its weight decay chosen
        by cross-validation on the coded rows); 0, the default, for off.
    mlp_mix: the network's share when its probabilities are mixed into the per-theme
        classifiers' before the combiner reads them; 0, the default, for off.
    mlp_words: with ``mlp`` or ``mlp_mix``, the network also reads this many leading
        components of the responses' words (truncated SVD of the TF-IDF view); 0 for none.
    self_train: weight of the pseudo-coded rows of self-training (``SELF_TOP``,
        ``SELF_HIGH``): after one fit, each theme's most confident uncoded rows join the
        classifiers' training rows with the model's codes, and the model is fitted again
        (twice the fitting time); 0, the default, for off.
        These four were measured for issue 13 one fit each on the rows the default's active
        selection coded at 20 % of pxtextmining v6 feedback (seeds 0, 1, 2: 0.715, 0.724,
        0.723 with the defaults; BENCHMARKS.md, ``coding-v6mlp``): ``mlp`` 1 moved them by
        -0.009, -0.001, 0.000, ``mlp_mix`` 0.3 by -0.011, -0.002, -0.010 and 0.5 by -0.024,
        -0.007, ``mlp`` with ``mlp_words`` 100 by -0.027 (seed 0), ``self_train`` 0.3 by
        -0.023, +0.001, -0.001: none is the default. With 20 % coded at random both gain a
        little (``mlp`` 1 +0.007, ``self_train`` 0.3 +0.008, mean of three draws); a fit takes
        2.5 times as long with ``mlp`` and twice with ``self_train``.
    point_match: with MiniLM vectors (the "minilm" encoder), give the combiner one more
        column: the log odds of a learned "does this answer make this point?" head
        (:mod:`analysis.point_match`, trained on ArgKP arguments and key points) between the
        response and the theme's codebook text; and at cold start (no coded rows), code by
        the head's probabilities instead of the similarity to the codebook. 0, the default,
        for off. Measured for issue 13 (BENCHMARKS.md, ``pointmatch``): ArgKP key points,
        active selection, model-coded rows at 20 % coded, even motions, seeds 0, 1, 2, each
        motion with a head learned on the other even motions: 0.602, 0.595, 0.594 off,
        0.582, 0.593, 0.574 on, and 0.591, 0.570, 0.588 with a centred head; not adopted.
    match_file: the head's JSON file ("" for ``analysis/point_match.json``, which
        ``bench/point_match.py --write`` builds; none is shipped).
    centre: 1 to measure the similarity to the codebook (the classifiers' and combiner's
        similarity columns, the no-theme model's best similarity, and cold start) as the
        cosine of the vectors less the survey's mean answer vector (fitted on every row,
        no labels), which takes out the direction all answers share; 0, the default, for
        the plain cosine (see :func:`centred_similarity`); 2 for the centred cosine in the
        combiner's similarity and margin columns and at cold start only. Measured for issue
        13 (BENCHMARKS.md, ``centred``; ArgKP key points, active selection, model-coded rows
        at 20 % coded, even motions, mean of seeds 0, 1, 2: 0.597 off, 0.584 with 1, 0.591
        with 2; NHS tuning part 0.585, 0.577, 0.585; cold start ArgKP +0.03, NHS -0.014):
        not adopted.
    word_vote: 1 to give the combiner the nearest coded responses' vote and gap a second
        time, over the word view (unit TF-IDF rows) instead of the sentence vectors; 0, the
        default, for off (:mod:`analysis.coding_extra`).
    cooccur: 1 to give the combiner each theme's support from the response's other likely
        themes, from the coded rows' co-occurrence counts (a pooled classifier chain); 0,
        the default, for off.
    smooth: 1 to give the combiner the log odds of the classifiers' mean probability over
        the response's nearest other responses, coded or not (kNN transduction); 0, the
        default, for off.
    prior_mix: 1 to give the combiner the theme's log prior times the classifier's logit
        and times the neighbour vote, so rare and common themes can weigh that evidence
        differently; 0, the default, for off. These four were measured for issue 13
        (BENCHMARKS.md, ``code15``).
    """

    def __init__(
        self,
        engine: str = "auto",
        C: float = 16.0,
        codebook_weight: float = 2.0,
        similarity_weight: float = 3.0,
        embedding_weight: float = 0.8,
        combine: bool = True,
        none_rule: bool = False,
        reweight: bool = True,
        chars: float = 0.0,
        spread: float = 0.0,
        decision: str = "auto",
        none_prior: bool = False,
        stance_themes: str = "combine",
        stance_prior: float = 1.0,
        question: str | None = None,
        seed: int = 0,
        encoder: str = "minilm",
        cotrain: float = 0.0,
        combiner_c: float = 1.0,
        refit: float = 0.0,
        prior_shift: float = 0.0,
        none_scale: float = 1.0,
        mlp: float = 0.0,
        mlp_mix: float = 0.0,
        self_train: float = 0.0,
        mlp_words: float = 0.0,
        point_match: float = 0.0,
        match_file: str = "",
        centre: float = 0.0,
        word_vote: float = 0.0,
        cooccur: float = 0.0,
        smooth: float = 0.0,
        prior_mix: float = 0.0,
    ) -> None:
        self.engine = engine
        self.C = C
        self.codebook_weight = codebook_weight
        self.similarity_weight = similarity_weight
        self.embedding_weight = embedding_weight
        self.combine = combine
        self.none_rule = none_rule
        self.reweight = reweight
        self.chars = chars
        self.spread = spread
        self.decision = decision
        self.none_prior = none_prior
        self.stance_themes = stance_themes
        self.stance_prior = stance_prior
        self.question = question
        self.seed = seed
        self.encoder = encoder
        self.cotrain = cotrain
        self.combiner_c = combiner_c
        self.refit = refit
        self.prior_shift = prior_shift
        self.none_scale = none_scale
        self.mlp = mlp
        self.mlp_mix = mlp_mix
        self.self_train = self_train
        self.mlp_words = mlp_words
        self.point_match = point_match
        self.match_file = match_file
        self.centre = centre
        self.word_vote = word_vote
        self.cooccur = cooccur
        self.smooth = smooth
        self.prior_mix = prior_mix

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
            encoder=self.encoder,
        ).fit(texts + [c.text() for c in codebook.codes])
        self._fit_chars(texts + [c.text() for c in codebook.codes])
        self.vectors_ = self._transform(texts)
        self.coded_rows_ = np.array([i for i, t in enumerate(labels) if t is not None], int)
        self.pool_rows_ = np.array([i for i, t in enumerate(labels) if t is None], int)
        coded_labels = [frozenset(labels[i]) for i in self.coded_rows_]
        self.cold_start_ = len(self.coded_rows_) == 0
        self._codebook_rows()
        self.centre_vector_ = (
            np.asarray(self.vectors_.mean(axis=0)).ravel() if self.centre > 0 else None
        )
        self._start_match()
        self._start_smooth()
        self._fit_spread()
        self._start_mlp(coded_labels)
        self.pseudo_ = None
        proba, none = self._learn(coded_labels)
        if self.self_train > 0 and self.combiner_ is not None and len(self.pool_rows_):
            self.pseudo_ = self._pseudo_rows(proba, none)
            proba, none = self._learn(coded_labels)
        proba = self._shift_priors(proba)
        self.proba_, self.none_proba_ = proba, none
        predicted = self._decide(proba, none)
        self.coded_ = [
            frozenset(labels[i]) if labels[i] is not None else predicted[i]
            for i in range(len(texts))
        ]
        self.source_ = ["human" if labels[i] is not None else "model" for i in range(len(texts))]
        self.confidence_ = self.set_confidence(proba, predicted)
        return self

    def _learn(self, coded_labels: list[Labels]) -> tuple[np.ndarray, np.ndarray | None]:
        """Learn the classifiers, combiner and decision rule from the coded rows (and any
        pseudo-coded rows, ``pseudo_``); every row's probabilities and no-theme chance."""
        self.add_threshold_, self.top_threshold_ = 0.5, 0.0
        self.theme_thresholds_ = np.full(len(self.theme_ids_), 0.5)
        self.combiner_ = None
        self.full_estimators_ = None
        self.fold_models_ = []
        self.rule_ = "thresholds" if self.decision == "auto" else self.decision
        self.expected_scale_, self.expected_shift_ = 1.0, 0.0
        self.none_factor_ = 1.0
        self.none_model_, self.none_threshold_ = None, None
        self.tune_weights_ = None
        if not self.cold_start_:
            x = self.vectors_[self.coded_rows_]
            y = _multi_hot(coded_labels, self.theme_ids_)
            self.coded_y_ = y
            if self._wants_none(len(self.coded_rows_)):
                self.tune_weights_ = self._tune_weights(self.coded_rows_)
            if len(self.coded_rows_) >= MIN_ROWS_TO_TUNE:
                proba, signals, parts = self._cross_val_proba(self.coded_rows_, y)
                if self.combine:
                    self.combiner_ = ThemeCombiner(C=self.combiner_c).fit(signals, y)
                    proba = self._cross_val_combined(signals, y)
                self.add_threshold_, self.top_threshold_ = self._tune(proba, y)
                self.rule_ = self._choose_rule(proba, y)
                if self.combiner_ is None:
                    self.theme_thresholds_ = self._tune_themes(proba, y)
                else:  # the combiner puts every theme on one scale
                    self.theme_thresholds_[:] = self.add_threshold_
                if self._wants_none(len(y)):
                    self._fit_none(row_features(proba, *parts), proba, y)
            else:
                self.theme_thresholds_[:] = self.add_threshold_
            if self.combiner_ is None:
                self.estimators_ = self._fit_estimators(x, y)
        return self._predict_both(self.vectors_)

    def _pseudo_rows(
        self, proba: np.ndarray, none: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Self-training (``self_train``): for each theme the ``SELF_TOP`` uncoded rows most
        likely to have it, where that is at least ``SELF_HIGH``; each such row with the
        themes the model codes it with (that theme at least). Their indices in ``vectors_``
        and their 0/1 labels."""
        pool = self.pool_rows_
        chosen = self.decide_matrix(proba[pool], None if none is None else none[pool])
        picked: dict[int, None] = {}
        for j in range(proba.shape[1]):
            column = proba[pool, j]
            order = np.argsort(-column, kind="stable")[:SELF_TOP]
            for i in order[column[order] >= SELF_HIGH]:
                chosen[i, j] = 1
                picked[int(i)] = None
        rows = np.array(sorted(picked), int)
        return pool[rows], chosen[rows].astype(np.int8)

    def _shift_priors(self, proba: np.ndarray) -> np.ndarray:
        """``proba`` with the uncoded rows' probabilities moved towards each theme's share
        among them as estimated by :func:`analysis.coding_prior.shift_priors`
        (``prior_shift`` of the way; as it is when 0 or without the combiner)."""
        self.uncoded_share_ = None
        if self.prior_shift <= 0 or self.combiner_ is None or not len(self.pool_rows_):
            return proba
        coded = (self.coded_y_.sum(axis=0) + 1) / (len(self.coded_y_) + 2)
        proba = proba.copy()
        rows = self.pool_rows_
        proba[rows], self.uncoded_share_ = shift_priors(proba[rows], coded, self.prior_shift)
        return proba

    def _fit_chars(self, texts: list[str]) -> None:
        """The character n-gram view (``chars``): TF-IDF of 3 to 5 letters within words,
        which matches misspellings and word forms the word view misses."""
        self.chars_, self.char_count_ = None, 0
        if self.chars <= 0:
            return
        vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            min_df=1 if len(texts) < 200 else 2,
            dtype=np.float32,
        )
        try:
            self.chars_ = vectorizer.fit([t or "" for t in texts])
        except ValueError:  # no n-gram at all
            return
        self.char_count_ = len(self.chars_.vocabulary_)

    def _transform(self, texts: list[str]) -> sp.csr_matrix:
        """The features of ``texts``: the coding features, with ``chars`` of the word
        view's squared length given to the character n-grams (appended last)."""
        x = self.features_.transform(texts)
        if self.chars_ is None:
            return x
        words = len(self.features_.words_.vocabulary_)
        semantic = x.shape[1] > words
        weight = float(np.clip(self.features_.embedding_weight, 0.0, 1.0)) if semantic else 0.0
        scale = np.sqrt(1 - weight)
        share = float(np.clip(self.chars, 0.0, 1.0))
        grams = normalize(self.chars_.transform([t or "" for t in texts]))
        parts = [np.sqrt(1 - share) * x[:, :words], x[:, words:], np.sqrt(share) * scale * grams]
        return sp.hstack(parts).tocsr().astype(np.float32)

    def _codebook_rows(self) -> None:
        """Training rows made from the codebook: each code's own text and its examples."""
        texts, owners = [], []
        for j, code in enumerate(self.codebook_.codes):
            for text in (code.text(), *code.examples):
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
        if self.cotrain > 0 and len(getattr(self, "pool_rows_", ())):
            x_all, y_all, weights = self._with_agreed(x_all, y_all, weights)
        if getattr(self, "pseudo_", None) is not None and len(self.pseudo_[0]):
            rows, codes = self.pseudo_
            x_all = sp.vstack([x_all, self.vectors_[rows]]).tocsr()
            y_all = np.vstack([y_all, codes])
            weights = np.vstack([weights, np.full(codes.shape, self.self_train)])
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

    def _with_agreed(
        self, x: sp.csr_matrix, y: np.ndarray, weights: np.ndarray
    ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
        """The training rows ``x`` (labels ``y``, per-theme ``weights``) with the uncoded
        responses added where the words-only and vectors-only views agree on a theme
        (``cotrain`` times that theme's agreement mask as their weights)."""
        pool = self.vectors_[self.pool_rows_]
        split = len(self.features_.words_.vocabulary_)
        codes, mask = agreed(x, y, weights[:, 0], pool, split, self.C)
        x = sp.vstack([x, pool]).tocsr()
        return x, np.vstack([y, codes]), np.vstack([weights, self.cotrain * mask])

    def _neighbour_view(self, x: sp.csr_matrix) -> np.ndarray | sp.csr_matrix:
        """The unit vectors label propagation compares: the embeddings part of the features
        when there is one (:meth:`analysis.features.CodingFeatures.neighbour_vectors`), else
        the word features."""
        words = len(self.features_.words_.vocabulary_)
        if x.shape[1] > words + self.char_count_:
            dense = x[:, words : x.shape[1] - self.char_count_].toarray()
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
    ) -> tuple[np.ndarray, np.ndarray]:
        """The classifiers' probabilities for rows ``x``, and the pair features the
        combiner reads, learning from the coded rows ``reference`` with labels ``y``;
        ``query`` and ``train`` are the rows' indices in ``vectors_`` (``query`` None for
        new texts), read by label spreading (``spread``)."""
        proba = self._proba(x, estimators)
        network = self._mlp_proba(x, y, train)
        if network is not None and self.mlp_mix > 0:
            proba = (1 - self.mlp_mix) * proba + self.mlp_mix * network
        view = self._neighbour_view(x)
        vote, gap, nearest = neighbour_signals(view, self._neighbour_view(reference), y)
        similarity, margin = self._similarity_columns(x, combiner=True)
        prior = np.log((y.sum(axis=0) + 1) / (len(y) + 2))
        pairs = pair_features(proba, vote, gap, similarity, margin, prior, nearest)
        if network is not None and self.mlp > 0:
            p = np.clip(network, 1e-4, 1 - 1e-4)
            pairs = np.hstack([pairs, np.log(p / (1 - p)).reshape(-1, 1)])
        if getattr(self, "matcher_", None) is not None:
            match = self.match_[query] if query is not None else self._match_logit(x)
            pairs = np.hstack([pairs, match.reshape(-1, 1)])
        pairs = self._extra_columns(pairs, proba, x, reference, y, query, train)
        if self._stance_mode() == "combine":
            agree = (
                np.full(proba.shape, 0.5)
                if train is None
                else self._agreement(query, train, y, x.shape[0])
            )
            pairs = np.hstack([pairs, agree.reshape(-1, 1)])
        if self.spread_ is None or train is None:
            return proba, pairs
        key = tuple(train)
        if key not in self.spread_cache_:
            self.spread_cache_[key] = self.spread_.spread(np.asarray(train), y, self.spread)
        share, none, mass = self.spread_cache_[key]
        if query is None:
            joined = np.column_stack([share, none, mass])
            joined = self.spread_.extend(view, joined, SPREAD_NEIGHBOURS)
            share, none, mass = joined[:, :-2], joined[:, -2], joined[:, -1]
        else:
            share, none, mass = share[query], none[query], mass[query]
        return proba, np.hstack([pairs, spread_columns(share, none, mass)])

    def _start_mlp(self, coded_labels: list[Labels]) -> None:
        """Whether a :class:`analysis.coding_mlp.SharedMLP` joins the classifiers (``mlp``
        or ``mlp_mix``, with dense vectors and enough coded rows), and its weight decay,
        chosen by cross-validation on the coded rows."""
        self.mlp_cache_, self.mlp_alpha_ = {}, None
        dense = self.vectors_.shape[1] > len(self.features_.words_.vocabulary_) + self.char_count_
        self.mlp_on_ = (
            (self.mlp > 0 or self.mlp_mix > 0)
            and dense
            and len(self.coded_rows_) >= MIN_ROWS_TO_TUNE
        )
        self.mlp_svd_ = None
        if self.mlp_on_ and self.mlp_words >= 1:  # unsupervised: every response's words
            words = len(self.features_.words_.vocabulary_)
            components = int(min(self.mlp_words, words - 1, self.vectors_.shape[0] - 1))
            svd = TruncatedSVD(components, random_state=self.seed)
            with threadpool_limits(1):
                self.mlp_svd_ = svd.fit(self.vectors_[:, :words])
        if self.mlp_on_:
            y = _multi_hot(coded_labels, self.theme_ids_)
            x, y, weights = self._mlp_rows(self.coded_rows_, y)
            self.mlp_alpha_ = SharedMLP(seed=self.seed).fit(x, y, weights).alpha_

    def _mlp_rows(self, rows: np.ndarray, y: np.ndarray):
        """The network's training rows: coded ``rows`` (labels ``y``) and the codebook's
        rows (weight ``codebook_weight``), as unit vectors."""
        book_y = np.eye(len(self.theme_ids_), dtype=np.int8)[self.codebook_owner_]
        x = np.vstack([self._mlp_view(self.vectors_[rows]), self._mlp_view(self.codebook_vectors_)])
        weights = np.concatenate(
            [np.ones(len(rows)), np.full(len(self.codebook_owner_), self.codebook_weight)]
        )
        return x, np.vstack([y, book_y]), weights

    def _mlp_proba(
        self, x: sp.csr_matrix, y: np.ndarray, train: np.ndarray | None
    ) -> np.ndarray | None:
        """The shared network's probabilities for rows ``x``, learned from the coded rows
        ``train`` with labels ``y`` (None when off)."""
        if not getattr(self, "mlp_on_", False) or train is None:
            return None
        key = tuple(train)
        if key not in self.mlp_cache_:
            rows, labels, weights = self._mlp_rows(np.asarray(train), y)
            network = SharedMLP(alpha=self.mlp_alpha_, seed=self.seed)
            self.mlp_cache_[key] = network.fit(rows, labels, weights)
        return self.mlp_cache_[key].predict_proba(self._mlp_view(x))

    def _mlp_view(self, x: sp.csr_matrix) -> np.ndarray:
        """The network's input: the unit vectors label propagation compares, with the
        words' leading components (``mlp_words``, unit length) beside them when asked."""
        view = self._neighbour_view(x)
        if self.mlp_svd_ is None:
            return view
        words = len(self.features_.words_.vocabulary_)
        with threadpool_limits(1):
            parts = normalize(self.mlp_svd_.transform(x[:, :words]))
        return np.hstack([view, parts]) / np.sqrt(2)

    def _start_match(self) -> None:
        """The point-matching head (``point_match``; None when off or without MiniLM
        vectors; a missing head file is an :class:`InputError`), the themes' unit vectors it
        reads, and its log odds for every response (``match_``)."""
        self.matcher_ = None
        words = len(self.features_.words_.vocabulary_)
        dense = self.vectors_.shape[1] > words + self.char_count_
        minilm = getattr(self.features_, "encoder_", None) == "minilm"
        if self.point_match <= 0 or not dense or not minilm:
            return
        path = Path(self.match_file) if self.match_file else MATCH_FILE
        self.matcher_ = load_matcher(path)
        if self.matcher_ is None:
            raise InputError(
                f"no point-matching head at {path}: build one with "
                "'python -m bench.point_match --write' (or --out FILE, then match_file=FILE)"
            )
        # each code's own text is its first codebook row (see _codebook_rows)
        first = [
            int(np.flatnonzero(self.codebook_owner_ == j)[0]) for j in range(len(self.theme_ids_))
        ]
        self.point_vectors_ = self._neighbour_view(self.codebook_vectors_[first])
        self.match_centre_ = self._neighbour_view(self.vectors_).mean(axis=0)
        self.match_ = self._match_logit(self.vectors_)

    def _match_logit(self, x: sp.csr_matrix) -> np.ndarray:
        """The head's log odds that rows ``x`` make each theme's point, within +-10."""
        view = self._neighbour_view(x)
        logit = self.matcher_.logit(view, self.point_vectors_, self.match_centre_)
        return np.clip(logit, -10.0, 10.0)

    def _spread_count(self) -> int:
        return len(SPREAD_FEATURES) if self.spread_ is not None else 0

    def _extra_count(self) -> int:
        """The combiner's columns beyond :data:`FEATURE_NAMES`: label spreading's, the
        side agreement's (``stance_themes`` "combine"), the network's (``mlp``) and the
        point-matching head's (``point_match``)."""
        network = int(getattr(self, "mlp_on_", False) and self.mlp > 0)
        match = int(getattr(self, "matcher_", None) is not None)
        extra = 2 * (self.word_vote > 0) + (self.cooccur > 0) + (self.smooth > 0)
        extra += 2 * (self.prior_mix > 0)
        return (
            self._spread_count() + int(self._stance_mode() == "combine") + network + match + extra
        )

    def _start_smooth(self) -> None:
        """For ``smooth``: each response's nearest other responses over the vectors label
        propagation compares (every response, coded or not), and an empty cache of every
        response's classifier probabilities per training set."""
        self.smooth_nearest_, self.smooth_cache_ = None, {}
        if self.smooth > 0:
            self.smooth_view_ = self._neighbour_view(self.vectors_)
            self.smooth_nearest_ = nearest_rows(self.smooth_view_)

    def _extra_columns(
        self,
        pairs: np.ndarray,
        proba: np.ndarray,
        x: sp.csr_matrix,
        reference: sp.csr_matrix,
        y: np.ndarray,
        query: np.ndarray | None,
        train: np.ndarray | None,
    ) -> np.ndarray:
        """``pairs`` with the columns of :mod:`analysis.coding_extra` the options ask for:
        the word view's neighbour vote and gap (``word_vote``), the co-occurrence support
        (``cooccur``) and the neighbours' mean probability (``smooth``)."""
        columns = []
        if self.word_vote > 0:
            words = len(self.features_.words_.vocabulary_)
            vote, gap, _ = neighbour_signals(
                normalize(x[:, :words]), normalize(reference[:, :words]), y
            )
            columns += [vote, gap]
        if self.cooccur > 0:
            columns.append(cooccurrence_support(proba, y))
        if self.smooth > 0:
            key = tuple(train) if train is not None else None
            if key not in self.smooth_cache_:
                estimators = self._estimators_for(train, y)
                self.smooth_cache_[key] = self._proba(self.vectors_, estimators)
            every = self.smooth_cache_[key]
            if query is not None:
                nearest = self.smooth_nearest_[query]
            else:
                nearest = nearest_to(self._neighbour_view(x), self.smooth_view_)
            columns.append(smoothed_logit(every, nearest))
        if self.prior_mix > 0:  # the theme's log prior times the classifier's logit and the vote
            columns += [pairs[:, 9] * pairs[:, 0], pairs[:, 9] * pairs[:, 1]]
        if not columns:
            return pairs
        return np.hstack([pairs, *(np.asarray(c, float).reshape(-1, 1) for c in columns)])

    def _estimators_for(self, train: np.ndarray | None, y: np.ndarray) -> list:
        """The classifiers learned from coded rows ``train`` (labels ``y``): the fit's own
        fold models where they match, else learned now."""
        rows = self.coded_rows_ if train is None else np.asarray(train)
        fitted = self._fitted_fold(rows, y)
        if fitted is not None:
            return fitted[0]
        return self._fit_estimators(self.vectors_[rows], y)

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

    def _fit_spread(self) -> None:
        """The label-spreading graph over every response and codebook entry (``spread``;
        None when off or without coded rows)."""
        self.spread_, self.spread_cache_ = None, {}
        if self.spread <= 0 or not len(self.coded_rows_):
            return
        self.spread_ = SpreadGraph(
            self._neighbour_view(self.vectors_),
            self._neighbour_view(self.codebook_vectors_),
            self.codebook_owner_,
            len(self.theme_ids_),
        )

    def _fold_proba(self, train: np.ndarray, y: np.ndarray, test: np.ndarray) -> np.ndarray:
        """Probabilities for rows ``test`` from a model learned on rows ``train`` (indices
        of ``vectors_``) with labels ``y``, combined by the fitted combiner if any."""
        return self._fold_both(train, y, test)[0]

    def _fold_both(
        self, train: np.ndarray, y: np.ndarray, test: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """:meth:`_fold_proba`, and the no-theme probability of each test row (None when
        the model has no :class:`analysis.coding_none.NoneModel`)."""
        x_train, x_test = self.vectors_[train], self.vectors_[test]
        fitted = self._fitted_fold(train, y)
        estimators = fitted[0] if fitted else self._fit_estimators(x_train, y)
        if self.combiner_ is None:
            return self._reweigh(self._proba(x_test, estimators), test, train, y), None
        _, signals = self._signals(x_test, estimators, x_train, y, test, train)
        proba = self._reweigh(self.combiner_.predict_proba(signals, y.shape[1]), test, train, y)
        if self.none_model_ is None:
            return proba, None
        classifier = fitted[1] if fitted else self._fit_none_classifier(x_train, y)
        parts = self._row_parts(x_test, classifier, x_train, y)
        return proba, self.none_model_.predict_proba(row_features(proba, *parts))

    def _fitted_fold(self, train: np.ndarray, y: np.ndarray) -> tuple[list, object] | None:
        """The estimators and no-theme classifier the fit's cross-validation already learned
        from exactly these rows and labels (the agreement measure's folds are the same
        split), so they are not learned twice; None when no fold matches."""
        for estimators, rows, fold_y, classifier in self.fold_models_:
            if np.array_equal(rows, train) and np.array_equal(fold_y, y):
                return estimators, classifier
        return None

    def _fit_none_classifier(self, x: sp.csr_matrix, y: np.ndarray) -> LogisticRegression | None:
        """A classifier of the words and vectors for "coded with no theme" (None when the
        rows are all of one kind)."""
        empty = (y.sum(axis=1) == 0).astype(int)
        if empty.min() == empty.max():
            return None
        with threadpool_limits(1):
            return LogisticRegression(C=self.C, max_iter=1000, solver="liblinear").fit(x, empty)

    def _row_parts(
        self,
        x: sp.csr_matrix,
        classifier: LogisticRegression | None,
        reference: sp.csr_matrix,
        y: np.ndarray,
    ) -> tuple[np.ndarray, ...]:
        """The per-response signals of :func:`analysis.coding_none.row_features` for rows
        ``x``, learning from the coded rows ``reference`` with labels ``y``."""
        empty = (y.sum(axis=1) == 0).astype(np.int8)[:, None]
        vote, _, nearest = neighbour_signals(
            self._neighbour_view(x), self._neighbour_view(reference), empty
        )
        if classifier is None:
            logit = np.full(x.shape[0], 10.0 if empty.all() else -10.0)
        else:
            with threadpool_limits(1):
                logit = classifier.decision_function(x)
        similarity, _ = self._similarity_columns(x)
        best = similarity.max(axis=1) if similarity.shape[1] else np.zeros(x.shape[0])
        return vote[:, 0], logit, best, nearest

    def _cross_val_proba(
        self, rows: np.ndarray, y: np.ndarray, folds: int = 5
    ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
        """Cross-validated classifier probabilities of the coded ``rows``, their pair
        features, and the per-response signals of the no-theme model (each fold's from the
        other folds' rows)."""
        proba = np.zeros(y.shape, dtype=float)
        signals = np.zeros((y.size, len(FEATURE_NAMES) + self._extra_count()))
        parts = np.zeros((4, len(y)))
        splitter = KFold(min(folds, len(y)), shuffle=True, random_state=self.seed)
        self.fold_models_ = []
        for train, test in splitter.split(rows):
            x_train, x_test = self.vectors_[rows[train]], self.vectors_[rows[test]]
            estimators = self._fit_estimators(x_train, y[train])
            classifier = None
            if self._wants_none(len(y)):
                classifier = self._fit_none_classifier(x_train, y[train])
                parts[:, test] = np.vstack(self._row_parts(x_test, classifier, x_train, y[train]))
            self.fold_models_.append((estimators, rows[train], y[train], classifier))
            fold_proba, fold_signals = self._signals(
                x_test, estimators, x_train, y[train], rows[test], rows[train]
            )
            proba[test] = fold_proba
            pairs = (test[:, None] * y.shape[1] + np.arange(y.shape[1])[None, :]).ravel()
            signals[pairs] = fold_signals
        return proba, signals, tuple(parts)

    def _score(self, y: np.ndarray, chosen: np.ndarray, weighted: bool = False) -> float:
        """Mean sample F1 of a decision on the coded rows; ``weighted``, by
        ``tune_weights_`` (each coded row standing for the uncoded rows closest to it)."""
        scores = multi_hot_f1(y, chosen)
        if not weighted or self.tune_weights_ is None:
            return float(scores.mean())
        return float(np.average(scores, weights=self.tune_weights_))

    def _tune_weights(self, rows: np.ndarray) -> np.ndarray | None:
        """A weight per coded row for tuning the no-theme threshold: one plus the number of
        uncoded rows whose nearest coded row it is (None, equal weights, with ``reweight``
        off). Coded rows chosen by active learning are the doubtful ones, not a fair sample
        of the rest; weighted so, the tuning measures the rows the model will code."""
        weights = np.ones(len(rows))
        uncoded = np.setdiff1d(np.arange(self.vectors_.shape[0]), rows)
        if not self.reweight:
            return None
        if not uncoded.size:
            return weights
        reference = self._neighbour_view(self.vectors_[rows])
        nearest = np.zeros(uncoded.size, int)
        for start in range(0, uncoded.size, 2000):
            part = self._neighbour_view(self.vectors_[uncoded[start : start + 2000]])
            similarity = part @ reference.T
            similarity = similarity.toarray() if sp.issparse(similarity) else similarity
            nearest[start : start + 2000] = np.asarray(similarity).argmax(axis=1)
        return weights + np.bincount(nearest, minlength=len(rows))

    def _wants_none(self, coded: int) -> bool:
        """Whether to learn a no-theme model: asked for, with the combiner, and from at
        least ``MIN_ROWS_TO_CHOOSE`` coded rows (with fewer, its threshold is tuned on too
        few rows and measured worse)."""
        return self.none_rule and self.combine and coded >= MIN_ROWS_TO_CHOOSE

    def _fit_none(self, features: np.ndarray, proba: np.ndarray, y: np.ndarray) -> None:
        """Learn the no-theme model and its threshold when the coded rows have enough
        responses with and without a theme; the threshold (or none: the rule as it is) is
        the one with the best cross-validated sample F1."""
        empty = (y.sum(axis=1) == 0).astype(int)
        if empty.sum() < MIN_EACH or len(empty) - empty.sum() < MIN_EACH:
            return
        none = cross_val_none(features, empty, self.seed)
        chosen = self.decide_matrix(proba)
        best = self._score(y, chosen, weighted=True)
        for threshold in NONE_GRID:
            score = self._score(y, apply_none(chosen, proba, none, threshold), weighted=True)
            if score > best + 1e-9:
                best, self.none_threshold_ = score, threshold
        if self.none_threshold_ is not None:
            self.none_model_ = NoneModel().fit(features, empty)

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
            self.none_factor_ = self.none_scale  # a fixed factor (1: the rule as it is)
            if self.none_prior:  # too few to tune: only the no-theme share is matched
                self.none_factor_ = none_factor(proba, y)
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
        similarity = self._codebook_similarity(x, combiner=True)
        scaled = np.exp((similarity - similarity.max(axis=1, keepdims=True)) / 0.05)
        return scaled / scaled.sum(axis=1, keepdims=True)

    def _codebook_similarity(self, x: sp.csr_matrix, combiner: bool = False) -> np.ndarray:
        """Rows ``x``'s cosine to each code's prototype; centred when ``centre`` is 1, or
        when it is 2 and ``combiner`` (the combiner's columns and cold start only)."""
        centre = getattr(self, "centre_vector_", None)
        if centre is None or (self.centre == 2 and not combiner):
            return np.asarray(x @ self.prototypes_.T)
        return centred_similarity(x, self.prototypes_, centre)

    def _similarity_columns(
        self, x: sp.csr_matrix, combiner: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each row's similarity to every code, and its margin over the best other code
        (``combiner``: as the combiner reads them, see :meth:`_codebook_similarity`)."""
        similarity = self._codebook_similarity(x, combiner)
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

    def predict_proba_vectors(self, x: sp.csr_matrix) -> np.ndarray:
        """Probability of each theme for rows already turned into features."""
        return self._predict_both(x)[0]

    def _predict_both(self, x: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray | None]:
        """Probability of each theme, and that no theme applies (None without a no-theme
        model), for rows already turned into features."""
        check_is_fitted(self, "theme_ids_")
        if self.cold_start_:
            if getattr(self, "matcher_", None) is not None:
                query = x is self.vectors_
                logit = self.match_ if query else self._match_logit(x)
                return 1 / (1 + np.exp(-logit)), None
            return self._similarity_proba(x), None
        query = np.arange(x.shape[0]) if x is self.vectors_ else None
        with threadpool_limits(1):
            if self.combiner_ is None:
                proba = self._proba(x, self.estimators_)
                return self._reweigh(proba, query, self.coded_rows_, self.coded_y_), None
            # the mean over the cross-validation's fold models: the combiner and the
            # decision rule were learned on exactly such outputs
            proba = np.zeros((x.shape[0], len(self.theme_ids_)))
            none = np.zeros(x.shape[0])
            for estimators, rows, y, classifier in self.fold_models_:
                _, signals = self._signals(x, estimators, self.vectors_[rows], y, query, rows)
                fold_proba = self.combiner_.predict_proba(signals, len(self.theme_ids_))
                fold_proba = self._reweigh(fold_proba, query, rows, y)
                proba += fold_proba
                if self.none_model_ is not None:
                    parts = self._row_parts(x, classifier, self.vectors_[rows], y)
                    none += self.none_model_.predict_proba(row_features(fold_proba, *parts))
            folds = len(self.fold_models_)
            proba /= folds
            if self.refit > 0:
                proba = (1 - self.refit) * proba + self.refit * self._refit_proba(x, query)
            return proba, (none / folds if self.none_model_ is not None else None)

    def _refit_proba(self, x: sp.csr_matrix, query: np.ndarray | None) -> np.ndarray:
        """The combined probabilities of rows ``x`` from classifiers learned on every coded
        row (``refit``), the neighbour vote reading every coded row too."""
        rows, y = self.coded_rows_, self.coded_y_
        if getattr(self, "full_estimators_", None) is None:
            self.full_estimators_ = self._fit_estimators(self.vectors_[rows], y)
        _, signals = self._signals(x, self.full_estimators_, self.vectors_[rows], y, query, rows)
        proba = self.combiner_.predict_proba(signals, len(self.theme_ids_))
        return self._reweigh(proba, query, rows, y)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each theme (columns in ``theme_ids_`` order) for new texts."""
        return self.predict_proba_vectors(self._transform([t or "" for t in texts]))

    def decide_matrix(self, proba: np.ndarray, none: np.ndarray | None = None) -> np.ndarray:
        """The model's decision rule as a 0/1 matrix; ``none`` is each row's no-theme
        probability, read when the model learned a no-theme threshold."""
        if self.cold_start_:  # no threshold can be learned: the closest code, always
            return decide_matrix(proba, 1.01, 0.0)
        if self.rule_ == "expected_f1":
            chosen = expected_f1_matrix(
                recalibrate(proba, self.expected_scale_, self.expected_shift_), self.none_factor_
            )
        else:
            chosen = decide_matrix(proba, self.theme_thresholds_, self.top_threshold_)
        if none is not None and self.none_threshold_ is not None:
            chosen = apply_none(chosen, proba, none, self.none_threshold_)
        return chosen

    def _decide(self, proba: np.ndarray, none: np.ndarray | None = None) -> list[Labels]:
        matrix = self.decide_matrix(proba, none)
        return [frozenset(self.theme_ids_[j] for j in np.flatnonzero(row)) for row in matrix]

    def predict(self, texts: Sequence[str]) -> list[Labels]:
        """Themes for new texts."""
        x = self._transform([t or "" for t in texts])
        return self._decide(*self._predict_both(x))

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
