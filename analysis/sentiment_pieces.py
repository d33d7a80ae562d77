"""A bag-of-word-pieces head both engines mix into their sentiment blend (sent9).

``sentiment_piece_probe.json`` (shipped beside this module, written by
``bench/sentiment_pieces.py``) holds two ridge heads over a bag of word pieces and piece
bigrams: each answer is cut into all-MiniLM-L6-v2's word pieces, each piece and each pair of
neighbouring pieces is hashed into one of ``2 ** bits`` buckets (present or absent), and the
row is scaled to unit length. Beside the bag, each head weighs the answer's praise cues
(:mod:`analysis.praise_intensity`). The "general" head reads every answer; the "praise" head
the answers to "what was good?" the rules read as positive (as the MiniLM probe's praise
head). The prediction is mixed into the blend, ``blend + share * (head - blend)``, for the
answers that are not bare replies to a question of :data:`PIECE_KINDS` only: the semantic
engine's blend (MiniLM probe and rules) at ``share``, the fast engine's (static probe and
rules) at ``fast_share``.

It learnt from the same NHS patient feedback as :mod:`analysis.sentiment_probe` (phase 1
Trust A and B, v6 NEAS and NHFT; pxtextmining, MIT licence, see ``NOTICE`` in the file);
phase 1's Trust C was never read. The bag's buckets depend only on the answer's own pieces,
so an answer's score does not depend on the run's other answers.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .praise_intensity import NAMES

PIECE_PROBE_FILE = Path(__file__).with_name("sentiment_piece_probe.json")
PIECE_MODEL = "minilm-pieces-bigrams-hashed-v1"
BIGRAM_MULTIPLIER = 1_000_003  # a bigram (a, b) falls in bucket (a * this + b) mod 2**bits
# The question kinds (:func:`analysis.sentiment.question_kind`) the heads are mixed in for:
# service feedback's "what could be better?" and "what was good?". Elsewhere (no question,
# "Any other comments?") consultation answers are far from NHS feedback, and the bag reads
# policy support ("Multi-year funding would give councils the certainty ...") as critical.
PIECE_KINDS = ("change", "praise")


def piece_ids(texts: list[str]) -> list[np.ndarray]:
    """Each text's MiniLM word-piece ids (no special tokens, no truncation), by the tokenizer
    read once a process (:func:`analysis.static_vectors._tokenizer`); ImportError
    (:class:`analysis.embeddings.ModelMissing`, saying so) when its package or file is
    missing."""
    from .static_vectors import _tokenizer

    encodings = _tokenizer().encode_batch([t or "" for t in texts], add_special_tokens=False)
    return [np.array(e.ids, dtype=np.int64) for e in encodings]


def piece_bag(ids: list[np.ndarray], bits: int) -> sp.csr_matrix:
    """One unit-length row per text: 1 in the bucket of each piece and each bigram it has
    (an empty text gets a zero row)."""
    buckets = 1 << bits
    rows: list[np.ndarray] = []
    columns: list[np.ndarray] = []
    for row, pieces in enumerate(ids):
        found = pieces % buckets
        if len(pieces) > 1:
            pairs = (pieces[:-1] * BIGRAM_MULTIPLIER + pieces[1:]) % buckets
            found = np.concatenate([found, pairs])
        found = np.unique(found)
        rows.append(np.full(len(found), row, dtype=np.int64))
        columns.append(found)
    row_index = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    column = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    bag = sp.csr_matrix(
        (np.ones(len(column)), (row_index, column)), shape=(len(ids), buckets), dtype=np.float64
    )
    norms = np.sqrt(np.asarray(bag.multiply(bag).sum(axis=1)).ravel())
    return sp.diags(1.0 / np.maximum(norms, 1e-12)) @ bag


@dataclass(frozen=True)
class PieceHead:
    """``bag @ coef + intercept + (cues - cue_mean) @ cue_coef``."""

    coef: np.ndarray
    intercept: float
    cue_coef: np.ndarray
    cue_mean: np.ndarray

    def predict(self, bag: sp.csr_matrix, cues: np.ndarray) -> np.ndarray:
        """The predicted rating / 5 of each row."""
        value = np.asarray(bag @ self.coef).ravel() + self.intercept
        return value + (np.asarray(cues, dtype=np.float64) - self.cue_mean) @ self.cue_coef


@dataclass(frozen=True)
class PieceProbe:
    """The two heads, the bag's size (``bits``) and the share of the blend they take: of the
    semantic engine's (``share``) and of the fast engine's (``fast_share``; None: the fast
    engine leaves them out)."""

    bits: int
    share: float
    general: PieceHead
    praise: PieceHead
    fast_share: float | None = None

    def predict(self, texts: list[str], cues: np.ndarray, praise_rows: np.ndarray) -> np.ndarray:
        """Each text's prediction: the praise head's where ``praise_rows``, else the general
        head's (``cues``: the texts' praise cues, one row each)."""
        bag = piece_bag(piece_ids(texts), self.bits)
        general = self.general.predict(bag, cues)
        praise = self.praise.predict(bag, cues)
        return np.where(np.asarray(praise_rows, dtype=bool), praise, general)

    def mix(self, blended: np.ndarray, predicted: np.ndarray, share: float) -> np.ndarray:
        """``blended`` moved ``share`` of the way to ``predicted``, in -1..1, 4 decimals."""
        moved = blended + share * (predicted - blended)
        return np.round(np.clip(moved, -1.0, 1.0), 4)


def encode_floats(values: np.ndarray) -> str:
    """A float32 vector as base64 (little-endian)."""
    return base64.b64encode(np.asarray(values, dtype="<f4").tobytes()).decode("ascii")


def _head(data: dict, buckets: int) -> PieceHead:
    """One head of the file (``data``: its coefficients in base64, intercept and praise
    cues' part); ValueError when it does not fit a bag of ``buckets`` or this version's
    cues."""
    coef = np.frombuffer(base64.b64decode(data["coef"]), dtype="<f4").astype(np.float64)
    cues = data["intensity"]
    if coef.shape != (buckets,) or list(cues["names"]) != list(NAMES):
        raise ValueError("the piece head does not match its bag or this version's cues")
    return PieceHead(
        coef,
        float(data["intercept"]),
        np.asarray(cues["coef"], dtype=np.float64),
        np.asarray(cues["mean"], dtype=np.float64),
    )


@lru_cache(maxsize=4)
def load_piece_probe(path: Path = PIECE_PROBE_FILE) -> PieceProbe | None:
    """The piece probe in ``path`` (the shipped one by default), or None when the file is
    missing, unreadable or of another model."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("model") != PIECE_MODEL:
            return None
        bits = int(data["bits"])
        heads = data["heads"]
        fast_share = data.get("fast_share")
        return PieceProbe(
            bits,
            float(data["share"]),
            _head(heads["general"], 1 << bits),
            _head(heads["praise"], 1 << bits),
            None if fast_share is None else float(fast_share),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
