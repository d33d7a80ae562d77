"""Leads on how the coding model reads the labels themselves (issue 13, code34), bench-only.

    python -m bench.coding_labels --v6 /work/extra/v6.csv --seeds 0,1,2 \\
        defaults prop:0.8 cooc prop:0.8+cooc

Screens each lead with one fit as :func:`bench.coding_representation.screen` does (ml31's
screens: a seeded 3000-row sample of ``--v6``, 20 % coded at random with each seed, the rest
scored). Each lead gives the combiner (:class:`analysis.coding_combine.ThemeCombiner`, which
weighs every column by the cross-validated outputs of the coded rows) more columns per
(answer, theme), so the blend with the linear classifiers is learned, not set:

- ``prop:a`` (transductive kNN label propagation, label spreading with ``a`` as its alpha;
  adopted by code34 as ``CodingModel(propagate=0.8)``, :mod:`analysis.coding_propagate`, on by
  default since, so this lead now adds a second such column; screen it with
  ``--set propagate=0`` or on code34's commit 82d96c76):
  a graph of every answer of the consultation, coded or not (each answer's ``PROP_K`` nearest
  by the neighbour vote's unit vectors, cosine weights, symmetric, normalised), the coded
  rows' themes of the fold spread over it; the column is each answer's share of the spread
  mass that is the theme's. Unlike the existing neighbour vote (the nearest coded answers
  only) it reaches answers through uncoded ones. New texts take the mean of their nearest
  fitted answers' shares.
- ``cooc`` (label co-occurrence, a pairwise prior): for theme j, the classifiers'
  probabilities of the other themes k weighted by how often j comes with k in the fold's
  coded rows (Laplace-smoothed toward j's prior), as the log-lift over j's prior.
- ``book:w``: the codebook's rows (each theme's name, description and examples) as
  training rows of weight ``w`` (``CodingModel(codebook_weight=w)``; 2 by default), to see
  whether choosing that weight by cross-validation could pay;
- ``A+B``: both.

:func:`apply` installs a lead in this process (``bench.coding_leads --labels LEAD``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp

import analysis.coding as coding
from analysis.coding import CodingModel

from .coding_representation import screen

PROP_K = 10
PROP_ITERATIONS = 20
COOC_SMOOTH = 1.0
_ORIGINAL = {
    "_signals": CodingModel._signals,
    "FEATURE_NAMES": coding.FEATURE_NAMES,
    "defaults": CodingModel.__init__.__defaults__,
}
_COLUMNS = ("prop", "cooc")


def _cosines(query, reference) -> np.ndarray:
    """Dense cosines of unit rows (dense or sparse)."""
    if sp.issparse(query) or sp.issparse(reference):
        return np.asarray((query @ reference.T).toarray(), dtype=np.float32)
    query = np.asarray(query, dtype=np.float32)
    return query @ np.asarray(reference, dtype=np.float32).T


def propagation_graph(view, k: int = PROP_K) -> sp.csr_matrix:
    """The symmetric normalised kNN graph (D^-1/2 W D^-1/2) of unit rows ``view``."""
    n = view.shape[0]
    if n < 2:
        return sp.csr_matrix((n, n))
    k = min(k, n - 1)
    similarity = _cosines(view, view)
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    weight = np.clip(np.take_along_axis(similarity, nearest, axis=1), 0.0, None).astype(float)
    w = sp.csr_matrix((weight.ravel(), (np.repeat(np.arange(n), k), nearest.ravel())), (n, n))
    w = (w + w.T) * 0.5
    degree = np.asarray(w.sum(axis=1)).ravel()
    scale = np.where(degree > 0, 1.0 / np.sqrt(np.maximum(degree, 1e-12)), 0.0)
    return sp.diags(scale) @ w @ sp.diags(scale)


def spread(graph: sp.csr_matrix, rows: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """Label spreading: ``y`` (0/1, one row per index in ``rows``) spread over ``graph``;
    each node's share of its spread mass that is each theme's."""
    seed = np.zeros((graph.shape[0], y.shape[1]))
    seed[rows] = y
    f = seed.copy()
    for _ in range(PROP_ITERATIONS):
        f = alpha * (graph @ f) + (1 - alpha) * seed
    return f / (f.sum(axis=1, keepdims=True) + 1e-9)


def cooccurrence_lift(proba: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For each (row, theme j): log of sum_k p_k P(j | k) / sum_k p_k over the other themes
    k, over j's prior, the conditionals from the coded rows ``y`` smoothed toward the prior."""
    y = y.astype(float)
    n, themes = y.shape
    prior = (y.sum(axis=0) + 1) / (n + 2)
    together = y.T @ y
    count = np.diag(together).copy()
    conditional = (together + COOC_SMOOTH * prior[None, :]) / (count[:, None] + COOC_SMOOTH)
    np.fill_diagonal(conditional, 0.0)
    weights = proba.copy()
    mixed = weights @ conditional  # sum_k p_k P(j|k), k != j by the zero diagonal
    mass = weights.sum(axis=1, keepdims=True) - weights
    expected = mixed / np.maximum(mass, 1e-9)
    expected = np.where(mass > 1e-9, expected, prior[None, :])
    return np.log(np.maximum(expected, 1e-6) / prior[None, :])


def _graph(self) -> sp.csr_matrix:
    cached = getattr(self, "_prop_graph", None)
    if cached is None or cached[0] is not self.vectors_:
        cached = (self.vectors_, propagation_graph(self._neighbour_view(self.vectors_)))
        self._prop_graph = cached
    return cached[1]


def _prop_column(self, x, query, train, y, alpha: float) -> np.ndarray:
    graph = _graph(self)
    shares = spread(graph, train, y, alpha)
    if query is not None:
        return shares[query]
    similarity = _cosines(self._neighbour_view(x), self._neighbour_view(self.vectors_))
    k = min(PROP_K, similarity.shape[1])
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    return shares[nearest].mean(axis=1)


def _signals_with(parts: list[tuple[str, float]]):
    def signals(self, x, estimators, reference, y, query=None, train=None, *args, **kwargs):
        proba, pairs = _ORIGINAL["_signals"](
            self, x, estimators, reference, y, query, train, *args, **kwargs
        )
        extra = []
        for name, weight in parts:
            if name == "prop":
                extra.append(_prop_column(self, x, query, train, y, weight))
            elif name == "cooc":
                extra.append(cooccurrence_lift(proba, y))
        if extra:
            pairs = np.hstack([pairs, *[column.reshape(-1, 1) for column in extra]])
        return proba, pairs

    return signals


def parse(lead: str) -> list[tuple[str, float]]:
    """``defaults`` or ``NAME[:WEIGHT]`` parts joined by ``+``; exit 2 otherwise."""
    if lead == "defaults":
        return []
    parts = []
    for part in lead.split("+"):
        name, _, weight = part.partition(":")
        if name not in (*_COLUMNS, "book"):
            raise SystemExit(f"unknown lead {name!r} (use prop:ALPHA, cooc, book:WEIGHT)")
        try:
            parts.append((name, float(weight) if weight else 0.8))
        except ValueError:
            raise SystemExit(f"bad weight in {lead!r}") from None
    return parts


def reset() -> None:
    """The product's code back in place."""
    CodingModel._signals = _ORIGINAL["_signals"]
    coding.FEATURE_NAMES = _ORIGINAL["FEATURE_NAMES"]
    CodingModel.__init__.__defaults__ = _ORIGINAL["defaults"]


def apply(lead: str) -> None:
    """Install ``lead`` (see the module's docstring) in this process."""
    reset()
    parts = parse(lead)
    columns = [(name, weight) for name, weight in parts if name in _COLUMNS]
    if columns:
        CodingModel._signals = _signals_with(columns)
        coding.FEATURE_NAMES = tuple(_ORIGINAL["FEATURE_NAMES"]) + tuple(n for n, _ in columns)
    for name, weight in parts:
        if name == "book":
            defaults = list(_ORIGINAL["defaults"])
            names = CodingModel.__init__.__code__.co_varnames[1 : 1 + len(defaults)]
            defaults[names.index("codebook_weight")] = weight
            CodingModel.__init__.__defaults__ = tuple(defaults)


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
