"""Screen the fast engine's static word-piece vectors: PCA size, SIF smoothing, static share.

On ``bench.grouping_leads prepare``'s runs (as :mod:`bench.vector_leads`), each variant fits
the fast representation again with another static piece table or setting, then groups as the
engine does (k given). The tables all come from one pass of the model over MiniLM's 30,522
word pieces (:func:`pooled`, kept in ``$CONSULT_LEADS_DIR``): ``pca D`` is the first ``D``
principal components (128 is the shipped table, remade to the digit), ``pca 384`` is all of
them (the centred pieces, rotated), ``raw`` the pooled pieces uncentred. ``smooth A`` changes
SIF's ``a`` (``1e-3`` today), ``share S`` the static view's share (0.5 today).

    python -m bench.static_leads --sets dev --variants "pca 256,pca 384,pca 256 smooth 1e-4"
"""

from __future__ import annotations

import argparse
import pickle
from pathlib import Path

import numpy as np

from analysis import represent, static_vectors
from analysis.static_vectors import StaticVectors
from bench import grouping_leads as G
from bench.vector_leads import fresh


def pooled_file() -> Path:
    """Where the pooled (not reduced) piece table is kept."""
    return G.cache_dir() / f"static-pooled-{static_vectors.table_name()}"


def pooled(batch_size: int = 1024) -> np.ndarray:
    """Every piece through the int8 model as ``[CLS] piece [SEP]``, mean-pooled (384 dims,
    float64): :func:`analysis.static_vectors.distill` before its PCA; made once, kept."""
    path = pooled_file()
    if path.is_file():
        return np.load(path)
    out = static_vectors.pooled_pieces(batch_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def reduced(pieces: np.ndarray, dims: int | None) -> np.ndarray:
    """The table as :func:`analysis.static_vectors.distill` makes it with ``dims``
    dimensions; ``None`` is the pooled pieces as they are (not centred, not rotated)."""
    if dims is None:
        return pieces.astype(np.float32)
    centred = pieces - pieces.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred / len(pieces))
    components = vectors[:, ::-1][:, :dims]
    signs = np.sign(components[np.abs(components).argmax(axis=0), range(dims)])
    return (centred @ (components * signs)).astype(np.float32)


_TABLES: dict[object, np.ndarray] = {}


def table(dims: int | None) -> np.ndarray:
    """The piece table with ``dims`` dimensions (remembered for this process)."""
    if dims not in _TABLES:
        _TABLES[dims] = reduced(pooled(), dims)
    return _TABLES[dims]


def static_class(dims: int | None, smoothing: float) -> type:
    """:class:`StaticVectors` reading :func:`table` (``dims``) with SIF's ``a`` =
    ``smoothing``."""

    class Variant(StaticVectors):
        def _tools(self):
            if not hasattr(self, "tokenizer_"):
                self.tokenizer_ = static_vectors._tokenizer()
            if not hasattr(self, "table_"):
                self.table_ = table(dims)
            return self.tokenizer_, self.table_

        def _fit(self, counts):
            frequency = np.asarray(counts.sum(axis=0), dtype=np.float64).ravel()
            share = frequency / max(frequency.sum(), 1.0)
            self.weights_ = (smoothing / (smoothing + share)).astype(np.float32)
            return self

    return Variant


def parse(name: str) -> tuple[int | None, float, float | None]:
    """``"pca 256 smooth 1e-4 share 0.6"`` -> (256, 1e-4, 0.6); "off" is (128, 1e-3, None);
    ``raw`` stands for the uncentred pooled table."""
    dims: int | None = static_vectors.DIMENSIONS
    smoothing, share = static_vectors.SMOOTHING, None
    words = name.split()
    for key, value in zip(words[::2], words[1::2], strict=False):
        if key == "pca":
            dims = int(value)
        elif key == "smooth":
            smoothing = float(value)
        elif key == "share":
            share = float(value)
    if "raw" in words:
        dims = None
    return dims, smoothing, share


def rebuilt(run, name: str):
    """A copy of the run with the variant's fast representation fitted on its answers."""
    import copy

    dims, smoothing, share = parse(name)
    done = copy.copy(run)
    rep = fresh(run)
    if share is not None:
        rep.static_weight = share
    represent.StaticVectors = static_class(dims, smoothing)
    try:
        done.vectors = rep.fit_transform(run.rep_texts, run.rep_tokens)
    finally:
        represent.StaticVectors = StaticVectors
    done.representation = rep
    done.fit_reps = None
    return done


def score(sets: list[tuple], engine: str, seed: int, name: str) -> dict[str, float]:
    """:func:`bench.grouping_leads.score` on the runs with the variant's vectors."""
    remade = [(n, kind, rebuilt(run, name), truths) for n, kind, run, truths in sets]
    return G.score(remade, engine, seed, {})


class _Names(dict):
    """Any variant name is its own maker (parsed by :func:`parse`)."""

    def __missing__(self, key: str) -> str:
        return key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", choices=["dev", "nhsC", "fresh", "v6"], default="dev")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", default="", help='comma-separated, e.g. "pca 256,raw"')
    args = parser.parse_args()
    args.engine = "fast"
    path = G.cache_dir() / f"fast-{args.sets}-seed{args.seed}.pkl"
    G.score_variants(pickle.loads(path.read_bytes()), args, _Names(off="off"), score)


if __name__ == "__main__":
    main()
