"""Co-training (``CodingModel(cotrain=...)``, off by default): uncoded responses on which a
words-only and a vectors-only classifier agree surely become pseudo-coded rows of that
theme's classifier (:mod:`analysis.coding_cotrain`)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

import analysis.coding as coding_module
from analysis.coding import CodingModel
from analysis.coding_cotrain import agreed
from tests.analysis.test_coding import BOOK, _labels, coded_rows


def _two_views(rows: int, seed: int = 0) -> tuple[sp.csr_matrix, np.ndarray]:
    """Rows whose first two columns (the "words") and last two (the "vectors") both say
    whether the one theme applies: positives at (1, 0), negatives at (0, 1), with noise."""
    rng = np.random.default_rng(seed)
    y = (np.arange(rows) % 2 == 0).astype(np.int8)[:, None]
    signal = np.column_stack([y[:, 0], 1 - y[:, 0]]).astype(float)
    words = 3 * signal + rng.normal(0, 0.1, (rows, 2))
    vectors = 3 * signal + rng.normal(0, 0.1, (rows, 2))
    return sp.csr_matrix(np.hstack([words, vectors])), y


def test_rows_the_views_agree_on_teach_and_rows_they_dispute_do_not():
    train, y = _two_views(40)
    pool = sp.csr_matrix(
        [
            [3.0, 0.0, 3.0, 0.0],  # both views: the theme applies
            [0.0, 3.0, 0.0, 3.0],  # both views: it does not
            [3.0, 0.0, 0.0, 3.0],  # the views disagree
        ]
    )
    codes, mask = agreed(train, y, np.ones(len(y)), pool, split=2, C=16.0)
    assert codes[:, 0].tolist() == [1, 0, 0]
    assert mask[:, 0].tolist() == [True, True, False]
    # unsure views teach nothing: with thresholds no probability can pass
    codes, mask = agreed(train, y, np.ones(len(y)), pool, split=2, C=16.0, high=1.01, low=-1)
    assert not mask.any() and not codes.any()
    # one view only (all columns words): no second opinion, no pseudo-codes
    _, mask = agreed(train, y, np.ones(len(y)), pool, split=4, C=16.0)
    assert not mask.any()


def test_cotrain_is_off_by_default_and_needs_two_views(monkeypatch):
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    assert CodingModel().cotrain == 0.0
    calls = []
    real = coding_module.agreed
    monkeypatch.setattr(
        coding_module, "agreed", lambda *a, **k: calls.append(a[3].shape) or real(*a, **k)
    )
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert calls == []  # off: the uncoded rows are never asked about
    # the fast engine has one view (words): every pair is left out, outputs unchanged
    both = CodingModel(engine="fast", cotrain=0.5).fit(texts, labels, BOOK)
    uncoded = sum(label is None for label in labels)
    assert calls and all(shape[0] == uncoded for shape in calls)
    assert both.coded_ == plain.coded_
    np.testing.assert_allclose(both.proba_, plain.proba_)
