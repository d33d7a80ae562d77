"""The point-matching head (:mod:`analysis.point_match`, ``CodingModel(point_match=...)``):
what it computes, how the bench learns it, and that the coding model is as before without it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from analysis.coding import CodingModel
from analysis.embeddings import available as semantic_available
from analysis.errors import InputError
from analysis.point_match import (
    centred,
    load_matcher,
    matcher_from_json,
    pair_design,
)
from bench.point_match import as_json
from tests.analysis.test_coding import BOOK, _labels, coded_rows

needs_semantic = pytest.mark.skipif(
    not semantic_available(), reason="the semantic extra is not installed"
)


def _unit(rows: int, dims: int, seed: int) -> np.ndarray:
    return normalize(np.random.default_rng(seed).normal(size=(rows, dims)))


def _head(dims: int, seed: int = 0) -> dict:
    """A head learned as the bench learns it, on pairs that match when u and v are close."""
    rows, points = _unit(400, dims, seed), _unit(400, dims, seed + 1)
    points[:200] = normalize(rows[:200] + 0.3 * points[:200])  # the first half match
    y = np.r_[np.ones(200, int), np.zeros(200, int)]
    model = LogisticRegression(C=1.0, max_iter=2000).fit(pair_design(rows, points), y)
    return as_json(model, dims, {"test": True})


def test_the_head_scores_every_pair_as_its_training_features_say():
    data = _head(8)
    head = matcher_from_json(json.loads(json.dumps(data)))
    rows, points = _unit(7, 8, 5), _unit(3, 8, 6)
    logit = head.logit(rows, points)
    assert logit.shape == (7, 3)
    weights = np.r_[head.product, head.difference, head.cosine]
    for j in range(3):
        design = pair_design(rows, np.repeat(points[j : j + 1], 7, axis=0))
        np.testing.assert_allclose(logit[:, j], design @ weights + head.intercept, atol=1e-9)
    proba = head.proba(rows, points)
    assert np.all((proba > 0) & (proba < 1))
    # a point like the row matches better than an unrelated one
    near = normalize(rows + 0.1 * _unit(7, 8, 9))
    assert np.all(np.diag(head.logit(rows, near)) > head.logit(rows, points).max(axis=1))
    assert head.logit(np.zeros((0, 8)), points).shape == (0, 3)


def test_a_centred_head_reads_the_vectors_less_the_surveys_mean():
    data = {**_head(8), "centred": True}
    head = matcher_from_json(data)
    plain = matcher_from_json({**data, "centred": False})
    assert head.centred and not plain.centred
    rows, points = _unit(9, 8, 2), _unit(3, 8, 3)
    centre = rows.mean(axis=0)
    moved_rows, moved_points = centred(rows, centre), centred(points, centre)
    np.testing.assert_allclose(np.linalg.norm(moved_rows, axis=1), 1.0)
    np.testing.assert_allclose(
        head.logit(rows, points), plain.logit(moved_rows, moved_points), atol=1e-9
    )
    # a centre given (the whole survey's) is used in place of the rows' own mean
    other = _unit(1, 8, 4)[0]
    np.testing.assert_allclose(
        head.logit(rows[:2], points, other),
        plain.logit(centred(rows[:2], other), centred(points, other)),
        atol=1e-9,
    )


@needs_semantic
def test_a_missing_head_is_a_clear_error(tmp_path):
    rows = coded_rows(count=60, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    missing = tmp_path / "none.json"
    with pytest.raises(InputError, match="bench.point_match"):
        CodingModel(engine="semantic", point_match=1.0, match_file=str(missing)).fit(
            texts, labels, BOOK
        )
    assert load_matcher(missing) is None


def test_the_bench_writes_the_same_head_byte_for_byte():
    first = json.dumps(_head(8), indent=1)
    assert first == json.dumps(_head(8), indent=1)
    data = json.loads(first)
    assert data["model"] and data["NOTICE"] and data["centred"] is False
    assert all(round(v, 6) == v for v in data["product"] + data["difference"])


def test_off_by_default_and_left_out_without_minilm_vectors():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    assert (CodingModel().point_match, CodingModel().match_file) == (0.0, "")
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert plain.matcher_ is None
    asked = CodingModel(engine="fast", point_match=1.0).fit(texts, labels, BOOK)
    assert asked.matcher_ is None  # the fast engine has no MiniLM vectors
    assert asked.coded_ == plain.coded_
    np.testing.assert_array_equal(asked.proba_, plain.proba_)


@needs_semantic
def test_the_head_is_one_more_column_and_codes_cold_start(tmp_path):
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    path = tmp_path / "head.json"
    path.write_text(json.dumps(_head(384)), encoding="utf-8")
    plain = CodingModel(engine="semantic").fit(texts, labels, BOOK)
    default = CodingModel(engine="semantic", point_match=0.0).fit(texts, labels, BOOK)
    assert default.coded_ == plain.coded_  # off: exactly as before
    np.testing.assert_array_equal(default.proba_, plain.proba_)
    model = CodingModel(engine="semantic", point_match=1.0, match_file=str(path))
    model.fit(texts, labels, BOOK)
    assert model.matcher_ is not None and model.match_.shape == (len(texts), len(BOOK.ids))
    assert model.combiner_.scaler_.n_features_in_ == plain.combiner_.scaler_.n_features_in_ + 1
    human = [i for i, label in enumerate(labels) if label is not None]
    assert [model.coded_[i] for i in human] == [plain.coded_[i] for i in human]
    assert not np.allclose(model.proba_, plain.proba_)
    again = CodingModel(engine="semantic", point_match=1.0, match_file=str(path))
    np.testing.assert_array_equal(again.fit(texts, labels, BOOK).proba_, model.proba_)
    assert model.predict_proba(["the buses are late"]).shape == (1, len(BOOK.ids))
    # no coded rows: the head's own probabilities
    cold = CodingModel(engine="semantic", point_match=1.0, match_file=str(path))
    cold.fit(texts, [None] * len(texts), BOOK)
    np.testing.assert_allclose(cold.proba_, 1 / (1 + np.exp(-cold.match_)))
