"""Finding themes: deterministic k-means on unit vectors, an automatic number of themes by
over-clustering and merging similar centroids, stability by resampling, and multi-label
membership."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from .parallel import map_side_by_side


@dataclass
class Clustering:
    """Cluster number per vector and unit-length centroids."""

    labels: np.ndarray
    centers: np.ndarray


def _fit_once(
    vectors: np.ndarray,
    k: int,
    seed: int,
    weights: np.ndarray | None,
    init: np.ndarray | str,
    threads: int,
) -> KMeans:
    # OpenMP's thread count is per calling thread, so each worker thread sets its own.
    with threadpool_limits(threads, user_api="openmp"):
        return KMeans(n_clusters=k, init=init, n_init=1, random_state=seed, max_iter=100).fit(
            vectors, sample_weight=weights
        )


def kmeans(
    vectors: np.ndarray,
    k: int,
    seed: int,
    weights: np.ndarray | None = None,
    n_init: int = 5,
    init: np.ndarray | None = None,
    threads: int = 1,
    workers: int = 2,
) -> Clustering:
    """k-means under a fixed thread count (1 by default: faster and reproducible here).

    With ``n_init`` > 1, each k-means++ start has its own seed drawn from ``seed`` and the
    lowest inertia wins (ties to the earlier start); ``workers`` threads run the starts side
    by side, which does not change the result.
    """
    if init is not None:
        starts = [(seed, init)]
    else:
        drawn = np.random.RandomState(seed).randint(0, 2**31 - 1, size=max(1, n_init))
        starts = [(int(s), "k-means++") for s in drawn]

    def fit(start: tuple[int, np.ndarray | str]) -> KMeans:
        return _fit_once(vectors, k, start[0], weights, start[1], threads)

    fits = map_side_by_side(fit, starts, workers, threads)
    best = min(range(len(fits)), key=lambda i: (fits[i].inertia_, i))
    model = fits[best]
    return Clustering(model.labels_.astype(np.int64), normalize(model.cluster_centers_))


def _relabel_by_size(clustering: Clustering, weights: np.ndarray) -> Clustering:
    """Number clusters by total weight, largest first (ties by first member), dropping empties."""
    k = clustering.centers.shape[0]
    mass = np.bincount(clustering.labels, weights=weights, minlength=k)
    first = np.full(k, len(clustering.labels))
    for index, label in enumerate(clustering.labels):
        first[label] = min(first[label], index)
    order = [c for c in sorted(range(k), key=lambda c: (-mass[c], first[c])) if mass[c] > 0]
    mapping = np.full(k, -1)
    mapping[order] = np.arange(len(order))
    return Clustering(mapping[clustering.labels], clustering.centers[order])


def merge_centroids(
    centers: np.ndarray, weights: np.ndarray, threshold: float, lower: int, upper: int
) -> np.ndarray:
    """Group similar centroids (average linkage on cosine distance), cut where merges stop
    being closer than ``threshold``, kept within [lower, upper] groups. Returns group ids."""
    count = centers.shape[0]
    if count <= lower:
        return np.arange(count)
    if (np.linalg.norm(centers, axis=1) > 0).all():
        tree = linkage(centers, method="average", metric="cosine")
    else:
        # A centroid of answers with no usable words is all zeros, and its cosine distance
        # is undefined: count it as unrelated (distance 1) to every other centroid.
        norms = np.linalg.norm(centers, axis=1, keepdims=True)
        unit = np.divide(centers, norms, out=np.zeros_like(centers), where=norms > 0)
        distances = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
        np.fill_diagonal(distances, 0.0)
        tree = linkage(squareform(distances, checks=False), method="average")
    groups = fcluster(tree, t=threshold, criterion="distance")
    found = len(np.unique(groups))
    if found > upper:
        groups = fcluster(tree, t=upper, criterion="maxclust")
    elif found < lower:
        groups = fcluster(tree, t=lower, criterion="maxclust")
    return groups - 1


def distinct_count(vectors: np.ndarray) -> int:
    """How many different vectors there are: k-means cannot make more clusters than that
    (scikit-learn warns and leaves clusters empty)."""
    return len({row.tobytes() for row in np.ascontiguousarray(vectors)})


def choose_theme_count(
    vectors: np.ndarray,
    weights: np.ndarray,
    seed: int,
    min_themes: int = 5,
    max_themes: int = 30,
    merge_threshold: float = 0.4,
    threads: int = 1,
) -> int:
    """How many themes: over-cluster, then merge centroids closer than the threshold (cosine
    distance, average linkage), bounded to [min_themes, max_themes]."""
    count = vectors.shape[0]
    upper = max(1, min(max_themes, count // 3 or 1))
    lower = max(1, min(min_themes, upper))
    over = min(max(upper, min(3 * max_themes, count // 5 or 1)), distinct_count(vectors))
    fine = kmeans(vectors, over, seed, weights, n_init=1, threads=threads)
    fine_mass = np.bincount(fine.labels, weights=weights, minlength=over)
    used = fine_mass > 0
    groups = merge_centroids(fine.centers[used], fine_mass[used], merge_threshold, lower, upper)
    return int(groups.max()) + 1


def find_themes(
    vectors: np.ndarray,
    weights: np.ndarray,
    n_themes: int | None,
    seed: int,
    min_themes: int = 5,
    max_themes: int = 30,
    merge_threshold: float = 0.4,
    threads: int = 1,
) -> Clustering:
    """Cluster into exactly ``n_themes`` or, when it is None, into the number that
    :func:`choose_theme_count` finds. Themes are numbered largest first."""
    if n_themes is None:
        n_themes = choose_theme_count(
            vectors, weights, seed, min_themes, max_themes, merge_threshold, threads
        )
    k = min(n_themes, distinct_count(vectors))
    return _relabel_by_size(kmeans(vectors, k, seed, weights, threads=threads), weights)


def stability(
    vectors: np.ndarray,
    weights: np.ndarray,
    result: Clustering,
    seed: int,
    runs: int = 3,
    fraction: float = 0.8,
    threads: int = 1,
    workers: int = 2,
) -> np.ndarray:
    """Per theme, the mean best Jaccard overlap with themes re-found on random 80 % samples
    (1.0: the theme comes back whole every time). ``workers`` threads refit the samples side
    by side; the result does not depend on it."""
    k = result.centers.shape[0]
    count = vectors.shape[0]
    if count < 10 or k < 2:
        return np.ones(k)
    rng = np.random.default_rng(seed + 7919)
    samples = [
        np.sort(rng.choice(count, size=max(k, int(count * fraction)), replace=False))
        for _ in range(runs)
    ]

    def refit(run: int) -> Clustering:
        chosen = samples[run]
        return kmeans(
            vectors[chosen], k, seed + run + 1, weights[chosen], n_init=1, threads=threads
        )

    refits = map_side_by_side(refit, range(runs), workers, threads)
    scores = np.zeros(k)
    for chosen, again in zip(samples, refits, strict=True):
        original = result.labels[chosen]
        for theme in range(k):
            members = original == theme
            if not members.any():
                continue
            best = 0.0
            for other in np.unique(again.labels[members]):
                found = again.labels == other
                union = np.sum(weights[chosen][members | found])
                overlap = np.sum(weights[chosen][members & found])
                best = max(best, overlap / union if union else 0.0)
            scores[theme] += best
    return scores / runs


@dataclass
class Membership:
    """Each vector's primary theme, confidence, and every theme it substantially matches."""

    primary: np.ndarray
    confidence: np.ndarray
    themes: list[list[int]]


def memberships(
    vectors: np.ndarray, centers: np.ndarray, ratio: float = 0.8, quantile: float = 0.25
) -> Membership:
    """Primary theme by cosine similarity. Another theme also applies when the answer is at
    least as close to it as a typical member is (the ``quantile`` of its members'
    similarities) and within ``ratio`` of the primary similarity. Confidence is the
    similarity to the primary centroid (0-1)."""
    similarity = vectors @ centers.T
    primary = similarity.argmax(axis=1)
    best = similarity[np.arange(len(primary)), primary]
    k = centers.shape[0]
    typical = np.ones(k)
    for theme in range(k):
        members = best[primary == theme]
        if len(members):
            typical[theme] = float(np.quantile(members, quantile))
    themes = []
    for row, top in enumerate(best):
        qualifies = (similarity[row] >= typical) & (similarity[row] >= ratio * top)
        others = [int(t) for t in np.nonzero(qualifies)[0] if t != primary[row]]
        others.sort(key=lambda t: (-similarity[row, t], t))
        themes.append([int(primary[row]), *others])
    return Membership(primary.astype(np.int64), np.clip(best, 0.0, 1.0), themes)
