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


def test_identical_answers_read_the_same_spread():
    # rev34b: among many identical answers, which ten a copy is joined to is a tie, so the
    # copies' spread shares differed (by up to 0.005 here) and identical words could be coded
    # differently; the uncoded copies now take their mean (propagate=0 never differed)
    rows = coded_rows(60)
    texts = [r["text"] for r in rows]
    labels = _labels(rows)
    copies = {}
    for i in range(0, 60, 5):
        copies[i] = list(range(len(texts), len(texts) + 14))
        texts += [texts[i]] * 14
        labels += [None] * 14
    model = CodingModel(engine="fast").fit(texts, labels, BOOK)
    for i, group in copies.items():
        group = group + ([i] if labels[i] is None else [])
        assert np.ptp(model.proba_[group], axis=0).max() == 0
        assert len({model.coded_[g] for g in group}) == 1


def test_twins_mean_leaves_rows_without_an_uncoded_twin_alone():
    view = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]))
    groups = propagate_module.twins(view)
    assert groups[0] == groups[1] == groups[3] != groups[2]
    dense = propagate_module.twins(view.toarray())
    assert dense[0] == dense[1] == dense[3] != dense[2]
    shares = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8], [0.3, 0.7]])
    out = propagate_module.twins_mean(shares, groups, np.array([0]))
    assert np.array_equal(out[[0, 2]], shares[[0, 2]])  # seeded; no twin
    assert np.allclose(out[[1, 3]], [[0.4, 0.6], [0.4, 0.6]])
