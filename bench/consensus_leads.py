"""Consensus, agglomerative and short-answer leads for the fast engine's grouping (issue 12,
BENCHMARKS.md "nmif34").

    .venv/bin/python -m bench.grouping_leads prepare --engine fast --sets dev
    .venv/bin/python -m bench.consensus_leads --engine fast --sets dev [--variants "off,E1 8"]

On :mod:`bench.grouping_leads`'s prepared runs, each variant changes the theme stage (k given)
and is scored as ``bench.grouping_leads score`` scores (NMI %, F1 % for the multi-label sets,
the gain over "off"). Leads not tried in nmi29-proj32:

- E1, consensus over seeds: the engine's own k-means (Ward's start) and ``runs - 1`` more
  k-means++ runs with other seeds; each answer is then described by which theme it took in
  each run (one-hot, the co-association matrix's factor) and those rows are grouped (Ward's
  start, k-means); the themes' centres are their answers' mean vectors, refined by k-means
  on the vectors with ``refine``.
- E2, consensus over representations: as E1, the runs being k-means on each of the fast
  engine's views alone (LSA, the PPMI word averages, the static word pieces; unsmoothed,
  then neighbour-averaged as the engine does) and on the joined vectors, ``seeds`` each.
- A1, agglomerative grouping on the answers' nearest-neighbour graph: Ward's (or average
  cosine) linkage allowed to join only neighbours (``neighbours`` nearest, on at most 3,000
  answers as the engine's Ward's start), the groups' mean vectors then k-means' start.
- S1, short answers (1-3 words) grouped by their head word: before grouping, each short
  answer's vector moves ``pull`` of the way to the mean of the short answers sharing its
  head (the last word, or the word most answers of the set use), so "Food." and "Good food"
  start together; the primary theme is still the nearest centre.
- O1, over-grouping: k-means into 2 / 3 / 5 x k themes, their centres joined into k by
  Ward's linkage, the joined groups' means k-means' start.
- N1, an NMF topic model of the TF-IDF matrix (k topics, each answer its strongest) as
  k-means' start; E3, E1's consensus with those topics among the runs.

Each variant keeps the rest of the engine (points, memberships, labels) as it is.
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize

from analysis import themes as T
from analysis.neighbours import cells, nearest, neighbour_average
from bench import grouping_leads as G

RUN_NOW: list = []  # the run whose themes are being found (set around G.themes_of)


def _one_hot(partitions: list[np.ndarray], ks: list[int]) -> np.ndarray:
    """Rows: each answer's theme in every partition, one-hot, each partition's block scaled
    to unit length (so the squared distance of two rows is 2 x the share of runs that part
    them: one minus the co-association)."""
    blocks = []
    for labels, k in zip(partitions, ks, strict=True):
        block = np.zeros((len(labels), k), dtype=np.float32)
        block[np.arange(len(labels)), labels] = 1.0
        blocks.append(block)
    return np.hstack(blocks) / np.sqrt(len(partitions))


def _from_groups(vectors, weights, labels, k, seed, threads, refine) -> T.Clustering:
    """Centres as the groups' mean vectors; k-means from them with ``refine``."""
    centers = normalize(G._sums(vectors, weights, labels, k)).astype(vectors.dtype)
    if refine:
        found = T.kmeans(vectors, k, seed, weights, init=centers, threads=threads)
    else:
        found = T.Clustering((vectors @ centers.T).argmax(axis=1), centers)
    return T._relabel_by_size(found, weights)


def _consensus(vectors, weights, partitions, k, seed, threads, refine) -> T.Clustering:
    rows = _one_hot(partitions, [int(p.max()) + 1 for p in partitions])
    start = T.ward_centers(rows, weights, k, seed)
    groups = T.kmeans(rows, k, seed, weights, init=start, threads=threads)
    return _from_groups(vectors, weights, groups.labels, k, seed, threads, refine)


def seed_consensus(runs: int = 8, refine: bool = True) -> G.Finder:
    """E1 (see the module's docstring)."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = G._threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        partitions = [G.ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs).labels]
        for extra in range(1, runs):
            partitions.append(T.kmeans(vectors, k, seed + 1000 * extra, weights, n_init=1).labels)
        return _consensus(vectors, weights, partitions, k, seed, threads, refine)

    return find


def view_vectors(run) -> list[np.ndarray]:
    """The fast engine's views of the run's answers alone (LSA, PPMI word averages, static
    pieces), each unit length and neighbour-averaged as the engine averages its joined
    vectors."""
    rep = run.representation
    matrix = rep._less_question(rep.term_matrix_)
    lsa = normalize(rep.svd_.transform(matrix))
    words = normalize(np.asarray(matrix @ rep.word_vectors_))
    static = normalize(rep.static_.transform(run.rep_texts))
    out = []
    for view in (lsa, words, static):
        view = view.astype(np.float32)
        found = cells(view, rep.cell_size, rep.seed)
        out.append(neighbour_average(view, rep.neighbours, seed=rep.seed, threads=1, found=found))
    return out


def view_consensus(seeds: int = 2, refine: bool = True, views: tuple = (0, 1, 2)) -> G.Finder:
    """E2 (see the module's docstring)."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = G._threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        partitions = [G.ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs).labels]
        extra_views = view_vectors(RUN_NOW[-1])
        for s in range(seeds):
            if s:
                partitions.append(T.kmeans(vectors, k, seed + 1000 * s, weights, n_init=1).labels)
            for index in views:
                view = extra_views[index]
                if s == 0:
                    start = T.ward_centers(view, weights, k, seed)
                    found = T.kmeans(view, k, seed, weights, init=start, threads=threads)
                else:
                    found = T.kmeans(view, k, seed + 1000 * s, weights, n_init=1)
                partitions.append(found.labels)
        return _consensus(vectors, weights, partitions, k, seed, threads, refine)

    return find


def nmf_groups(run, k: int, seed: int) -> np.ndarray:
    """Each answer's strongest topic of a k-topic NMF of the run's TF-IDF term matrix (the
    question's terms weighed down as the engine does; answers with no term: topic 0)."""
    from sklearn.decomposition import NMF

    rep = run.representation
    matrix = rep._less_question(rep.term_matrix_)
    model = NMF(k, init="nndsvda", random_state=seed, max_iter=300)
    return model.fit_transform(matrix).argmax(axis=1)


def nmf_start(refine: bool = True) -> G.Finder:
    """N1: an NMF topic model's groups (:func:`nmf_groups`) as k-means' start on the vectors."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = G._threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        groups = nmf_groups(RUN_NOW[-1], k, seed)
        return _from_groups(vectors, weights, groups, k, seed, threads, refine)

    return find


def nmf_consensus(seeds: int = 1, views: tuple = ()) -> G.Finder:
    """E3: E1/E2's consensus with an NMF topic model's groups among the runs."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = G._threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        partitions = [G.ORIGINAL_FIND(vectors, weights, n_themes, seed, *args, **kwargs).labels]
        partitions.append(nmf_groups(RUN_NOW[-1], k, seed))
        for extra in range(1, seeds):
            partitions.append(T.kmeans(vectors, k, seed + 1000 * extra, weights, n_init=1).labels)
        if views:
            extra_views = view_vectors(RUN_NOW[-1])
            for index in views:
                start = T.ward_centers(extra_views[index], weights, k, seed)
                found = T.kmeans(extra_views[index], k, seed, weights, init=start)
                partitions.append(found.labels)
        return _consensus(vectors, weights, partitions, k, seed, threads, True)

    return find


def agglomerative(neighbours: int = 10, linkage: str = "ward", limit: int = 3000) -> G.Finder:
    """A1 (see the module's docstring)."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = G._threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        n = len(vectors)
        chosen = np.arange(n)
        if n > limit:
            chosen = np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))
        sample = vectors[chosen]
        count = min(neighbours + 1, len(chosen))
        near = nearest(sample, sample, count)
        import scipy.sparse as sp

        rows = np.repeat(np.arange(len(chosen)), count)
        graph = sp.csr_matrix((np.ones(len(rows)), (rows, near.ravel())), (len(chosen),) * 2)
        model = AgglomerativeClustering(
            n_clusters=k,
            connectivity=graph,
            linkage=linkage,
            metric="euclidean" if linkage == "ward" else "cosine",
        )
        groups = model.fit_predict(sample)
        centers = normalize(G._sums(sample, weights[chosen], groups, k)).astype(vectors.dtype)
        found = T.kmeans(vectors, k, seed, weights, init=centers, threads=threads)
        return T._relabel_by_size(found, weights)

    return find


def over_merge(factor: int = 3, refine: bool = True) -> G.Finder:
    """O1: k-means into ``factor`` x k themes (Ward's start, as the engine), whose centres
    (weighted by their answers) Ward's linkage then joins into k; the joined groups' mean
    vectors start k-means on the answers (or each answer takes its nearest, no ``refine``)."""

    def find(vectors, weights, n_themes, seed, *args, **kwargs):
        threads = G._threads(args, kwargs)
        k = min(n_themes, T.distinct_count(vectors))
        many = min(factor * k, T.distinct_count(vectors))
        fine = G.ORIGINAL_FIND(vectors, weights, many, seed, *args, **kwargs)
        mass = np.bincount(fine.labels, weights=weights, minlength=many)
        joined = T.ward_centers(fine.centers, np.maximum(mass, 1e-9), k, seed)
        groups = (fine.centers @ joined.T).argmax(axis=1)[fine.labels]
        return _from_groups(vectors, weights, groups, k, seed, threads, refine)

    return find


def heads(tokens: list[list[str]], how: str = "last", longest: int = 3) -> list[str | None]:
    """Each answer's head word when it has 1 to ``longest`` words (phrase tokens, joined by
    "_", not counted), else None: its last word, or (``how`` = "common") the one most
    answers use."""
    words = [[t for t in row if "_" not in t] for row in tokens]
    use = Counter(w for row in words for w in set(row))
    out: list[str | None] = []
    for row in words:
        if not 1 <= len(row) <= longest:
            out.append(None)
        elif how == "last":
            out.append(row[-1])
        else:
            out.append(max(row, key=lambda w: (use[w], w)))
    return out


def short_pull(vectors, weights, tokens, pull: float, how: str) -> np.ndarray:
    """S1: each short answer moved ``pull`` of the way to the (weighted) mean of the short
    answers sharing its head (groups of two or more), unit length."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, head in enumerate(heads(tokens, how)):
        if head is not None:
            groups[head].append(index)
    out = vectors.astype(np.float64).copy()
    for members in groups.values():
        if len(members) < 2:
            continue
        rows = np.array(members)
        mean = normalize((vectors[rows] * weights[rows, None]).sum(axis=0, keepdims=True))[0]
        out[rows] = (1 - pull) * vectors[rows] + pull * mean
    return normalize(out).astype(vectors.dtype)


def short_heads(pull: float = 1.0, how: str = "last") -> Callable:
    """S1 as a maker of the run's (vectors, points)."""

    def make(run):
        return short_pull(run.vectors, run.weights, run.rep_tokens, pull, how), G.ORIGINAL_POINTS(
            run
        )

    return make


VARIANTS: dict[str, dict] = {
    "off": {},
    "E1 4": {"find": seed_consensus(4)},
    "E1 8": {"find": seed_consensus(8)},
    "E1 16": {"find": seed_consensus(16)},
    "E1 8 norefine": {"find": seed_consensus(8, refine=False)},
    "E2 views": {"find": view_consensus(1)},
    "E2 views x2": {"find": view_consensus(2)},
    "E2 views norefine": {"find": view_consensus(1, refine=False)},
    "E2 lsa+static": {"find": view_consensus(1, views=(0, 2))},
    "A1 ward 10": {"find": agglomerative(10)},
    "A1 ward 30": {"find": agglomerative(30)},
    "A1 average 10": {"find": agglomerative(10, "average")},
    "N1 nmf start": {"find": nmf_start()},
    "N1 nmf norefine": {"find": nmf_start(refine=False)},
    "E3 nmf": {"find": nmf_consensus()},
    "E3 nmf+seeds 4": {"find": nmf_consensus(4)},
    "E3 nmf+views": {"find": nmf_consensus(1, (0, 1, 2))},
    "O1 over 2": {"find": over_merge(2)},
    "O1 over 3": {"find": over_merge(3)},
    "O1 over 5": {"find": over_merge(5)},
    "O1 over 3 norefine": {"find": over_merge(3, refine=False)},
    "S1 last 1": {"prep": short_heads(1.0, "last")},
    "S1 last 0.5": {"prep": short_heads(0.5, "last")},
    "S1 common 1": {"prep": short_heads(1.0, "common")},
    "S1 common 0.5": {"prep": short_heads(0.5, "common")},
}


def score(sets: list[tuple], engine: str, seed: int, variant: dict) -> dict[str, float]:
    """:func:`bench.grouping_leads.score` with the run at hand known to the finder and S1's
    vectors in place of the run's."""
    original = G.themes_of

    def themes_of(run, k, engine, seed, find=None, vectors=None, keep=False):
        RUN_NOW.append(run)
        try:
            if "prep" in variant:
                vectors = variant["prep"](run)
            return original(run, k, engine, seed, find, vectors, keep)
        finally:
            RUN_NOW.clear()

    G.themes_of = themes_of
    try:
        return G.score(sets, engine, seed, {k: v for k, v in variant.items() if k != "prep"})
    finally:
        G.themes_of = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["fast", "semantic"], default="fast")
    parser.add_argument(
        "--sets", choices=["dev", "nhsC", "fresh", "v6", "v6one", "demo"], default="dev"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", help="comma-separated names (default: all)")
    args = parser.parse_args()
    path = G.cache_dir() / f"{args.engine}-{args.sets}-seed{args.seed}.pkl"
    G.score_variants(pickle.loads(path.read_bytes()), args, VARIANTS, score)


if __name__ == "__main__":
    main()
