"""The shared network (``CodingModel(mlp=..., mlp_mix=...)``, :mod:`analysis.coding_mlp`)
and self-training (``CodingModel(self_train=...)``): both off by default, outputs as before."""

from __future__ import annotations

import numpy as np
import pytest

import analysis.coding_mlp as coding_mlp
from analysis.coding import CodingModel
from analysis.coding_mlp import SharedMLP, choose_alpha
from analysis.embeddings import available as semantic_available
from analysis.features import CodingFeatures
from tests.analysis.test_coding import BOOK, _labels, coded_rows

needs_semantic = pytest.mark.skipif(
    not semantic_available(), reason="the semantic extra is not installed"
)


def _pattern(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Dense rows where theme 0 applies to the first direction, theme 1 to the second and
    theme 2 (their co-occurrence) where both do."""
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, 2, rows), rng.integers(0, 2, rows)
    x = np.column_stack([a, b]) * 2.0 + rng.normal(0, 0.2, (rows, 2))
    return x, np.column_stack([a, b, a & b]).astype(np.int8)


def test_the_network_learns_every_theme_at_once_and_is_repeatable():
    x, y = _pattern(120)
    first = SharedMLP(seed=0).fit(x, y)
    assert first.alpha_ in coding_mlp.ALPHAS  # chosen by cross-validation on these rows
    test_x, test_y = _pattern(100, seed=1)
    proba = first.predict_proba(test_x)
    assert proba.shape == (100, 3)
    assert np.mean((proba >= 0.5) == test_y) > 0.9
    again = SharedMLP(seed=0).fit(x, y).predict_proba(test_x)
    np.testing.assert_array_equal(proba, again)


def test_too_few_rows_keep_the_middle_decay_and_no_positive_gives_priors():
    x, y = _pattern(10)
    assert choose_alpha(x, y) == coding_mlp.ALPHAS[len(coding_mlp.ALPHAS) // 2]
    empty = SharedMLP(alpha=0.01).fit(x, np.zeros_like(y))
    assert np.allclose(empty.predict_proba(x), 1 / 12)


def test_options_are_off_by_default_and_the_network_needs_vectors():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    model = CodingModel()
    assert (model.mlp, model.mlp_mix, model.self_train) == (0.0, 0.0, 0.0)
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert not plain.mlp_on_ and plain.pseudo_ is None
    # the fast engine has no dense vectors: the network is left out, outputs unchanged
    asked = CodingModel(engine="fast", mlp=1.0, mlp_mix=0.3).fit(texts, labels, BOOK)
    assert not asked.mlp_on_
    assert asked.coded_ == plain.coded_
    np.testing.assert_allclose(asked.proba_, plain.proba_)


def test_self_training_adds_confident_uncoded_rows_once():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    model = CodingModel(engine="fast", self_train=0.3).fit(texts, labels, BOOK)
    picked, codes = model.pseudo_
    assert len(picked) and all(labels[i] is None for i in picked)
    assert codes.shape == (len(picked), len(BOOK.ids)) and codes.sum(axis=1).min() >= 1
    again = CodingModel(engine="fast", self_train=0.3).fit(texts, labels, BOOK)
    assert again.coded_ == model.coded_


@needs_semantic
def test_the_network_gives_the_combiner_one_column_with_vectors(tmp_path):
    rows = coded_rows(count=80, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.4)
    book_texts = texts + [c.text() for c in BOOK.codes]
    made = CodingFeatures(engine="semantic", cache_dir=str(tmp_path)).fit(book_texts)
    plain = CodingModel(engine="semantic").fit(texts, labels, BOOK, features=made)
    asked = CodingModel(engine="semantic", mlp=1.0, mlp_words=5).fit(
        texts, labels, BOOK, features=made
    )
    assert asked.mlp_on_ and asked.mlp_alpha_ in coding_mlp.ALPHAS
    assert asked.combiner_.scaler_.n_features_in_ == plain.combiner_.scaler_.n_features_in_ + 1
    assert len(asked.mlp_cache_) == len(asked.fold_models_)  # one network a fold, reused
    again = CodingModel(engine="semantic", mlp=1.0, mlp_words=5).fit(
        texts, labels, BOOK, features=made
    )
    np.testing.assert_array_equal(asked.proba_, again.proba_)
