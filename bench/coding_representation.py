"""Representation leads for the coding model (issue 13, code33), bench-only.

    python -m bench.coding_representation --v6 /work/extra/v6.csv --seeds 0,1,2 \\
        defaults projA:0.15 minilm:0.5 chars ownlda:0.5

Screens each lead with one fit (ml31's screens): a seeded 3000-row sample of ``--v6``, 20 %
coded at random with each seed, the rest scored (sample F1, the likeliest theme's hit rate
"top-1", and the likeliest themes in each answer's true number "true count"). A lead is
``NAME`` or ``NAME:WEIGHT``:

- ``projA`` (proj32's projection): a shrinkage LDA fitted on MiniLM vectors of NHS phase 1
  Trust A's answers and their 9 themes; each answer's unit projection of its MiniLM vector
  joined to its coding vector (``sqrt(1 - w)`` and ``sqrt(w)``, unit rows), in the
  classifiers' features and the neighbour vote alike;
- ``projAenc``: the same, the LDA fitted on the coding encoder's vectors of Trust A and
  applied to the coding vectors (a transform of the coding vectors themselves);
- ``minilm``: plain MiniLM vectors joined to the coding vectors (``sqrt(1 - w)``,
  ``sqrt(w)``);
- ``chars`` / ``chars:w``: character 2-5-gram TF-IDF (within words) beside the word TF-IDF,
  the word block the two joined with the characters' share of the squared length ``w`` (0.5);
- ``ownlda``: a projection learned from the consultation's OWN coded rows at each fit: a
  shrinkage LDA on the embeddings of the rows each classifier set is learned from (a row of
  k themes is k rows, a row of none the class "none"), its unit projection appended to the
  classifiers' features times ``w`` (learned within each cross-validation fold, so the
  combiner reads honest outputs);
- ``ownpls``: the same with a PLS regression on the multi-hot themes (16 components).

:func:`apply` installs a lead in this process (``bench.coding_leads --representation``).
"""

from __future__ import annotations

import argparse
import json
import random
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

import analysis.coding as coding
import analysis.features as features_module
from analysis.coding import CodingModel, sample_f1
from analysis.features import CodingFeatures

from . import coding as bench

LEADS = ("defaults", "projA", "projAenc", "minilm", "chars", "ownlda", "ownpls")
DEFAULT_WEIGHTS = {
    "projA": 0.15,
    "projAenc": 0.15,
    "minilm": 0.5,
    "chars": 0.5,
    "ownlda": 0.5,
    "ownpls": 0.5,
}
PLS_COMPONENTS = 16
_TRUST_A: dict[str, LinearDiscriminantAnalysis] = {}
_ORIGINAL = {
    "dense": CodingFeatures.dense,
    "fit": CodingFeatures.fit,
    "_fit_estimators": CodingModel._fit_estimators,
    "_proba": CodingModel._proba,
}


def trust_a_lda(view: str, features: CodingFeatures) -> LinearDiscriminantAnalysis:
    """The shrinkage LDA of Trust A's answers and their 9 themes in ``view`` ("minilm" or
    "encoder", the coding encoder's vectors), fitted once per process."""
    if view not in _TRUST_A:
        from . import quality

        texts, nine = quality.load_single_label(["A"])["NHS FFT, 9 themes"]
        reader = features.minilm if view == "minilm" else features.embed
        saved = getattr(features, "question_weight_", 0.0)
        features.question_weight_ = 0.0  # Trust A's answers as they are
        try:
            vectors = reader(texts)
        finally:
            features.question_weight_ = saved
        _TRUST_A[view] = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto").fit(
            vectors, np.asarray(nine)
        )
    return _TRUST_A[view]


def _joined(first: np.ndarray, second: np.ndarray, weight: float) -> np.ndarray:
    """Unit rows of ``first`` and unit ``second`` side by side, ``sqrt(1 - w)``, ``sqrt(w)``."""
    both = np.hstack([np.sqrt(1 - weight) * first, np.sqrt(weight) * normalize(second)])
    return normalize(both).astype(np.float32)


def _dense_lead(name: str, weight: float):
    """A ``CodingFeatures.dense`` carrying the lead's joined vectors."""

    def dense(self, texts):
        vectors = _ORIGINAL["dense"](self, texts)
        if vectors is None:
            return None
        if name == "minilm":
            return _joined(vectors, self.minilm(texts), weight)
        if name == "projA":
            lda = trust_a_lda("minilm", self)
            return _joined(vectors, lda.transform(self.minilm(texts)), weight)
        lda = trust_a_lda("encoder", self)  # projAenc
        return _joined(vectors, lda.transform(vectors), weight)

    return dense


class WordsAndChars:
    """Word 1-2-gram TF-IDF (as fitted by :class:`CodingFeatures`) beside character
    2-5-gram TF-IDF within words, each block unit length, the characters' share of the
    squared length ``share``; ``vocabulary_`` spans both (the coding model reads its length
    as the word block's)."""

    def __init__(self, words: TfidfVectorizer, share: float = 0.5) -> None:
        self.words, self.share = words, share
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, dtype=np.float32
        )

    def fit(self, texts: list[str]) -> WordsAndChars:
        self.chars.fit([t or "" for t in texts])
        width = len(self.words.vocabulary_) + len(self.chars.vocabulary_)
        self.vocabulary_ = dict.fromkeys(range(width), 0)
        return self

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        words = normalize(self.words.transform(texts))
        chars = normalize(self.chars.transform(texts))
        words, chars = np.sqrt(1 - self.share) * words, np.sqrt(self.share) * chars
        return sp.hstack([words, chars]).tocsr().astype(np.float32)


def _chars_fit(share: float):
    def fit(self, texts, y=None):
        _ORIGINAL["fit"](self, texts, y)
        self.words_ = WordsAndChars(self.words_, share).fit(list(texts))
        return self

    return fit


class Projection:
    """A supervised projection of the embeddings block learned from coded rows (``ownlda``
    or ``ownpls``), appended to the classifiers' features as unit rows times ``weight``."""

    def __init__(self, kind: str, weight: float, words: int) -> None:
        self.kind, self.weight, self.words = kind, weight, words

    def fit(self, x: sp.csr_matrix, y: np.ndarray) -> Projection | None:
        dense = x[:, self.words :].toarray()
        if self.kind == "ownpls":
            from sklearn.cross_decomposition import PLSRegression

            keep = y.sum(axis=0) > 0
            if keep.sum() < 2 or len(y) < 4:
                return None
            parts = min(PLS_COMPONENTS, int(keep.sum()), len(y) - 1)
            self.model = PLSRegression(n_components=parts, scale=False)
            self.model.fit(dense, y[:, keep].astype(float))
            return self
        rows, classes = [], []
        for i, row in enumerate(y):
            themes = np.flatnonzero(row)
            for j in themes if len(themes) else [-1]:
                rows.append(i)
                classes.append(int(j))
        if len(set(classes)) < 2:
            return None
        self.model = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto")
        with warnings.catch_warnings():  # a class of one row: its covariance is left as none
            warnings.simplefilter("ignore", UserWarning)
            self.model.fit(dense[rows], np.asarray(classes))
        return self

    def augment(self, x: sp.csr_matrix) -> sp.csr_matrix:
        projected = normalize(self.model.transform(x[:, self.words :].toarray()))
        return sp.hstack([x, sp.csr_matrix(self.weight * projected)]).tocsr().astype(x.dtype)


class Projected(list):
    """Per-theme classifiers with the projection their features were augmented by."""

    projection: Projection | None = None


def _own_fit_estimators(kind: str, weight: float):
    def fit_estimators(self, x, y):
        book_y = np.eye(len(self.theme_ids_), dtype=np.int8)[self.codebook_owner_]
        x_all = sp.vstack([x, self.codebook_vectors_]).tocsr()
        y_all = np.vstack([y, book_y])
        words = len(self.features_.words_.vocabulary_)
        projection = None
        if x.shape[1] > words:
            with threadpool_limits(1):
                projection = Projection(kind, weight, words).fit(x_all, y_all)
        weights = np.concatenate(
            [np.ones(x.shape[0]), np.full(self.codebook_vectors_.shape[0], self.codebook_weight)]
        )
        weights = np.broadcast_to(weights[:, None], y_all.shape)
        similarity = self._similarity_columns(x_all)
        wide = projection.augment(x_all) if projection is not None else x_all
        estimators = Projected()
        estimators.projection = projection
        with threadpool_limits(1):
            for j, view in enumerate(self._theme_views(wide, similarity)):
                column = y_all[:, j]
                if column.min() == column.max():
                    estimators.append(None)
                    continue
                model = LogisticRegression(C=self.C, max_iter=1000, solver="liblinear")
                model.fit(view, column, sample_weight=weights[:, j])
                estimators.append(model)
        return estimators

    return fit_estimators


def _own_proba(self, x, estimators):
    projection = getattr(estimators, "projection", None)
    fallback = None
    similarity = self._similarity_columns(x)
    wide = projection.augment(x) if projection is not None else x
    columns = []
    for model, view in zip(estimators, self._theme_views(wide, similarity), strict=True):
        j = len(columns)
        if model is None:
            if fallback is None:
                fallback = self._similarity_proba(x)
            columns.append(fallback[:, j] * 0.5)
        else:
            columns.append(model.predict_proba(view)[:, 1])
    return np.column_stack(columns) if columns else np.zeros((x.shape[0], 0))


def parse(lead: str) -> tuple[str, float]:
    """``NAME`` or ``NAME:WEIGHT`` as (name, weight); exit 2 naming the leads otherwise."""
    name, _, weight = lead.partition(":")
    if name not in LEADS:
        raise SystemExit(f"unknown lead {name!r} (use {', '.join(LEADS)})")
    try:
        return name, float(weight) if weight else DEFAULT_WEIGHTS.get(name, 0.0)
    except ValueError:
        raise SystemExit(f"bad weight in {lead!r}") from None


def reset() -> None:
    """The product's code back in place."""
    CodingFeatures.dense = _ORIGINAL["dense"]
    CodingFeatures.fit = _ORIGINAL["fit"]
    CodingModel._fit_estimators = _ORIGINAL["_fit_estimators"]
    CodingModel._proba = _ORIGINAL["_proba"]


def apply(lead: str) -> None:
    """Install ``lead`` (see the module's docstring) in this process."""
    reset()
    name, weight = parse(lead)
    if name in ("projA", "projAenc", "minilm"):
        CodingFeatures.dense = _dense_lead(name, weight)
    elif name == "chars":
        CodingFeatures.fit = _chars_fit(weight)
    elif name in ("ownlda", "ownpls"):
        CodingModel._fit_estimators = _own_fit_estimators(name, weight)
        CodingModel._proba = _own_proba
    assert coding.CodingModel is CodingModel and features_module.CodingFeatures is CodingFeatures


def screen(path: Path, rows: int, seed: int) -> dict[str, float]:
    """One fit, ``seed``'s random 20 % coded, scored on the rest."""
    texts, truth, book = bench.labelled_csv(path, "text", "labels", rows, 0)
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    coded = set(order[: round(0.2 * len(texts))])
    features = CodingFeatures(engine="semantic").fit(texts + [c.text() for c in book.codes])
    labels = [truth[i] if i in coded else None for i in range(len(texts))]
    started = time.process_time()
    model = CodingModel(engine="semantic", seed=0).fit(texts, labels, book, features=features)
    seconds = time.process_time() - started
    rest = np.array([i for i in range(len(texts)) if i not in coded])
    ids = model.theme_ids_
    proba = model.proba_
    order_ = np.argsort(-proba, axis=1, kind="stable")
    top, count = [], []
    for i in rest:
        if truth[i]:
            top.append(ids[order_[i, 0]] in truth[i])
        count.append(frozenset(ids[j] for j in order_[i, : len(truth[i])]))
    return {
        "f1": round(
            float(sample_f1([truth[i] for i in rest], [model.coded_[i] for i in rest]).mean()), 4
        ),
        "top1": round(float(np.mean(top)), 4),
        "count": round(float(sample_f1([truth[i] for i in rest], count).mean()), 4),
        "cpu_s": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("leads", nargs="+")
    parser.add_argument("--v6", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    for lead in args.leads:
        parse(lead)
    for lead in args.leads:
        apply(lead)
        found = {s: screen(args.v6, args.rows, int(s)) for s in args.seeds.split(",")}
        mean = round(float(np.mean([f["f1"] for f in found.values()])), 4)
        print(lead, json.dumps(found), "mean F1", mean, flush=True)
    reset()


if __name__ == "__main__":
    main()
