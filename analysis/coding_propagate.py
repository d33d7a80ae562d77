"""Label spreading over every answer of a consultation, coded or not, as one more column for
the coding model's combiner (``CodingModel(propagate=ALPHA)``; BENCHMARKS.md, "code34").

A graph joins each answer to its :data:`NEIGHBOURS` nearest (cosine of the unit vectors the
neighbour vote reads; weights the cosines, made symmetric and normalised, D^-1/2 W D^-1/2);
the coded rows' themes are spread over it (Zhou et al.'s label spreading, ``alpha`` the share
that flows on at each of :data:`ITERATIONS` steps), and each answer's column is its share of
the spread mass that is each theme's. Unlike the nearest coded answers' vote it reaches
answers through uncoded ones. Uncoded answers identical to each other take the mean of their
shares (:func:`twins_mean`: which of many identical answers a copy is joined to is a tie, and
identical words must be coded alike). New texts take the mean of their nearest fitted
answers' shares.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

NEIGHBOURS = 10
ITERATIONS = 20
CHUNK = 1024  # query rows compared at once, at most
# The most cosines one block holds (query rows times reference rows): with many answers fewer
# than CHUNK query rows are compared at once, so a block's memory (its float32 cosines, the
# int64 order argpartition returns, a sparse product's own) stays under about 150 MB (dense)
# or 300 MB (sparse, at worst) however many answers there are (rev34b: at 20,000 answers
# CHUNK rows took 417 MB, at 100,000 they would take about 2 GB). The graph is the same bit
# for bit (checked at 3,000 and 12,000 answers, dense and sparse).
BLOCK = 1 << 23


def chunk_rows(reference_rows: int) -> int:
    """How many query rows :func:`nearest` compares with ``reference_rows`` rows at once."""
    return max(1, min(CHUNK, BLOCK // max(reference_rows, 1)))


def cosines(query, reference) -> np.ndarray:
    """Dense cosines of unit rows (dense or sparse), float32."""
    if sp.issparse(query) or sp.issparse(reference):
        return np.asarray((query @ reference.T).toarray(), dtype=np.float32)
    query = np.asarray(query, dtype=np.float32)
    return query @ np.asarray(reference, dtype=np.float32).T


def nearest(query, reference, neighbours: int, skip_self: bool = False):
    """Each query row's ``neighbours`` most similar reference rows (unit rows, dense or
    sparse) and their cosines, computed :func:`chunk_rows` query rows at a time (at most
    :data:`CHUNK`, at most :data:`BLOCK` cosines); ``skip_self`` leaves row i out of query
    row i's (the query rows are the reference rows)."""
    rows = query.shape[0]
    k = min(neighbours, reference.shape[0] - int(skip_self))
    index = np.zeros((rows, max(k, 0)), int)
    weight = np.zeros((rows, max(k, 0)), np.float32)
    if k <= 0:
        return index, weight
    if not sp.issparse(reference):  # cast once, not once a chunk
        reference = np.asarray(reference, dtype=np.float32)
    step = chunk_rows(reference.shape[0])
    for start in range(0, rows, step):
        stop = min(start + step, rows)
        similarity = cosines(query[start:stop], reference)
        if skip_self:
            similarity[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        np.negative(similarity, out=similarity)  # in place: no second block
        part = np.argpartition(similarity, k - 1, axis=1)[:, :k]
        index[start:stop] = part
        weight[start:stop] = -np.take_along_axis(similarity, part, axis=1)
    return index, weight


def propagation_graph(view, neighbours: int = NEIGHBOURS) -> sp.csr_matrix:
    """The symmetric normalised kNN graph (D^-1/2 W D^-1/2) of the unit rows ``view``."""
    n = view.shape[0]
    if n < 2:
        return sp.csr_matrix((n, n))
    index, near = nearest(view, view, neighbours, skip_self=True)
    k = index.shape[1]
    weight = np.clip(near, 0.0, None).astype(float)
    w = sp.csr_matrix((weight.ravel(), (np.repeat(np.arange(n), k), index.ravel())), (n, n))
    w = (w + w.T) * 0.5
    degree = np.asarray(w.sum(axis=1)).ravel()
    scale = np.where(degree > 0, 1.0 / np.sqrt(np.maximum(degree, 1e-12)), 0.0)
    return (sp.diags(scale) @ w @ sp.diags(scale)).tocsr()


def spread(graph: sp.csr_matrix, rows: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """The 0/1 themes ``y`` of the answers ``rows`` spread over ``graph``: each answer's share
    of its spread mass that is each theme's (0 where none reaches it)."""
    seed = np.zeros((graph.shape[0], y.shape[1]))
    seed[rows] = y
    f = seed.copy()
    for _ in range(ITERATIONS):
        f = alpha * (graph @ f) + (1 - alpha) * seed
    return f / (f.sum(axis=1, keepdims=True) + 1e-9)


def twins(view) -> np.ndarray:
    """Each row's group of rows identical to it (unit rows ``view``, dense or sparse): a group
    number per row, the same for identical rows."""
    if sp.issparse(view):
        view = sp.csr_matrix(view, copy=True)
        view.sum_duplicates()
        view.sort_indices()
        seen: dict[tuple[bytes, bytes], int] = {}
        groups = np.empty(view.shape[0], int)
        for i in range(view.shape[0]):
            part = slice(view.indptr[i], view.indptr[i + 1])
            key = (view.indices[part].tobytes(), view.data[part].tobytes())
            groups[i] = seen.setdefault(key, len(seen))
        return groups
    view = np.ascontiguousarray(view)
    if view.shape[0] == 0:
        return np.zeros(0, int)
    _, groups = np.unique(view, axis=0, return_inverse=True)
    return np.asarray(groups).ravel()


def twins_mean(shares: np.ndarray, groups: np.ndarray, seeded: np.ndarray) -> np.ndarray:
    """``shares`` with each unseeded row's the mean over the unseeded rows identical to it
    (``groups``, :func:`twins`): a row's nearest answers are found by cosine, and among many
    identical answers ("Nothing.", "No") which ten a copy is joined to is an arbitrary tie, so
    without this two people who wrote the same words could be coded differently (rev34b). A
    row with no unseeded twin keeps its shares exactly; seeded rows (the coded rows of the
    fold) keep theirs."""
    free = np.ones(shares.shape[0], bool)
    free[seeded] = False
    group = groups[free]
    if group.size == 0:
        return shares
    sums = np.zeros((int(groups.max()) + 1, shares.shape[1]))
    np.add.at(sums, group, shares[free])
    counts = np.bincount(group, minlength=sums.shape[0])
    out = shares.copy()
    out[free] = sums[group] / counts[group][:, None]
    return out


def nearest_mean(query, fitted, shares: np.ndarray, neighbours: int = NEIGHBOURS) -> np.ndarray:
    """For new answers (unit rows ``query``), the mean of the ``shares`` of their nearest
    ``fitted`` answers (unit rows)."""
    if fitted.shape[0] == 0:
        return np.zeros((query.shape[0], shares.shape[1]))
    index, _ = nearest(query, fitted, neighbours)
    return shares[index].mean(axis=1)
