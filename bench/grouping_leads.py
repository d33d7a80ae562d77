"""Grouping leads scored on answers turned into vectors once (issue 12, nmi30).

    .venv/bin/python -m bench.grouping_leads prepare --engine fast --sets dev [--seed 0]
    .venv/bin/python -m bench.grouping_leads score --engine fast --sets dev [--seed 0]
        [--variants "off,R1 dims 32"]

``prepare`` cleans each set's answers and turns them into the engine's vectors as
:meth:`analysis.ThemeModel.fit_partition` does, and pickles the runs (in
``$CONSULT_LEADS_DIR``, default ``/tmp/grouping-leads``); ``score`` then runs the theme stage
(k given: the set's number of labels) once per variant on those runs and prints, per set,
NMI % (F1 % after matching for the multi-label sets) and the gain over "off" (the engine as
it is). Sets: ``dev`` (NHS phase 1 Trusts A and B, 3,000 drawn with the bench's seed, 9 and
44 labels; ArgKP's 24 train motions, mean; gambling_XS parts 1 and 2), ``nhsC`` (Trust C),
``fresh`` (the motions of ``$CONSULT_DATA_DIR``'s argkp), ``v6`` (``/work/extra/v6.csv`` or
``--v6-file``, 3,000 drawn), ``v6one`` (v6's answers coded with exactly one theme, 3,000
drawn, NMI; proj32), ``demo`` (the demo consultation's free-text questions, as many
themes as the demo's points; points split over two or more themes, themes mixing points and
NMI against the points, as ``bench.demo_report --counts`` counts them).

Variants (BENCHMARKS.md "nmi30"): G1, merge the pair of themes most like one point (their
Davies-Bouldin ratio: spreads over centre distance) and split the theme with the most
within-theme spread, k-means again from all centres, kept while the worst ratio (or the
spread) falls; G1b, the same split choosing the theme whose two halves are best apart,
without the acceptance test; G2, Ward's start on the answers densest among their 10
nearest; G3, spectral grouping on the answers' nearest-neighbour graph; G4, centres found
among the answers' separate points (sentences, clauses), not the whole answers; R1, the
unsmoothed vectors reweighed before neighbour averaging (the first uncentred principal
direction out, centred, partially whitened, or fewer main axes); R2, the fast engine's
static view less its common component (SIF's second step); R3, the fast engine's static
share (0.5) and neighbours (10) changed. Only the theme stage (or the vectors it reads)
changes; the primary theme is still each answer's nearest centre.

nmis34's (BENCHMARKS.md "nmis34"): G5, consensus over k-means runs (a co-association matrix
cut by average linkage or spectrally; in the joined space or over the semantic engine's two
views, MiniLM and the word block); G6, spectral grouping on the mutual-nearest graph (one
view or both); R4, all-but-the-top (mean and first centred principal directions out; of
the joined vectors or of the MiniLM columns alone); R5, the semantic engine's neighbours
averaged over (0 = none). Variants named "keep" keep the finder's own groups as the answers'
primary themes instead of their nearest centres.
"""

from __future__ import annotations

import argparse
import copy
import os
import pickle
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import AgglomerativeClustering
from sklearn.manifold import spectral_embedding
from sklearn.preprocessing import normalize

from analysis import fit as fit_module
from analysis import stages
from analysis import themes as T
from analysis.api import ThemeModel
from analysis.clauses import points_of
from analysis.neighbours import cells, nearest, neighbour_average, neighbour_average_new
from analysis.represent import principal_axes
from bench.common import scores

ORIGINAL_FIND = stages.find_themes
ORIGINAL_POINTS = stages._points
ORIGINAL_MEMBERSHIPS = stages.memberships
Finder = Callable[..., T.Clustering]


def _threads(args: tuple, kwargs: dict) -> int:
    """The thread count :func:`analysis.stages.themes` passes ``find_themes`` (8th place)."""
    return int(kwargs.get("threads", args[3] if len(args) > 3 else 1))


def cache_dir() -> Path:
    return Path(os.environ.get("CONSULT_LEADS_DIR") or "/tmp/grouping-leads")


def prepare(
    texts: list[str], question: str | None, engine: str, seed: int, agreement=None
) -> stages.FitRun:
    """A run cleaned and turned into vectors as ``fit_partition`` does (k set later),
    without the learned answer projection (the benches' variants add their own: proj32's
    ``bench.learned_projection``; its "off" is the product's default: the projection is an
    option that ship33 left off)."""
    model = ThemeModel(n_themes=2, engine=engine, seed=seed, projection_weight=0.0)
    run = stages.start(texts, None, None, agreement, 2, question)
    run.side_margin = model._side_margin()
    steps = model._steps()
    steps["cleaning"](run)
    steps["representation"](run)
    return run


def load_sets(which: str, engine: str, seed: int, v6_file: Path) -> list[tuple]:
    """(name, kind, run, [(label, truth)]) for the named group of sets."""
    from bench import quality

    sets = []
    if which in ("dev", "nhsC"):
        data = quality.load_single_label(["A", "B"] if which == "dev" else ["C"])
        texts, nine = quality.subsample(*data["NHS FFT, 9 themes"], 3000)
        _same, sub = quality.subsample(*data["NHS FFT, 44 sub-themes"], 3000)
        run = prepare(texts, None, engine, seed)
        sets.append(("nhs", "single", run, [("nhs9", nine), ("nhs44", sub)]))
    if which in ("dev", "fresh"):
        for topic, texts, truth, _multi, _all in quality.load_argkp():
            sets.append((topic, "single", prepare(texts, topic, engine, seed), [("argkp", truth)]))
    if which == "dev":
        for name, _ids, texts, labels in quality.load_gambling():
            sets.append((name, "multi", prepare(texts, None, engine, seed), [(name, labels)]))
    if which == "demo":  # the demo's free-text questions; truth: the points each answer makes
        from bench.demo_report import _phrasings, demo_questions, points_made

        phrasings = _phrasings()
        with demo_questions() as questions:
            for wording, answers in questions:
                made = [points_made(text, phrasings) for text in answers.texts]
                run = prepare(answers.texts, wording, engine, seed, answers.agreement)
                sets.append((wording, "demo", run, [("demo", made)]))
    if which == "v6":
        _name, texts, labels = quality.load_v6(v6_file, 3000)
        sets.append(("v6", "multi", prepare(texts, None, engine, seed), [("v6", labels)]))
    if which == "v6one":  # v6's answers coded with exactly one theme ("-" left out), NMI
        _name, texts, labels = quality.load_v6(v6_file, 0)
        one = [(t, x[0]) for t, x in zip(texts, labels, strict=True) if x != ["-"] and len(x) == 1]
        texts, truth = quality.subsample([t for t, _x in one], [x for _t, x in one], 3000)
        sets.append(("v6one", "single", prepare(texts, None, engine, seed), [("v6one", truth)]))
    for _name, _kind, run, _truths in sets:  # embedders hold sessions that cannot be pickled
        for attribute in ("embedder_", "group_embedder_"):
            run.representation.__dict__.pop(attribute, None)
    return sets


# ---- G1 / G1b: merge the pair most like one point, split another theme in two ----


def _spreads(vectors, weights, labels, centers) -> tuple[np.ndarray, np.ndarray]:
    """Per theme: mean cosine distance of its answers to its centre, and their sum."""
    k = centers.shape[0]
    distance = 1.0 - np.einsum("ij,ij->i", vectors, centers[labels])
    mass = np.bincount(labels, weights=weights, minlength=k)
    total = np.bincount(labels, weights=weights * distance, minlength=k)
    return total / np.maximum(mass, 1e-12), total


def worst_pair(vectors, weights, clustering: T.Clustering) -> tuple[float, int, int]:
    """The pair of themes with the highest Davies-Bouldin ratio (their spreads' sum over
    their centres' cosine distance): (ratio, i, j) with i < j."""
    spread, _total = _spreads(vectors, weights, clustering.labels, clustering.centers)
    centers = clustering.centers
    ratio = (spread[:, None] + spread[None, :]) / np.maximum(1.0 - centers @ centers.T, 1e-9)
    np.fill_diagonal(ratio, -np.inf)
    i, j = np.unravel_index(np.argmax(ratio), ratio.shape)
    return float(ratio[i, j]), int(min(i, j)), int(max(i, j))


def _sums(vectors, weights, labels, k) -> np.ndarray:
    sums = np.zeros((k, vectors.shape[1]))
    np.add.at(sums, labels, vectors * weights[:, None])
    return sums


def _halves(vectors, weights, members, seed, threads) -> T.Clustering:
    start = T.ward_centers(vectors[members], weights[members], 2, seed)
    return T.kmeans(vectors[members], 2, seed, weights[members], init=start, threads=threads)


def _merge_split_step(vectors, weights, found, seed, threads) -> T.Clustering | None:
    _ratio, i, j = worst_pair(vectors, weights, found)
    k = found.centers.shape[0]
    labels = found.labels.copy()
    labels[labels == j] = i
    sums = _sums(vectors, weights, labels, k)
    _spread, total = _spreads(vectors, weights, labels, normalize(sums))
    total[[i, j]] = -1.0  # the merged theme is not split again (that would undo the merge)
    chosen = int(np.argmax(total))
    members = np.nonzero(labels == chosen)[0]
    if len(members) < 2:
        return None
    two = _halves(vectors, weights, members, seed, threads)
    kept = [sums[u] for u in range(k) if u not in (j, chosen)]
    start = normalize(np.array(kept + list(two.centers))).astype(vectors.dtype)
    return T._relabel_by_size(T.kmeans(vectors, k, seed, weights, init=start), weights)


def merge_split(accept: str = "ratio", rounds: int = 3) -> Finder:
    """G1: after the engine's k-means, up to ``rounds`` merge-and-split steps, each kept
    only when the worst pair's ratio (``accept="ratio"``) or the total spread
    (``"spread"``) falls."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = _threads(args, kwargs)
        found = ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs)
        if found.centers.shape[0] < 4:
            return found
        for _ in range(rounds):
            step = _merge_split_step(vectors, weights, found, seed, threads)
            if step is None:
                break
            if accept == "ratio":
                better = (
                    worst_pair(vectors, weights, step)[0] < worst_pair(vectors, weights, found)[0]
                )
            else:
                better = (
                    _spreads(vectors, weights, step.labels, step.centers)[1].sum()
                    < _spreads(vectors, weights, found.labels, found.centers)[1].sum()
                )
            if not better:
                break
            found = step
        return found

    return find


def merge_best_split(rounds: int = 3, refine: bool = False) -> Finder:
    """G1b: merge the worst pair, split the theme whose two halves are best apart (lowest
    ratio, below the merged pair's), answers to their nearest centre (k-means again with
    ``refine``)."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = _threads(args, kwargs)
        found = ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs)
        k = found.centers.shape[0]
        if k < 4:
            return found
        for _ in range(rounds):
            labels = (vectors @ found.centers.T).argmax(axis=1)
            ratio, i, j = worst_pair(vectors, weights, T.Clustering(labels, found.centers))
            labels[labels == j] = i
            best, split = ratio, None
            for theme in range(k):
                members = np.nonzero(labels == theme)[0]
                if theme in (i, j) or len(members) < 6:
                    continue
                two = _halves(vectors, weights, members, seed, threads)
                apart = worst_pair(vectors[members], weights[members], two)[0]
                if apart < best:
                    best, split = apart, (theme, two.centers)
            if split is None:
                break
            sums = normalize(_sums(vectors, weights, labels, k))
            kept = [sums[u] for u in range(k) if u not in (j, split[0])]
            centers = normalize(np.array(kept + list(split[1]))).astype(vectors.dtype)
            if refine:
                found = T.kmeans(vectors, k, seed, weights, init=centers, threads=threads)
            else:
                found = T.Clustering((vectors @ centers.T).argmax(axis=1), centers)
        return T._relabel_by_size(found, weights)

    return find


# ---- G2: Ward's start on the densest answers; G3: spectral grouping ----


def dense_start(share: float, start: str = "ward", count: int = 10) -> Finder:
    """G2: k-means started from Ward's groups (or the best of five k-means++ starts) of the
    ``share`` of answers most similar to their ``count`` nearest."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = _threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        density = fit_module.nearest_others(vectors, None, seed=0, threads=1, count=count)
        order = np.argsort(-density, kind="stable")
        keep = np.sort(order[: max(3 * k, int(round(share * len(order))))])
        if start == "ward":
            init = T.ward_centers(vectors[keep], weights[keep], k, seed)
        else:
            init = T.kmeans(vectors[keep], k, seed, weights[keep], n_init=5).centers
        found = T.kmeans(vectors, k, seed, weights, init=init, threads=threads)
        return T._relabel_by_size(found, weights)

    return find


def spectral(neighbours: int = 15, refine: bool = True) -> Finder:
    """G3: the answers' symmetric ``neighbours``-nearest graph (cosine weights), its
    spectral embedding (k eigenvectors, rows unit length), Ward's start and k-means there;
    centres the groups' mean vectors, refined by k-means on the vectors with ``refine``."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = _threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        n = len(vectors)
        count = min(neighbours + 1, n)
        near = nearest(vectors, vectors, count)
        rows, cols = np.repeat(np.arange(n), count), near.ravel()
        similarity = np.clip(np.einsum("ij,ij->i", vectors[rows], vectors[cols]), 0.0, None)
        graph = sp.csr_matrix((similarity, (rows, cols)), shape=(n, n))
        graph = ((graph + graph.T) / 2).tolil()
        graph.setdiag(0)
        graph = graph.tocsr()
        graph.eliminate_zeros()
        embedded = normalize(
            spectral_embedding(graph, n_components=k, random_state=seed, drop_first=False)
        )
        start = T.ward_centers(embedded, weights, k, seed)
        groups = T.kmeans(embedded, k, seed, weights, init=start, threads=threads)
        centers = normalize(_sums(vectors, weights, groups.labels, k)).astype(vectors.dtype)
        if refine:
            found = T.kmeans(vectors, k, seed, weights, init=centers, threads=threads)
        else:
            found = T.Clustering((vectors @ centers.T).argmax(axis=1), centers)
        return T._relabel_by_size(found, weights)

    return find


# ---- G4: themes found among the answers' separate points ----

POINTS_NOW: list[T.Points] = []  # the run's points, set by :func:`themes_of` for G4


def point_centres(refine: bool = False, whole: float = 0.0) -> Finder:
    """G4: k-means (Ward's start) on the answers' separate points, an answer making one
    point standing for itself and each point of one making several for its share of the
    answer's weight; the centres found there group the whole answers (each to its nearest;
    k-means again on the answers from them with ``refine``). A theme's centre is then one
    point's, not pulled towards the answers joining it with another. With ``whole`` above
    0, an answer making several points also stands for that share of its weight itself
    (its points share the rest)."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = _threads(args, kwargs)
        points = POINTS_NOW[-1] if POINTS_NOW else None
        if points is None or not len(points.owners):
            return ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs)
        several = np.bincount(points.owners, minlength=len(vectors))
        alone = np.nonzero(several == 0)[0]
        if whole > 0:
            alone = np.arange(len(vectors))
        own = weights[alone] * np.where(several[alone] > 0, whole, 1.0)
        pool = np.vstack([vectors[alone], points.vectors]).astype(vectors.dtype)
        share = (1.0 - whole) * weights[points.owners] / several[points.owners]
        pool_weights = np.concatenate([own, share])
        k = min(n_themes, T.distinct_count(pool))
        start = T.ward_centers(pool, pool_weights, k, seed)
        found = T.kmeans(pool, k, seed, pool_weights, init=start, threads=threads)
        if refine:
            out = T.kmeans(vectors, k, seed, weights, init=found.centers, threads=threads)
        else:
            out = T.Clustering((vectors @ found.centers.T).argmax(axis=1), found.centers)
        return T._relabel_by_size(out, weights)

    return find


# ---- R1 / R2: the vectors reweighed before neighbour averaging ----


def reweigh(kind: str, value: float) -> Callable[[np.ndarray], Callable]:
    """R1: a map of unsmoothed vectors learnt on the fit's own (``kind``: "pc", the first
    ``value`` uncentred principal directions out; "pcpart", ``value`` of the first out;
    "centre"; "whiten", each principal direction scaled by eigenvalue^(-value/2); "dims",
    only the first ``value``; "pcdims", the first out and the next ``value`` kept)."""

    def make(own: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        own64 = own.astype(np.float64)
        values, axes = np.linalg.eigh(own64.T @ own64 / len(own))
        values, axes = values[::-1], axes[:, ::-1]
        mean = own64.mean(axis=0)
        width = int(value)

        def apply(x: np.ndarray) -> np.ndarray:
            x = x.astype(np.float64)
            if kind == "pc":
                x = x - (x @ axes[:, :width]) @ axes[:, :width].T
            elif kind == "pcpart":
                x = x - value * (x @ axes[:, :1]) @ axes[:, :1].T
            elif kind == "centre":
                x = x - value * mean
            elif kind == "whiten":
                x = (x @ axes) * np.maximum(values, 1e-9) ** (-value / 2)
            elif kind == "dims":
                x = x @ axes[:, :width]
            elif kind == "pcdims":
                x = x @ axes[:, 1 : width + 1]
            return normalize(x).astype(np.float32)

        return apply

    return make


class LessCommon:
    """R2: the fast engine's static vectors less ``share`` of their first uncentred
    principal direction (SIF's common component), learnt on the fit's texts."""

    def __init__(self, inner, texts: list[str], share: float) -> None:
        self.inner, self.share = inner, share
        own = inner.transform(texts).astype(np.float64)
        self.top = np.linalg.eigh(own.T @ own)[1][:, -1:]

    def transform(self, texts: list[str]) -> np.ndarray:
        x = self.inner.transform(texts).astype(np.float64)
        return normalize(x - self.share * (x @ self.top) @ self.top.T).astype(np.float32)


# ---- nmis34: consensus over k-means runs, mutual-neighbour graphs, two views ----

KEEP_NOW: list[np.ndarray] = []  # the finder's own labels, kept as primaries ("keep" variants)
MINILM_DIM = 384  # the semantic engine's vectors: MiniLM's 384 columns, then the word block


def _spaces(vectors: np.ndarray, views: str) -> list[np.ndarray]:
    """The spaces a consensus runs k-means in: "joined" (the vectors as grouped), "two"
    (the semantic engine's MiniLM columns and its word block, each unit length: two views
    of one answer), "three" (both and the joined)."""
    if views == "joined" or vectors.shape[1] <= MINILM_DIM:
        return [vectors]
    minilm = normalize(vectors[:, :MINILM_DIM]).astype(vectors.dtype)
    words = normalize(vectors[:, MINILM_DIM:]).astype(vectors.dtype)
    return [minilm, words] if views == "two" else [vectors, minilm, words]


def _groups_to_clustering(vectors, weights, groups, k, seed, threads, refine) -> T.Clustering:
    """Centres (weighted unit means) of ``groups``; labels the groups themselves (the
    "keep" variants keep them as primaries too), or k-means again from those centres with
    ``refine``."""
    groups = np.unique(groups, return_inverse=True)[1].astype(np.int64)
    count = int(groups.max()) + 1
    centers = normalize(_sums(vectors, weights, groups, count)).astype(vectors.dtype)
    if refine:
        return T._relabel_by_size(
            T.kmeans(vectors, count, seed, weights, init=centers, threads=threads), weights
        )
    return T._relabel_by_size(T.Clustering(groups, centers), weights)


def consensus(
    runs: int = 10,
    views: str = "joined",
    final: str = "average",
    refine: bool = False,
    bagged: float = 0.0,
) -> Finder:
    """G5: ``runs`` k-means fits (one k-means++ start each, seeds drawn from ``seed``; in
    turn over the spaces of ``views``: :func:`_spaces`) make a co-association matrix (the
    share of runs putting two answers together); the k themes are cut from it by average
    linkage on 1 - share (``final="average"``) or by k-means on its spectral embedding
    (``"spectral"``). Run 0 is the engine's own Ward-started k-means. With ``bagged``
    above 0, each later run is Ward-started too, from Ward's groups of a seeded ``bagged``
    share of the answers (bagged Ward), k-means then on all."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = _threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        n = len(vectors)
        if k < 2 or n < 3 * k:
            return ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs)
        spaces = _spaces(vectors, views)
        together = np.zeros((n, n), dtype=np.float32)
        drawn = np.random.RandomState(seed).randint(0, 2**31 - 1, size=runs)
        for r, start in enumerate(drawn):
            if r == 0:
                labels = ORIGINAL_FIND(vectors, weights, k, seed, *args, **kwargs).labels
            else:
                space = spaces[r % len(spaces)]
                init = None
                if bagged > 0:
                    chosen = np.sort(
                        np.random.default_rng(int(start)).choice(n, int(bagged * n), replace=False)
                    )
                    init = T.ward_centers(space[chosen], weights[chosen], k, seed)
                labels = T.kmeans(
                    space, k, int(start), weights, n_init=1, init=init, threads=threads
                ).labels
            together += labels[:, None] == labels[None, :]
        together /= runs
        if final == "average":
            distance = 1.0 - together.astype(np.float64)
            np.fill_diagonal(distance, 0.0)
            tree = linkage(squareform(distance, checks=False), method="average")
            groups = fcluster(tree, k, criterion="maxclust") - 1
        else:
            embedded = normalize(
                spectral_embedding(
                    sp.csr_matrix(together), n_components=k, random_state=seed, drop_first=False
                )
            )
            start = T.ward_centers(embedded, weights, k, seed)
            groups = T.kmeans(embedded, k, seed, weights, init=start, threads=threads).labels
        found = _groups_to_clustering(vectors, weights, groups, k, seed, threads, refine)
        KEEP_NOW.append(found.labels)
        return found

    return find


def mutual_graph(vectors: np.ndarray, neighbours: int, weak: float = 0.05) -> sp.csr_matrix:
    """The answers' mutual ``neighbours``-nearest graph (an edge where each is among the
    other's nearest; cosine weights, clipped at 0), plus ``weak`` times the symmetric
    nearest graph so no answer is left alone."""
    n = len(vectors)
    count = min(neighbours + 1, n)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    near = np.argpartition(-similarity, count - 1, axis=1)[:, : count - 1]
    rows = np.repeat(np.arange(n), near.shape[1])
    values = np.clip(similarity[rows, near.ravel()], 0.0, None)
    graph = sp.csr_matrix((values, (rows, near.ravel())), shape=(n, n))
    mutual = graph.minimum(graph.T)
    both = (graph + graph.T) / 2
    out = (mutual + weak * both).tocsr()
    out.eliminate_zeros()
    return out


def two_view_graph(vectors: np.ndarray, neighbours: int, weak: float) -> sp.csr_matrix:
    """The mutual graphs of the MiniLM columns and of the word block, averaged."""
    spaces = _spaces(vectors, "two")
    graphs = [mutual_graph(space, neighbours, weak) for space in spaces]
    return (sum(graphs) / len(graphs)).tocsr()


def mutual_spectral(
    neighbours: int = 15, refine: bool = False, two: bool = False, weak: float = 0.05
) -> Finder:
    """G6: spectral grouping on the mutual-nearest graph (:func:`mutual_graph`; both views'
    graphs averaged with ``two``), k eigenvectors, rows unit length, Ward's start and
    k-means there; the groups kept as themes (centres their means; k-means again on the
    vectors from them with ``refine``)."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = _threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        if k < 2 or len(vectors) < 3 * k:
            return ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs)
        graph = (
            two_view_graph(vectors, neighbours, weak)
            if two
            else mutual_graph(vectors, neighbours, weak)
        )
        embedded = normalize(
            spectral_embedding(graph, n_components=k, random_state=seed, drop_first=False)
        )
        start = T.ward_centers(embedded, weights, k, seed)
        groups = T.kmeans(embedded, k, seed, weights, init=start, threads=threads).labels
        found = _groups_to_clustering(vectors, weights, groups, k, seed, threads, refine)
        KEEP_NOW.append(found.labels)
        return found

    return find


def louvain(graph: sp.csr_matrix, resolution: float, seed: int) -> np.ndarray:
    """Louvain's modularity grouping of a symmetric weighted graph (local moves in a seeded
    order, then the groups made nodes, until nothing moves); each node's group."""
    rng = np.random.default_rng(seed)
    graph = sp.csr_matrix(graph, dtype=np.float64)
    member = np.arange(graph.shape[0])
    total = graph.sum()
    while True:
        n = graph.shape[0]
        degree = np.asarray(graph.sum(axis=1)).ravel()
        group = np.arange(n)
        mass = degree.copy()
        moved_any = False
        for _ in range(20):
            moved = 0
            for node in rng.permutation(n):
                start, end = graph.indptr[node], graph.indptr[node + 1]
                near, weight = graph.indices[start:end], graph.data[start:end]
                own = group[node]
                mass[own] -= degree[node]
                links: dict[int, float] = {}
                for other, w in zip(near, weight, strict=True):
                    if other != node:
                        links[group[other]] = links.get(group[other], 0.0) + w
                best, gain = (
                    own,
                    links.get(own, 0.0) - resolution * degree[node] * mass[own] / total,
                )
                for candidate, w in links.items():
                    value = w - resolution * degree[node] * mass[candidate] / total
                    if value > gain + 1e-12:
                        best, gain = candidate, value
                group[node] = best
                mass[best] += degree[node]
                moved += best != own
            moved_any = moved_any or moved > 0
            if not moved:
                break
        _, group = np.unique(group, return_inverse=True)
        member = group[member]
        if not moved_any or group.max() + 1 == n:
            return member
        lift = sp.csr_matrix((np.ones(n), (group, np.arange(n))), shape=(group.max() + 1, n))
        graph = (lift @ graph @ lift.T).tocsr()


def louvain_k(neighbours: int = 15, weak: float = 0.05) -> Finder:
    """G7: Louvain on the mutual-nearest graph (:func:`mutual_graph`), its resolution
    halved or doubled (then bisected) until it finds at least k groups; groups beyond k
    joined by Ward's linkage of their centres; the groups kept as themes."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = _threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        if k < 2 or len(vectors) < 3 * k:
            return ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs)
        graph = mutual_graph(vectors, neighbours, weak)
        low, high, groups = 0.0, 1.0, louvain(graph, 1.0, seed)
        while groups.max() + 1 < k and high < 64:
            low, high = high, high * 2
            groups = louvain(graph, high, seed)
        for _ in range(6):  # the lowest resolution found giving at least k groups
            middle = (low + high) / 2
            trial = louvain(graph, middle, seed)
            if trial.max() + 1 >= k:
                high, groups = middle, trial
            else:
                low = middle
        count = int(groups.max()) + 1
        if count > k:
            centres = normalize(_sums(vectors, weights, groups, count))
            joined = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(centres)
            groups = joined[groups]
        found = _groups_to_clustering(vectors, weights, groups, k, seed, threads, False)
        KEEP_NOW.append(found.labels)
        return found

    return find


def abtt(count: int, minilm: bool = False) -> Callable[[np.ndarray], Callable]:
    """R4: all-but-the-top (Mu and Viswanath): the fit's mean and its first ``count``
    centred principal directions out of every vector, then unit length; with ``minilm``,
    out of the MiniLM columns only (kept at their length; the word block as it is)."""

    def make(own: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        width = MINILM_DIM if minilm else own.shape[1]
        own64 = own[:, :width].astype(np.float64)
        mean = own64.mean(axis=0)
        centred = own64 - mean
        axes = np.linalg.eigh(centred.T @ centred)[1][:, ::-1][:, :count]

        def apply(x: np.ndarray) -> np.ndarray:
            x = x.astype(np.float64)
            part = x[:, :width]
            length = np.linalg.norm(part, axis=1, keepdims=True)
            part = part - mean
            part = normalize(part - (part @ axes) @ axes.T) * (length if minilm else 1.0)
            return normalize(np.hstack([part, x[:, width:]])).astype(np.float32)

        return apply

    return make


def _own(run, texts: list[str] | None = None) -> np.ndarray:
    """The run's unsmoothed vectors (of ``texts`` when given, in the learned space)."""
    rep = run.representation
    if texts is None:
        return rep.joined_ if rep.name == "semantic" else rep.views_
    tokens = run.tokenizer.transform(texts)
    if rep.name == "semantic":
        return rep._join(texts, rep._views(texts, tokens))
    return rep._project(rep._views(texts, tokens))


def reweighed(run, maker) -> tuple[np.ndarray, T.Points]:
    """The run's vectors and its answers' points' vectors under a R1 map or R2 share."""
    rep = run.representation
    neighbours = rep.neighbours
    if isinstance(maker, dict):  # R3: the fast engine's own settings
        neighbours = int(maker.get("neighbours", neighbours))
        run = copy.copy(run)
        run.representation = rep = copy.copy(rep)
        rep.static_weight = float(maker.get("static_weight", rep.static_weight))
        views = rep._join_static(
            rep._combine(
                rep.svd_.transform(rep._less_question(rep.term_matrix_)),
                rep._less_question(rep.term_matrix_),
            ),
            rep.static_.transform(run.rep_texts),
        )
        rep.axes_ = principal_axes(views, rep.dims)
        new = rep._project(views)

        def apply(x):
            return x
    elif isinstance(maker, float):  # R2: the static view's common component out
        run = copy.copy(run)
        run.representation = rep = copy.copy(rep)
        rep.static_ = LessCommon(rep.static_, run.rep_texts, maker)
        new = rep._project(rep._views(run.rep_texts, run.rep_tokens))

        def apply(x):
            return x
    elif isinstance(maker, tuple):  # R5: the neighbours averaged over, vectors as they are
        neighbours = int(maker[1])

        def apply(x):
            return x

        new = _own(run)
    else:
        apply = maker(_own(run))
        new = apply(_own(run))
    if neighbours <= 0:  # no neighbour averaging: the unsmoothed vectors themselves
        owners, parts = points_of(run.rep_texts)
        points = apply(_own(run, parts)) if parts else np.zeros((0, new.shape[1]))
        return new, T.Points(np.array(owners, dtype=np.int64), points)
    found = cells(new, rep.cell_size, rep.seed)
    vectors = neighbour_average(new, neighbours, seed=rep.seed, threads=1, found=found)
    owners, parts = points_of(run.rep_texts)
    if not parts:
        return vectors, T.Points(np.zeros(0, dtype=np.int64), np.zeros((0, vectors.shape[1])))
    points = neighbour_average_new(apply(_own(run, parts)), new, neighbours, 1, found=found)
    return vectors, T.Points(np.array(owners, dtype=np.int64), points)


VARIANTS: dict[str, dict] = {
    "off": {},
    "G1 ratio r3": {"find": merge_split("ratio", 3)},
    "G1 spread r3": {"find": merge_split("spread", 3)},
    "G1 ratio r10": {"find": merge_split("ratio", 10)},
    "G1b r3": {"find": merge_best_split(3)},
    "G1b r3 refine": {"find": merge_best_split(3, refine=True)},
    "G2 ward 0.5": {"find": dense_start(0.5)},
    "G2 ward 0.7": {"find": dense_start(0.7)},
    "G2 k-means++ 0.5": {"find": dense_start(0.5, "k-means++")},
    "G3 spectral 15": {"find": spectral(15)},
    "G3 spectral 15 norefine": {"find": spectral(15, refine=False)},
    "G3 spectral 30": {"find": spectral(30)},
    "G4 points": {"find": point_centres()},
    "G4 points refine": {"find": point_centres(refine=True)},
    "G4 points half": {"find": point_centres(whole=0.5)},
    "G4 points half refine": {"find": point_centres(refine=True, whole=0.5)},
    "R1 pc1": {"vectors": reweigh("pc", 1)},
    "R1 pc2": {"vectors": reweigh("pc", 2)},
    "R1 pc1 half": {"vectors": reweigh("pcpart", 0.5)},
    "R1 centre": {"vectors": reweigh("centre", 1.0)},
    "R1 whiten 0.5": {"vectors": reweigh("whiten", 0.5)},
    "R1 whiten 1": {"vectors": reweigh("whiten", 1.0)},
    "R1 dims 64": {"vectors": reweigh("dims", 64)},
    "R1 dims 48": {"vectors": reweigh("dims", 48)},
    "R1 dims 32": {"vectors": reweigh("dims", 32)},
    "R1 dims 24": {"vectors": reweigh("dims", 24)},
    "R1 dims 16": {"vectors": reweigh("dims", 16)},
    "R1 pc1 dims 32": {"vectors": reweigh("pcdims", 32)},
    "R3 static 0.5": {"vectors": {"static_weight": 0.5}},
    "R3 static 0.3": {"vectors": {"static_weight": 0.3}},
    "R3 static 0.7": {"vectors": {"static_weight": 0.7}},
    "R3 static 0.85": {"vectors": {"static_weight": 0.85}},
    "R3 neighbours 5": {"vectors": {"neighbours": 5}},
    "R3 neighbours 20": {"vectors": {"neighbours": 20}},
    "R2 static common 1": {"vectors": 1.0},
    "R2 static common 0.5": {"vectors": 0.5},
    "G5 consensus 10": {"find": consensus(10)},
    "G5 consensus 10 keep": {"find": consensus(10), "keep": True},
    "G5 consensus 20 keep": {"find": consensus(20), "keep": True},
    "G5 consensus 10 spectral keep": {"find": consensus(10, final="spectral"), "keep": True},
    "G5 consensus 10 refine": {"find": consensus(10, refine=True)},
    "G5 bagged ward 10 keep": {"find": consensus(10, bagged=0.8), "keep": True},
    "G5 bagged ward 10 refine": {"find": consensus(10, bagged=0.8, refine=True)},
    "G5 two-view 12 keep": {"find": consensus(12, views="two"), "keep": True},
    "G5 three-view 12 keep": {"find": consensus(12, views="three"), "keep": True},
    "G5 three-view 12 refine": {"find": consensus(12, views="three", refine=True)},
    "G6 mutual 10 keep": {"find": mutual_spectral(10), "keep": True},
    "G6 mutual 15 keep": {"find": mutual_spectral(15), "keep": True},
    "G6 mutual 30 keep": {"find": mutual_spectral(30), "keep": True},
    "G6 mutual 15": {"find": mutual_spectral(15)},
    "G6 mutual 15 refine": {"find": mutual_spectral(15, refine=True)},
    "G6 two-view 15 keep": {"find": mutual_spectral(15, two=True), "keep": True},
    "G7 louvain 15 keep": {"find": louvain_k(15), "keep": True},
    "R5 neighbours 0": {"vectors": ("neighbours", 0)},
    "R5 neighbours 5": {"vectors": ("neighbours", 5)},
    "R5 neighbours 10": {"vectors": ("neighbours", 10)},
    "R5 neighbours 20": {"vectors": ("neighbours", 20)},
    "R5 neighbours 40": {"vectors": ("neighbours", 40)},
    "R4 abtt 1": {"vectors": abtt(1)},
    "R4 abtt minilm 1": {"vectors": abtt(1, minilm=True)},
    "R4 abtt minilm 3": {"vectors": abtt(3, minilm=True)},
    "R4 abtt 3": {"vectors": abtt(3)},
    "R4 abtt 7": {"vectors": abtt(7)},
}


def _kept_memberships(vectors: np.ndarray, centers: np.ndarray) -> T.Membership:
    """:func:`analysis.themes.memberships` with the finder's own labels (``KEEP_NOW``) as
    each answer's primary theme in place of its nearest centre."""
    member = ORIGINAL_MEMBERSHIPS(vectors, centers)
    if not KEEP_NOW or len(KEEP_NOW[-1]) != len(vectors):
        return member
    primary = np.asarray(KEEP_NOW[-1], dtype=np.int64)
    similarity = np.einsum("ij,ij->i", vectors, centers[primary])
    return T.Membership(
        primary,
        np.clip(similarity, 0.0, 1.0).astype(member.confidence.dtype),
        [[int(p)] for p in primary],
    )


def themes_of(
    run, k: int, engine: str, seed: int, find=None, vectors=None, keep: bool = False
) -> stages.FitRun:
    """A copy of ``run`` through the theme stage with ``k`` themes, the variant's finder
    and vectors (and points) in place of the engine's; with ``keep``, each answer's primary
    theme is the finder's group rather than its nearest centre (G5/G6 "keep")."""
    done = copy.copy(run)
    done.requested = k
    points = None
    if vectors is not None:
        done.vectors, points = vectors
        done.fit_reps = None
    if points is None:
        points = ORIGINAL_POINTS(done)
    POINTS_NOW.append(points)
    try:
        stages.find_themes = find or ORIGINAL_FIND
        stages._points = lambda _run: points
        if keep:
            stages.memberships = _kept_memberships
        ThemeModel(n_themes=k, engine=engine, seed=seed)._steps()["themes"](done)
    finally:
        stages.find_themes, stages._points = ORIGINAL_FIND, ORIGINAL_POINTS
        stages.memberships = ORIGINAL_MEMBERSHIPS
        POINTS_NOW.clear()
        KEEP_NOW.clear()
    return done


def score(sets: list[tuple], engine: str, seed: int, variant: dict) -> dict[str, float]:
    """Per set label: NMI % of the primary themes (single-label) or matched F1 % of every
    theme (multi-label); ArgKP's motions as their mean."""
    from bench.quality import multilabel_f1

    out: dict[str, float] = {}
    motions = []
    demo: list[dict] = []  # per demo question: points split, themes mixed, point NMI
    for _name, kind, run, truths in sets:
        if "vectors" in variant:
            vectors = reweighed(run, variant["vectors"])
        else:  # the engine's own, its points' vectors made once for both label sets
            vectors = (run.vectors, ORIGINAL_POINTS(run))
        for label, truth in truths:
            flat = truth if kind == "single" else [x for row in truth for x in row]
            if kind == "demo":  # as many themes as the demo's points (bench.demo_report)
                from bench.demo_report import point_figures

                k = len(set(flat))
                done = themes_of(
                    run, k, engine, seed, variant.get("find"), vectors, variant.get("keep", False)
                )
                demo.append(point_figures([int(t) for t in done.labels], truth, k))
                continue
            done = themes_of(
                run,
                len(set(flat)),
                engine,
                seed,
                variant.get("find"),
                vectors,
                variant.get("keep", False),
            )
            if kind == "single":
                value = scores(truth, list(done.labels))["nmi"]
            else:
                value = multilabel_f1(truth, done.row_themes)
            if label == "argkp":
                motions.append(value)
            else:
                out[label] = value
    if motions:
        out["argkp"] = statistics.mean(motions)
    if demo:
        out["demo split"] = float(sum(d["split"] for d in demo))
        out["demo mixed"] = float(sum(d["mixed"] for d in demo))
        out["demo point NMI"] = statistics.mean(d["point_nmi"] for d in demo)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["prepare", "score"])
    parser.add_argument("--engine", choices=["fast", "semantic"], default="fast")
    parser.add_argument(
        "--sets", choices=["dev", "nhsC", "fresh", "v6", "v6one", "demo"], default="dev"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", help="comma-separated names (default: all)")
    parser.add_argument("--v6-file", type=Path, default=Path("/work/extra/v6.csv"))
    args = parser.parse_args()
    path = cache_dir() / f"{args.engine}-{args.sets}-seed{args.seed}.pkl"
    if args.action == "prepare":
        path.parent.mkdir(parents=True, exist_ok=True)
        sets = load_sets(args.sets, args.engine, args.seed, args.v6_file)
        path.write_bytes(pickle.dumps(sets))
        print("prepared", path)
        return
    score_variants(pickle.loads(path.read_bytes()), args, VARIANTS, score)


def score_variants(
    sets: list[tuple], args: argparse.Namespace, variants: dict, scorer: Callable
) -> None:
    """Print one line per variant named in ``args.variants`` (all of ``variants`` when none;
    "off" first, the baseline each gain is against): ``scorer(sets, engine, seed, variant)``'s
    figures, each with its gain, the mean of the NHS and ArgKP gains, and the time taken
    (:mod:`bench.vector_leads` prints its variants this way too)."""
    names = ["off"] + [n for n in (args.variants or "").split(",") if n and n != "off"]
    if not args.variants:
        names = list(variants)
    base = None
    for name in names:
        started = time.perf_counter()
        got = scorer(sets, args.engine, args.seed, variants[name])
        base = base or got
        core = [got[k] - base[k] for k in ("nhs9", "nhs44", "argkp") if k in got]
        cells_text = " | ".join(f"{k} {v:.2f} ({v - base[k]:+.2f})" for k, v in got.items())
        mean = f" | mean of NHS and ArgKP gains {statistics.mean(core):+.2f}" if core else ""
        print(
            f"{args.engine} {args.sets} seed {args.seed} | {name} | {cells_text}{mean}"
            f" | {time.perf_counter() - started:.0f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
