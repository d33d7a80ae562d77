"""Neighbourhood smoothing: each answer's vector is averaged with those of its nearest
neighbours before clustering.

Short answers embed noisily; adding the mean of an answer's closest answers pulls it towards
what similar answers say, which tightens themes (with 10 neighbours, over the four benchmark
sets and 3 seeds: +1.3 mean NMI on the joined vectors alone; inside the semantic engine, +0.4
with the number of themes given and +0.9 with auto). Neighbours are exact up to
``cell_size`` vectors; beyond that they are searched within cells found by a quick k-means,
so the cost grows linearly rather than with the square of the number of answers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sklearn.preprocessing import normalize

from .parallel import map_side_by_side


@dataclass(frozen=True)
class Cells:
    """A cell number per pool vector and each cell's centre."""

    labels: np.ndarray
    centers: np.ndarray


def nearest(
    queries: np.ndarray, pool: np.ndarray, count: int, block: int = 1024, threads: int = 1
) -> np.ndarray:
    """Row indices into ``pool`` of each query's ``count`` most similar rows (dot product;
    a query that is itself in the pool finds itself), sorted. Blocks of queries are shared
    among ``threads`` worker threads (numpy and BLAS release the GIL); each block's result
    does not depend on the thread count."""
    count = min(count, pool.shape[0])
    found = np.empty((queries.shape[0], count), dtype=np.int64)

    def search(start: int) -> None:
        similarity = queries[start : start + block] @ pool.T
        if count < pool.shape[0]:
            top = np.argpartition(-similarity, count - 1, axis=1)[:, :count]
        else:
            top = np.tile(np.arange(pool.shape[0]), (similarity.shape[0], 1))
        found[start : start + block] = np.sort(top, axis=1)

    map_side_by_side(search, range(0, queries.shape[0], block), threads)
    return found


def cells(vectors: np.ndarray, cell_size: int, seed: int) -> Cells | None:
    """Cells for searching ``vectors`` (a one-pass k-means with about ``cell_size / 2``
    vectors per cell), or None when there are at most ``cell_size`` vectors (one search)."""
    from .themes import kmeans

    if vectors.shape[0] <= cell_size:
        return None
    found = kmeans(vectors, math.ceil(2 * vectors.shape[0] / cell_size), seed, n_init=1)
    return Cells(np.asarray(found.labels), np.asarray(found.centers, dtype=np.float32))


def neighbour_average(
    vectors: np.ndarray,
    neighbours: int = 10,
    cell_size: int = 20000,
    seed: int = 0,
    threads: int = 2,
    found: Cells | None = None,
) -> np.ndarray:
    """Each unit vector plus the mean of its ``neighbours`` nearest others (and itself),
    re-normalised. ``neighbours=0`` returns the vectors unchanged. ``found``: the vectors'
    :func:`cells`, when already known."""
    if neighbours <= 0 or vectors.shape[0] < 2:
        return vectors
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    smoothed = np.empty_like(vectors)
    found = found if found is not None else cells(vectors, cell_size, seed)
    if found is None:
        groups = [np.arange(vectors.shape[0])]
    else:
        groups = [np.nonzero(found.labels == c)[0] for c in np.unique(found.labels)]
    for members in groups:
        local = vectors[members]
        near = nearest(local, local, neighbours + 1, threads=threads)
        smoothed[members] = local + local[near].mean(axis=1)
    return normalize(smoothed).astype(np.float32)


def neighbour_average_new(
    queries: np.ndarray,
    pool: np.ndarray,
    neighbours: int = 10,
    threads: int = 2,
    found: Cells | None = None,
) -> np.ndarray:
    """Smooth new vectors with their nearest vectors in ``pool`` (the unsmoothed training
    vectors), the way :func:`neighbour_average` smoothed the training vectors themselves:
    with the pool's ``found`` cells, each query searches only the cell nearest to it."""
    if neighbours <= 0 or queries.shape[0] == 0 or pool.shape[0] == 0:
        return queries
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    if found is None:
        near = nearest(queries, pool, neighbours + 1, threads=threads)
        return normalize(queries + pool[near].mean(axis=1)).astype(np.float32)
    smoothed = np.empty_like(queries)
    home = np.argmax(queries @ found.centers.T, axis=1)
    for cell in np.unique(home):
        asking = np.nonzero(home == cell)[0]
        members = np.nonzero(found.labels == cell)[0]
        local = pool[members]
        near = nearest(queries[asking], local, neighbours + 1, threads=threads)
        smoothed[asking] = queries[asking] + local[near].mean(axis=1)
    return normalize(smoothed).astype(np.float32)
