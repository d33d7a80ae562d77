"""bench.coding_representation (code33): its leads install and leave no trace, refuse an
unknown name, and the projections learned from coded rows fit and code (fast engine and toy
vectors here: nothing reads the shared data or the coding encoder)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import bench.coding_representation as rep
from analysis.coding import CodingModel
from analysis.features import CodingFeatures
from tests.analysis.test_coding import BOOK, coded_rows


@pytest.fixture(autouse=True)
def _product_code_back():
    yield
    rep.reset()


def _labels(rows, every: int = 2):
    return [r["truth"] if i % every == 0 else None for i, r in enumerate(rows)]


def test_an_unknown_lead_or_weight_stops_with_the_leads_named():
    with pytest.raises(SystemExit, match="unknown lead 'words'.*chars"):
        rep.parse("words")
    with pytest.raises(SystemExit, match="bad weight"):
        rep.parse("projA:high")
    assert rep.parse("projA") == ("projA", 0.15)
    assert rep.parse("ownlda:1") == ("ownlda", 1.0)


def test_reset_puts_the_product_code_back():
    before = (CodingFeatures.fit, CodingModel._fit_estimators, CodingModel._proba)
    rep.apply("chars")
    assert CodingFeatures.fit is not before[0]
    rep.apply("ownlda:0.5")  # a second lead replaces the first
    assert CodingFeatures.fit is before[0]
    assert CodingModel._fit_estimators is not before[1]
    rep.reset()
    assert (CodingFeatures.fit, CodingModel._fit_estimators, CodingModel._proba) == before


def test_chars_puts_character_grams_beside_the_words():
    rows = coded_rows(60)
    texts = [r["text"] for r in rows]
    plain = CodingFeatures(engine="fast").fit(texts)
    rep.apply("chars")
    wide = CodingFeatures(engine="fast").fit(texts)
    x = wide.transform(texts)
    assert x.shape[1] == len(wide.words_.vocabulary_) > plain.transform(texts).shape[1]
    assert np.allclose(sp.linalg.norm(x, axis=1), 1.0)
    model = CodingModel(engine="fast").fit(texts, _labels(rows), BOOK)
    truth = [r["truth"] for r in rows]
    right = np.mean([model.coded_[i] == truth[i] for i in range(1, len(rows), 2)])
    assert right > 0.5


@pytest.mark.parametrize("kind", ["ownlda", "ownpls"])
def test_a_projection_from_the_coded_rows_reads_multi_label_rows(kind):
    rng = np.random.default_rng(0)
    y = np.zeros((40, 3), dtype=np.int8)
    y[np.arange(40), np.arange(40) % 3] = 1
    y[:5, 0] = 1  # some rows with two themes
    y[35:] = 0  # and some with none
    dense = rng.normal(size=(40, 6)) + 2 * y @ rng.normal(size=(3, 6))
    x = sp.hstack([sp.random(40, 4, density=0.5, random_state=0), sp.csr_matrix(dense)]).tocsr()
    projection = rep.Projection(kind, 0.5, words=4).fit(x, y)
    wide = projection.augment(x)
    assert wide.shape[0] == 40 and wide.shape[1] > x.shape[1]
    extra = wide[:, x.shape[1] :].toarray()
    assert np.allclose(np.linalg.norm(extra, axis=1), 0.5)
    assert rep.Projection(kind, 0.5, words=4).fit(x, np.zeros_like(y)) is None
