"""Label spreading over every response and codebook entry (``CodingModel(spread=...)``)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from analysis.agreement import coding_metrics
from analysis.coding import FEATURE_NAMES, CodingModel, sample_f1
from analysis.coding_spread import SPREAD_FEATURES, SpreadGraph, knn_graph
from tests.analysis.test_coding import BOOK, _labels, coded_rows


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return coded_rows()


def _clusters(seed: int = 0) -> np.ndarray:
    """Two tight groups of unit vectors, 6 rows each: rows 0-5 near x, rows 6-11 near y."""
    rng = np.random.default_rng(seed)
    centres = np.repeat(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), 6, axis=0)
    points = centres + 0.05 * rng.standard_normal(centres.shape)
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def test_graph_is_symmetric_without_self_edges_dense_or_sparse():
    points = _clusters()
    dense = knn_graph(points, 3, 0.1)
    sparse = knn_graph(sp.csr_matrix(points), 3, 0.1)
    assert abs(dense - dense.T).max() < 1e-6 and dense.diagonal().max() == 0
    assert abs(dense - sparse).max() < 1e-5
    # each row's neighbours are in its own group
    assert dense[:6, 6:].max() < 1e-3 and dense[:6, :6].sum() > 1


def test_labels_spread_through_uncoded_rows_and_codebook_entries():
    points = _clusters()
    # one codebook entry per theme: theme 1's sits in the second group
    book = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    graph = SpreadGraph(points, book, np.array([0, 1]), themes=2, neighbours=3)
    share, none, mass = graph.spread(np.array([0, 11]), np.array([[1, 0], [0, 0]]), 0.9)
    assert share.shape == (12, 2) and none.shape == mass.shape == (12,)
    # row 0's theme reaches the uncoded rows of its group, not the other group
    assert share[1:6, 0].min() > 0.9 and share[6:11, 0].max() < 0.1
    # the second group gets theme 1 from the codebook entry and "no theme" from row 11
    assert share[6:11, 1].min() > 0.2 and none[6:11].min() > 0.2 and none[1:6].max() < 0.1
    # new rows read their nearest responses
    far = graph.extend(np.array([[0.0, 1.0, 0.0]]), share, 3)
    assert far.shape == (1, 2) and far[0, 0] < 0.1


def test_model_with_spreading_codes_well_keeps_human_codes_and_predicts_new_texts(rows, engine):
    labels, picked = _labels(rows, 0.3)
    texts = [r["text"] for r in rows]
    plain = CodingModel(engine=engine).fit(texts, labels, BOOK)
    model = CodingModel(engine=engine, spread=0.9).fit(texts, labels, BOOK)
    assert plain.spread_ is None and model.spread_ is not None
    rest = [i for i in range(len(rows)) if i not in picked]
    f1 = sample_f1([rows[i]["truth"] for i in rest], [model.coded_[i] for i in rest]).mean()
    assert f1 >= 0.85
    assert all(model.coded_[i] == rows[i]["truth"] for i in picked)
    # the combiner reads the spreading columns on top of the usual ones
    assert model.combiner_.scaler_.n_features_in_ == len(FEATURE_NAMES) + len(SPREAD_FEATURES)
    # one spreading per cross-validation fold, shared by fitting and coding
    assert len(model.spread_cache_) == len(model.fold_models_)
    proba = model.predict_proba(["The buses are always late.", "Rents are far too high."])
    assert proba.shape == (2, 3) and np.all((proba >= 0) & (proba <= 1))
    metrics = coding_metrics(model)  # the agreement folds spread their own coded rows
    assert 0 <= metrics["sample_f1"] <= 1
    again = CodingModel(engine=engine, spread=0.9).fit(texts, labels, BOOK)
    assert again.coded_ == model.coded_ and np.array_equal(again.proba_, model.proba_)


def test_cold_start_ignores_spreading(rows):
    model = CodingModel(engine="fast", spread=0.9).fit(
        [r["text"] for r in rows], [None] * len(rows), BOOK
    )
    assert model.cold_start_ and model.spread_ is None
