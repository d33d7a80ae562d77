"""``CodingModel(word_vote=..., cooccur=..., smooth=..., prior_mix=...)``: extra combiner columns
(:mod:`analysis.coding_extra`), off by default."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from analysis.coding import FEATURE_NAMES, CodingModel
from analysis.coding_extra import (
    cooccurrence_support,
    nearest_rows,
    nearest_to,
    smoothed_logit,
)
from tests.analysis.test_coding import BOOK, _labels, coded_rows


def test_cooccurrence_support_follows_the_coded_pairs():
    # themes 0 and 1 always together, theme 2 always alone
    y = np.array([[1, 1, 0]] * 6 + [[0, 0, 1]] * 6)
    proba = np.array([[0.9, 0.1, 0.1], [0.1, 0.1, 0.9]])
    support = cooccurrence_support(proba, y)
    assert support.shape == (2, 3)
    assert support[0, 1] > 0.3  # theme 0 likely: theme 1 more likely than its base rate
    assert support[0, 2] < -0.3  # and theme 2 less
    assert support[1, 0] < -0.3 and support[1, 1] < -0.3  # theme 2 likely: neither
    # no other theme has any weight: the base rate, log ratio 0
    alone = cooccurrence_support(np.array([[0.0, 0.0, 0.8]]), y)
    np.testing.assert_allclose(alone[0, 2], 0.0)


def test_nearest_rows_leave_out_the_row_itself():
    rng = np.random.default_rng(0)
    vectors = normalize(rng.normal(size=(30, 8)))
    vectors[1] = vectors[0] + 1e-3
    vectors = normalize(vectors)
    found = nearest_rows(vectors, 3)
    assert found.shape == (30, 3)
    assert all(i not in found[i] for i in range(30))
    assert 1 in found[0] and 0 in found[1]
    # a new row equal to row 5 finds row 5 itself
    assert 5 in nearest_to(vectors[5:6], vectors, 3)[0]


def test_smoothed_logit_is_the_neighbours_mean():
    every = np.array([[0.9, 0.1], [0.5, 0.5], [0.1, 0.9]])
    logit = smoothed_logit(every, np.array([[0, 1], [2, 2]]))
    np.testing.assert_allclose(logit[0], np.log([0.7 / 0.3, 0.3 / 0.7]))
    np.testing.assert_allclose(logit[1], np.log([0.1 / 0.9, 0.9 / 0.1]))


def test_off_by_default_and_the_options_add_columns():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, picked = _labels(rows, 0.3)
    default = CodingModel()
    assert (default.word_vote, default.cooccur, default.smooth, default.prior_mix) == (0,) * 4
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    width = len(FEATURE_NAMES)
    assert plain.combiner_.scaler_.n_features_in_ == width
    for option, extra in (("word_vote", 2), ("cooccur", 1), ("smooth", 1), ("prior_mix", 2)):
        model = CodingModel(engine="fast", **{option: 1.0}).fit(texts, labels, BOOK)
        assert model.combiner_.scaler_.n_features_in_ == width + extra, option
        assert not np.allclose(model.proba_, plain.proba_), option
        for i in picked:  # human codes are kept
            assert model.coded_[i] == rows[i]["truth"]
        again = CodingModel(engine="fast", **{option: 1.0}).fit(texts, labels, BOOK)
        np.testing.assert_array_equal(again.proba_, model.proba_)
        new = model.predict_proba(["the buses are late", "more parks please"])
        assert new.shape == (2, len(BOOK.ids)) and np.all((new >= 0) & (new <= 1))


def test_coding_extra_uses_the_shared_dense_helper():
    """fix #7: the code15 merge re-added a local ``_dense``; one helper, in features, serves."""
    import scipy.sparse as sp

    from analysis import coding_extra, features

    assert not hasattr(coding_extra, "_dense") and coding_extra.dense is features.dense
    assert coding_extra.dense(sp.identity(2, format="csr")).tolist() == [[1.0, 0.0], [0.0, 1.0]]
