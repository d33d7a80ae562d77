"""analysis.coding_propagate (code34): label spreading over every answer, coded or not, as a
column for the coding model's combiner, on by default (fast engine and toy matrices here:
nothing reads the shared data or the coding encoder)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

import analysis.coding_propagate as propagate_module
from analysis.coding import CodingModel
from analysis.coding_propagate import nearest_mean, propagation_graph, spread
from tests.analysis.test_coding import BOOK, coded_rows


def _labels(rows, every: int = 2):
    return [r["truth"] if i % every == 0 else None for i, r in enumerate(rows)]


def test_spreading_reaches_an_answer_through_an_uncoded_one():
    # a chain 0 - 1 - 2 with only row 0 coded (theme 0); row 3, far away, coded theme 1
    view = np.array([[1.0, 0.0], [0.9, 0.436], [0.6, 0.8], [-1.0, 0.0]])
    view /= np.linalg.norm(view, axis=1, keepdims=True)
    graph = propagation_graph(view, neighbours=1)
    assert sp.issparse(graph) and np.allclose((graph - graph.T).toarray(), 0)
    shares = spread(graph, np.array([0, 3]), np.array([[1, 0], [0, 1]]), 0.8)
    assert shares[2, 0] > 0.9 and shares[3, 1] > 0.9
    assert np.allclose(nearest_mean(view[2:3] * 0.99, view, shares, 1), shares[2])


def test_the_graph_is_the_same_whatever_the_chunk(monkeypatch):
    rng = np.random.default_rng(0)
    view = rng.normal(size=(50, 8))
    view /= np.linalg.norm(view, axis=1, keepdims=True)
    whole = propagation_graph(view, neighbours=4)
    monkeypatch.setattr(propagate_module, "CHUNK", 7)
    chunked = propagation_graph(view, neighbours=4).toarray()
    assert np.array_equal(chunked > 0, whole.toarray() > 0)  # the same neighbours
    assert np.allclose(chunked, whole.toarray(), atol=1e-6)  # float32 products' rounding


def test_the_propagation_column_is_on_by_default_and_codes_repeatably():
    rows = coded_rows(60)
    texts = [r["text"] for r in rows]
    assert CodingModel().propagate == 0.8
    off = CodingModel(engine="fast", propagate=0).fit(texts, _labels(rows), BOOK)
    model = CodingModel(engine="fast").fit(texts, _labels(rows), BOOK)
    assert model.combiner_.scaler_.n_features_in_ == off.combiner_.scaler_.n_features_in_ + 1
    again = CodingModel(engine="fast").fit(texts, _labels(rows), BOOK)
    assert np.array_equal(again.proba_, model.proba_) and again.coded_ == model.coded_
    assert model.predict_proba(texts[:3]).shape == (3, len(BOOK.ids))  # new texts too
    truth = [r["truth"] for r in rows]
    right = np.mean([model.coded_[i] == truth[i] for i in range(1, len(rows), 2)])
    assert right > 0.5


def test_a_block_of_cosines_stays_bounded_however_many_answers(monkeypatch):
    # rev34b: CHUNK (1,024) query rows times every answer made one block, so memory grew
    # with the answers (417 MB at 20,000; about 2 GB at 100,000): now at most BLOCK cosines
    rng = np.random.default_rng(0)
    view = rng.normal(size=(300, 8))
    view /= np.linalg.norm(view, axis=1, keepdims=True)
    whole = propagation_graph(view, neighbours=4)
    sizes = []
    real = propagate_module.cosines

    def counted(query, reference):
        block = real(query, reference)
        sizes.append(block.size)
        return block

    monkeypatch.setattr(propagate_module, "cosines", counted)
    monkeypatch.setattr(propagate_module, "BLOCK", 50_000, raising=False)
    bounded = propagation_graph(view, neighbours=4)
    assert max(sizes) <= 50_000 and len(sizes) > 1
    assert (bounded != whole).nnz == 0  # the same graph, to the bit
