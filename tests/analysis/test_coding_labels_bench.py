"""bench.coding_labels (code34): its leads install and leave no trace, refuse an unknown
name, add their columns to the combiner, and the columns' values are what they say (fast
engine and toy matrices here: nothing reads the shared data or the coding encoder)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import analysis.coding as coding
import bench.coding_labels as labels_bench
from analysis.coding import CodingModel
from tests.analysis.test_coding import BOOK, coded_rows


@pytest.fixture(autouse=True)
def _product_code_back():
    yield
    labels_bench.reset()


def _labels(rows, every: int = 2):
    return [r["truth"] if i % every == 0 else None for i, r in enumerate(rows)]


def test_an_unknown_lead_or_weight_stops_with_the_leads_named():
    with pytest.raises(SystemExit, match="unknown lead 'chain'.*cooc"):
        labels_bench.parse("chain")
    with pytest.raises(SystemExit, match="bad weight"):
        labels_bench.parse("prop:high")
    assert labels_bench.parse("defaults") == []
    assert labels_bench.parse("prop:0.5+cooc") == [("prop", 0.5), ("cooc", 0.8)]


def test_reset_puts_the_product_code_back():
    before = (CodingModel._signals, coding.FEATURE_NAMES, CodingModel.__init__.__defaults__)
    labels_bench.apply("prop:0.8+cooc+book:8")
    assert CodingModel._signals is not before[0]
    assert len(coding.FEATURE_NAMES) == len(before[1]) + 2
    assert CodingModel().codebook_weight == 8.0
    labels_bench.reset()
    after = (CodingModel._signals, coding.FEATURE_NAMES, CodingModel.__init__.__defaults__)
    assert after == before
    assert CodingModel().codebook_weight == 2.0


def test_label_spreading_reaches_through_an_uncoded_answer():
    # a chain 0 - 1 - 2: only row 0 coded (theme 0), row 3 coded with theme 1 far away
    view = np.array([[1.0, 0.0], [0.9, 0.436], [0.6, 0.8], [-1.0, 0.0]])
    view /= np.linalg.norm(view, axis=1, keepdims=True)
    graph = labels_bench.propagation_graph(view, k=1)
    assert sp.issparse(graph) and np.allclose((graph - graph.T).toarray(), 0)
    shares = labels_bench.spread(graph, np.array([0, 3]), np.array([[1, 0], [0, 1]]), 0.8)
    assert shares[2, 0] > 0.9  # two steps from row 0, through uncoded row 1
    assert shares[3, 1] > 0.9


def test_cooccurrence_lifts_a_theme_that_comes_with_a_likely_one():
    y = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]])
    proba = np.array([[0.9, 0.1, 0.1]])  # theme 0 likely: theme 1 comes with it, 2 never
    lift = labels_bench.cooccurrence_lift(proba, y)
    assert lift[0, 1] > 0 > lift[0, 2]


def test_the_leads_code_with_their_columns_in_the_combiner():
    rows = coded_rows(60)
    texts = [r["text"] for r in rows]
    plain = CodingModel(engine="fast").fit(texts, _labels(rows), BOOK)
    labels_bench.apply("prop:0.8+cooc")
    model = CodingModel(engine="fast").fit(texts, _labels(rows), BOOK)
    width = model.combiner_.scaler_.n_features_in_
    assert width == plain.combiner_.scaler_.n_features_in_ + 2
    assert model.predict_proba(texts[:3]).shape == (3, len(BOOK.ids))  # new texts too
    again = CodingModel(engine="fast").fit(texts, _labels(rows), BOOK)
    assert np.array_equal(again.proba_, model.proba_)
    truth = [r["truth"] for r in rows]
    right = np.mean([model.coded_[i] == truth[i] for i in range(1, len(rows), 2)])
    assert right > 0.5
