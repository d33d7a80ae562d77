"""Answer-vector leads scored on the grouping leads' prepared runs (issue 12, nmi31).

    .venv/bin/python -m bench.grouping_leads prepare --engine fast --sets dev
    .venv/bin/python -m bench.vector_leads --engine fast --sets dev [--variants "off,bm25"]

``bench.grouping_leads prepare`` pickles each set's cleaned, tokenised run; this bench makes
each run's answer vectors again with a changed representation (the variant), then runs the
theme stage as ``bench.grouping_leads score`` does (k given, seed as prepared) and prints per
set NMI % (F1 % for gambling_XS) and the gain over "off" (the representation as it is, made
again the same way, so "off" equals the prepared run's figures).

Variants (BENCHMARKS.md "nmi31"): the fast views' term weighting (BM25 instead of sublinear
TF-IDF), without the collocation phrases, without sentiment words (VADER's lexicon, stemmed),
the LSA dimension (fixed or by corpus size), the LSA view's share against the PPMI word view;
for the semantic engine the word block replaced by the LSA view alone at a share, and the
answer's points' weight against the whole answer's vector.
"""

from __future__ import annotations

import argparse
import copy
import os
import pickle
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from analysis import represent, static_vectors
from analysis.static_vectors import StaticVectors
from bench import grouping_leads as G

Maker = Callable[[object], object]


class BM25Vectorizer:
    """BM25 term weights (``k1``, ``b``) with smoothed IDF, rows unit length: the stand-in for
    the fast engine's sublinear TF-IDF vectorizer (same ``vocabulary_`` and ``min_df``)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75, min_df: int = 2) -> None:
        self.k1, self.b, self.min_df = k1, b, min_df

    def fit_transform(self, tokens: list[list[str]]) -> sp.csr_matrix:
        min_df = self.min_df if len(tokens) >= 50 else 1
        self.counts_ = CountVectorizer(analyzer=represent._identity, min_df=min_df)
        try:
            counts = self.counts_.fit_transform(tokens)
        except ValueError:
            self.counts_ = CountVectorizer(analyzer=represent._identity)
            counts = self.counts_.fit_transform(tokens)
        self.vocabulary_ = self.counts_.vocabulary_
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.average_ = float(max(np.asarray(counts.sum(axis=1)).mean(), 1e-9))
        return self._weigh(counts)

    def transform(self, tokens: list[list[str]]) -> sp.csr_matrix:
        return self._weigh(self.counts_.transform(tokens))

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        counts = counts.tocsr().astype(np.float32)
        length = np.asarray(counts.sum(axis=1)).ravel()
        norm = self.k1 * (1 - self.b + self.b * length / self.average_)
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        tf = counts.data
        counts.data = (tf * (self.k1 + 1) / (tf + norm[rows])).astype(np.float32)
        return normalize(counts @ sp.diags(self.idf_)).tocsr().astype(np.float32)


def _bm25_term_matrix(tokens, min_df: int = 2):
    vectorizer = BM25Vectorizer(min_df=min_df)
    return vectorizer, vectorizer.fit_transform(tokens)


def sentiment_stems(threshold: float) -> set[str]:
    """Stems of VADER lexicon words whose valence is at least ``threshold`` either way."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis.tokens import Tokenizer

    stemmer = Tokenizer()
    return {
        stemmer.stem(word)
        for word, value in SentimentIntensityAnalyzer().lexicon.items()
        if abs(value) >= threshold and word.isalpha()
    }


class Filtered:
    """A representation whose term views see only the tokens ``keep`` accepts (the static
    and sentence views still read the whole text)."""

    def __init__(self, inner, keep: Callable[[str], bool]) -> None:
        self.__dict__["_inner"] = inner
        self.__dict__["_keep"] = keep

    def _filter(self, tokens):
        return [[t for t in row if self._keep(t)] for row in tokens]

    def fit_transform(self, texts, tokens):
        return self._inner.fit_transform(texts, self._filter(tokens))

    def transform(self, texts, tokens):
        return self._inner.transform(texts, self._filter(tokens))

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def __setattr__(self, name, value):
        setattr(self._inner, name, value)


def fresh(run) -> object:
    """A copy of the run's representation, unfitted state to be overwritten by fitting."""
    rep = copy.copy(run.representation)
    for attribute in ("embedder_", "group_embedder_"):
        rep.__dict__.pop(attribute, None)
    return rep


def settings(**values) -> Maker:
    """The representation with these attributes changed (``lsa_dims``, ``part_weight``...)."""

    def make(run):
        rep = fresh(run)
        for name, value in values.items():
            if name == "lsa_dims" and callable(value):
                value = value(len(run.rep_texts))
            setattr(rep, name, value)
        return rep

    return make


def bm25(run):
    rep = fresh(run)
    rep.__dict__["_bm25"] = True
    return rep


def without_phrases(run):
    return Filtered(fresh(run), lambda t: represent_phrase(t) is False)


def represent_phrase(token: str) -> bool:
    return "_" in token


def without_sentiment(threshold: float) -> Maker:
    def make(run):
        stems = sentiment_stems(threshold)
        return Filtered(fresh(run), lambda t: not any(part in stems for part in t.split("_")))

    return make


def lsa_share(share: float) -> Maker:
    """The fast views' LSA half weighted ``share`` of the squared length (0.5 today) against
    the PPMI word view."""

    def make(run):
        rep = fresh(run)

        def combine(lsa, matrix, rep=rep):
            words = np.asarray(matrix @ rep.word_vectors_)
            return normalize(
                np.hstack([np.sqrt(share) * normalize(lsa), np.sqrt(1 - share) * normalize(words)])
            ).astype(np.float32)

        rep.__dict__["_combine"] = combine
        return rep

    return make


def lsa_share_dims(share: float, dims: int) -> Maker:
    """:func:`lsa_share` with the joined views cut to ``dims`` main axes (nmi30's R1)."""

    def make(run):
        rep = lsa_share(share)(run)
        rep.dims = dims
        return rep

    return make


def lsa_block(word_weight: float) -> Maker:
    """Semantic: the word block is the LSA view alone (no PPMI or static view), weighted
    ``word_weight``."""

    def make(run):
        rep = fresh(run)
        rep.word_weight = word_weight
        rep.static_weight = 0.0

        def combine(lsa, matrix):
            return normalize(lsa).astype(np.float32)

        rep.__dict__["_combine"] = combine
        return rep

    return make


ENCODER_TABLE = Path(os.environ.get("CONSULT_LEADS_DIR") or "/tmp/grouping-leads") / (
    "encoder-static-pieces.npy"
)


def encoder_table() -> np.ndarray:
    """The static piece table distilled as :func:`analysis.static_vectors.distill` does, but
    through the installed coding encoder's model (MiniLM fine-tuned on ArgKP's 24 train
    motions, so ArgKP's dev figures with it are not held out); made once, kept on disk."""
    if ENCODER_TABLE.is_file():
        return np.load(ENCODER_TABLE)
    from analysis import static_vectors
    from analysis.coding_encoder import find

    found = find()
    if found is None:
        raise SystemExit("no coding encoder installed")
    original = static_vectors._model_file
    static_vectors._model_file = lambda: found.model
    try:
        table = static_vectors.distill()
    finally:
        static_vectors._model_file = original
    ENCODER_TABLE.parent.mkdir(parents=True, exist_ok=True)
    np.save(ENCODER_TABLE, table)
    return table


class EncoderStatic(StaticVectors):
    """:class:`analysis.static_vectors.StaticVectors` reading the coding encoder's table."""

    def _tools(self):
        if not hasattr(self, "tokenizer_"):
            self.tokenizer_ = static_vectors._tokenizer()
        if not hasattr(self, "table_"):
            self.table_ = encoder_table()
        return self.tokenizer_, self.table_


WORD = re.compile(r"[^\W\d_](?:[^\W_]|')*[^\W_]|[^\W\d_]")


class WordStatic:
    """Static vectors of whole words: each distinct word of the texts embedded alone by
    MiniLM (its sentence vector), an answer the SIF-weighted mean of its words' vectors
    (weights ``a / (a + p(word))`` learned from the texts fitted), unit length. Words split
    into several pieces ("unreliable") get one vector of their own instead of their
    pieces' average."""

    def __init__(self, cache_dir=None) -> None:
        self.cache_dir = WORD_CACHE

    def _words(self, texts: list[str]) -> list[list[str]]:
        return [WORD.findall(t.lower().replace("’", "'")) for t in texts]

    def _vectors(self, words: list[str]) -> np.ndarray:
        from analysis.embeddings import MiniLMEmbedder

        if not hasattr(self, "embedder_"):
            self.embedder_ = MiniLMEmbedder(threads=1, cache_dir=self.cache_dir)
        return self.embedder_.embed(words).astype(np.float32)

    def fit_transform(self, texts: list[str]) -> np.ndarray:
        words = self._words(texts)
        counts: dict[str, int] = {}
        for row in words:
            for word in row:
                counts[word] = counts.get(word, 0) + 1
        total = max(sum(counts.values()), 1)
        self.weights_ = {
            w: static_vectors.SMOOTHING / (static_vectors.SMOOTHING + c / total)
            for w, c in counts.items()
        }
        self.unseen_ = static_vectors.SMOOTHING / (static_vectors.SMOOTHING + 1 / total)
        return self._embed(words)

    def transform(self, texts: list[str]) -> np.ndarray:
        return self._embed(self._words(texts))

    def _embed(self, words: list[list[str]]) -> np.ndarray:
        vocabulary = sorted({w for row in words for w in row})
        index = {w: i for i, w in enumerate(vocabulary)}
        table = self._vectors(vocabulary) if vocabulary else np.zeros((0, 384), np.float32)
        rows, cols, vals = [], [], []
        for r, row in enumerate(words):
            for w in row:
                rows.append(r)
                cols.append(index[w])
                vals.append(self.weights_.get(w, self.unseen_))
        weights = sp.csr_matrix((vals, (rows, cols)), shape=(len(words), len(vocabulary)))
        weights.sum_duplicates()
        out = np.asarray(weights @ table, dtype=np.float32) if len(vocabulary) else None
        if out is None:
            return np.zeros((len(words), 384), np.float32)
        return normalize(out).astype(np.float32)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("embedder_", None)
        return state


WORD_CACHE = Path(os.environ.get("CONSULT_LEADS_DIR") or "/tmp/grouping-leads") / "words"


def word_static(run):
    rep = fresh(run)
    rep.__dict__["_word_static"] = True
    return rep


def encoder_static(run):
    rep = fresh(run)
    rep.__dict__["_encoder_static"] = True
    return rep


def by_size(n: int) -> int:
    """LSA dimensions growing with the number of distinct answers: about sqrt(n) * 2,
    between 20 and 200."""
    return int(np.clip(round(2 * np.sqrt(n)), 20, 200))


VARIANTS: dict[str, Maker] = {
    "off": fresh,
    "bm25": bm25,
    "no phrases": without_phrases,
    "no sentiment 1.5": without_sentiment(1.5),
    "no sentiment 2.5": without_sentiment(2.5),
    "lsa 50": settings(lsa_dims=50),
    "lsa 200": settings(lsa_dims=200),
    "lsa 300": settings(lsa_dims=300),
    "lsa by size": settings(lsa_dims=by_size),
    "lsa share 0.7": lsa_share(0.7),
    "lsa share 0.3": lsa_share(0.3),
    "lsa share 0.3 dims 32": lsa_share_dims(0.3, 32),
    "semantic lsa block 0.2": lsa_block(0.2),
    "semantic lsa block 0.35": lsa_block(0.35),
    "semantic lsa block 0.5": lsa_block(0.5),
    "semantic parts 0": settings(part_weight=0.0),
    "semantic parts 2": settings(part_weight=2.0),
    "semantic parts 10": settings(part_weight=10.0),
    "semantic words 0.3": settings(word_weight=0.3),
    "semantic words 0.6": settings(word_weight=0.6),
    "encoder static": encoder_static,
    "word static": word_static,
}

_ORIGINAL_TERM_MATRIX = represent.term_matrix


def rebuilt(run, maker: Maker):
    """A copy of the run with the variant's representation fitted on its answers."""
    done = copy.copy(run)
    rep = maker(run)
    flags = getattr(rep, "__dict__", {})
    represent.term_matrix = _bm25_term_matrix if flags.get("_bm25") else _ORIGINAL_TERM_MATRIX
    represent.StaticVectors = (
        EncoderStatic
        if flags.get("_encoder_static")
        else WordStatic
        if flags.get("_word_static")
        else StaticVectors
    )
    try:
        done.vectors = rep.fit_transform(run.rep_texts, run.rep_tokens)
    finally:
        represent.term_matrix = _ORIGINAL_TERM_MATRIX
        represent.StaticVectors = StaticVectors
    done.representation = rep
    done.fit_reps = None
    return done


def score(sets: list[tuple], engine: str, seed: int, maker: Maker) -> dict[str, float]:
    """:func:`bench.grouping_leads.score` on the runs with the variant's vectors."""
    remade = [(name, kind, rebuilt(run, maker), truths) for name, kind, run, truths in sets]
    return G.score(remade, engine, seed, {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["fast", "semantic"], default="fast")
    parser.add_argument("--sets", choices=["dev", "nhsC", "fresh", "v6"], default="dev")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", help="comma-separated names (default: all)")
    args = parser.parse_args()
    path = G.cache_dir() / f"{args.engine}-{args.sets}-seed{args.seed}.pkl"
    G.score_variants(pickle.loads(path.read_bytes()), args, VARIANTS, score)


if __name__ == "__main__":
    main()
