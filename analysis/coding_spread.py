"""Transductive evidence for coding: label spreading over every response, coded or not.

The coding model's neighbour vote (:func:`analysis.coding_combine.neighbour_signals`) reads
only the coded responses. The uncoded ones carry evidence too: responses that make the same
point sit close together, so a theme given to one coded response can reach a whole group of
uncoded ones that are like each other though not like it. :class:`SpreadGraph` is a
k-nearest-neighbour graph over the unit vectors of every response and of each codebook entry
(a codebook entry is a node labelled with its own theme); :meth:`SpreadGraph.spread` spreads
the coded labels over it (Zhou et al. 2004, "Learning with local and global consistency"),
with one extra class for "coded with no theme", and gives each node a share for each theme,
a share for no theme, and how much label mass reached it at all.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .features import dense

SPREAD_NEIGHBOURS = 10
SPREAD_TEMPERATURE = 0.1
SPREAD_ALPHA = 0.9
SPREAD_ITERATIONS = 30
CHUNK = 2000
SPREAD_FEATURES = (
    "spread share",
    "spread share minus the row's highest",
    "spread no-theme share",
    "spread mass",
)


def knn_graph(vectors, neighbours: int, temperature: float) -> sp.csr_matrix:
    """A symmetric k-nearest-neighbour graph of unit ``vectors`` (dense or sparse rows),
    edges weighted
    ``exp((cosine - 1) / temperature)``, symmetrically normalised (D^-1/2 W D^-1/2)."""
    n = vectors.shape[0]
    k = min(neighbours, n - 1)
    if k <= 0:
        return sp.csr_matrix((n, n))
    rows, cols, weights = [], [], []
    for start in range(0, n, CHUNK):
        block = dense(vectors[start : start + CHUNK] @ vectors.T).astype(np.float32)
        index = np.arange(block.shape[0])
        block[index, start + index] = -np.inf  # no self edges
        nearest = np.argpartition(-block, k - 1, axis=1)[:, :k]
        near = np.take_along_axis(block, nearest, axis=1)
        rows.append(np.repeat(start + index, k))
        cols.append(nearest.ravel())
        weights.append(np.exp((near.ravel() - 1.0) / temperature))
    w = sp.csr_matrix(
        (np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    w = w.maximum(w.T).tocsr()
    degree = np.asarray(w.sum(axis=1)).ravel()
    scale = sp.diags(1 / np.sqrt(np.maximum(degree, 1e-12)))
    return (scale @ w @ scale).tocsr()


class SpreadGraph:
    """The graph over ``vectors`` (the responses, unit rows, dense or sparse) followed by
    ``book`` (unit rows of codebook entries, each labelled with theme ``owner``)."""

    def __init__(
        self,
        vectors,
        book,
        owner: np.ndarray,
        themes: int,
        neighbours: int = SPREAD_NEIGHBOURS,
        temperature: float = SPREAD_TEMPERATURE,
    ) -> None:
        self.responses = vectors.shape[0]
        if sp.issparse(vectors) or sp.issparse(book):
            self.nodes = sp.vstack([vectors, book]).tocsr().astype(np.float32)
        else:
            self.nodes = np.vstack([vectors, book]).astype(np.float32)
        self.book_y = np.zeros((book.shape[0], themes + 1))
        self.book_y[np.arange(book.shape[0]), owner] = 1.0
        self.graph = knn_graph(self.nodes, neighbours, temperature)

    def spread(
        self, rows: np.ndarray, y: np.ndarray, alpha: float = SPREAD_ALPHA
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Spread the labels ``y`` (0/1, rows by themes) of responses ``rows``: for every
        response, each theme's share of the label mass that reached it, the share of "no
        theme", and the log of the mass itself."""
        themes = y.shape[1]
        seed = np.zeros((self.nodes.shape[0], themes + 1))
        empty = y.sum(axis=1) == 0
        seed[rows, :themes] = y
        seed[rows[empty], themes] = 1.0
        seed[self.responses :] = self.book_y
        seed /= np.maximum(seed.sum(axis=1, keepdims=True), 1.0)
        f = seed.copy()
        for _ in range(SPREAD_ITERATIONS):
            f = alpha * (self.graph @ f) + (1 - alpha) * seed
        f = f[: self.responses]
        mass = f.sum(axis=1, keepdims=True)
        share = f / np.maximum(mass, 1e-12)
        return share[:, :themes], share[:, themes], np.log(np.maximum(mass[:, 0], 1e-12))

    def extend(self, query, values: np.ndarray, neighbours: int) -> np.ndarray:
        """``values`` (one row per response) for new unit ``query`` rows: the similarity-
        weighted mean over their nearest responses."""
        similarity = dense(query @ self.nodes[: self.responses].T)
        k = min(neighbours, similarity.shape[1])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        near = np.take_along_axis(similarity, nearest, axis=1)
        weight = np.exp((near - near.max(axis=1, keepdims=True)) / SPREAD_TEMPERATURE)
        weight /= weight.sum(axis=1, keepdims=True)
        return np.einsum("ik,ik...->i...", weight, values[nearest])


def spread_columns(share: np.ndarray, none: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """The :data:`SPREAD_FEATURES` as columns of pair rows (response-major, as
    :func:`analysis.coding_combine.pair_features`)."""
    per_row = lambda values: np.broadcast_to(np.asarray(values)[:, None], share.shape)  # noqa: E731
    columns = [share, share - share.max(axis=1, keepdims=True), per_row(none), per_row(mass)]
    return np.stack([np.asarray(c, float).ravel() for c in columns], axis=1)
