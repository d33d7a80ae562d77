"""Themes' shares among the uncoded rows (``CodingModel(prior_shift=...)``), the
combiner's regularisation (``combiner_c``) and classifiers refitted on every coded row
(``refit``): options of the coding model, off by default (BENCHMARKS.md, ``kpcode``)."""

from __future__ import annotations

import random

import numpy as np

from analysis.coding import MIN_ROWS_TO_CHOOSE, CodingModel
from analysis.coding_prior import shift_priors
from tests.analysis.test_coding import BOOK, _labels, coded_rows


def test_em_finds_a_theme_rarer_among_the_uncoded_rows_and_lowers_it():
    # learned where the theme had half the rows; among these rows about a fifth look like it
    proba = np.array([[0.9]] * 20 + [[0.1]] * 80)
    shifted, share = shift_priors(proba, np.array([0.5]), strength=1.0)
    assert share[0] < 0.2  # the EM estimate: rarer than the coded share, as the rows say
    assert np.all(shifted[:, 0] < proba[:, 0])  # every probability moves down
    # the order of the rows is kept and half the strength moves half the log odds
    half, _ = shift_priors(proba, np.array([0.5]), strength=0.5)
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    np.testing.assert_allclose(
        logit(half) - logit(np.clip(proba, 1e-4, 1 - 1e-4)),
        0.5 * (logit(shifted) - logit(np.clip(proba, 1e-4, 1 - 1e-4))),
    )
    # strength 0 and an empty matrix leave the probabilities as they were
    same, _ = shift_priors(proba, np.array([0.5]), strength=0.0)
    np.testing.assert_allclose(same, proba)
    empty, _ = shift_priors(np.zeros((0, 2)), np.array([0.5, 0.5]))
    assert empty.shape == (0, 2)


def test_a_share_that_matches_the_rows_stays_where_it_is():
    rng = np.random.default_rng(0)
    truth = rng.random(4000) < 0.3
    proba = np.where(truth, 0.8, 0.1)[:, None]  # calibrated-ish, share 0.3 by construction
    shifted, share = shift_priors(proba, np.array([proba.mean()]), strength=1.0)
    assert abs(share[0] - proba.mean()) < 0.01
    np.testing.assert_allclose(shifted, proba, atol=0.02)


def test_options_are_off_by_default_and_change_only_the_model_coded_rows():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    model = CodingModel()
    assert (model.prior_shift, model.refit, model.combiner_c) == (0.0, 0.0, 1.0)
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert plain.full_estimators_ is None and plain.uncoded_share_ is None
    human = [i for i, label in enumerate(labels) if label is not None]
    for option in ({"prior_shift": 1.0}, {"refit": 0.5}, {"combiner_c": 0.1}):
        other = CodingModel(engine="fast", **option).fit(texts, labels, BOOK)
        assert [other.coded_[i] for i in human] == [plain.coded_[i] for i in human]
        assert not np.allclose(other.proba_, plain.proba_), option
        again = CodingModel(engine="fast", **option).fit(texts, labels, BOOK)
        assert again.coded_ == other.coded_  # reproducible
        np.testing.assert_array_equal(again.proba_, other.proba_)
    shifted = CodingModel(engine="fast", prior_shift=1.0).fit(texts, labels, BOOK)
    np.testing.assert_array_equal(shifted.proba_[human], plain.proba_[human])
    assert shifted.uncoded_share_.shape == (len(BOOK.ids),)
    refitted = CodingModel(engine="fast", refit=1.0).fit(texts, labels, BOOK)
    assert len(refitted.full_estimators_) == len(BOOK.ids)
    # new texts go through the refitted classifiers too
    assert refitted.predict_proba(["the buses are late"]).shape == (1, len(BOOK.ids))


def test_fixed_no_theme_factor_applies_only_with_too_few_coded_rows_to_tune():
    rows = coded_rows()
    texts = [r["text"] for r in rows]
    rng = random.Random(1)
    few = set(rng.sample(range(len(rows)), 40))
    labels = [r["truth"] if i in few else None for i, r in enumerate(rows)]
    for i in sorted(few)[:15]:
        labels[i] = frozenset()  # many coded with none: the rule leaves many rows empty
    plain = CodingModel(engine="fast", seed=0, none_scale=1.0).fit(texts, labels, BOOK)
    scaled = CodingModel(engine="fast", seed=0, none_scale=0.3).fit(texts, labels, BOOK)
    assert plain.rule_ == scaled.rule_ == "expected_f1"
    assert (plain.none_factor_, scaled.none_factor_) == (1.0, 0.3)
    uncoded = [i for i, label in enumerate(labels) if label is None]
    empty = lambda model: sum(not model.coded_[i] for i in uncoded)  # noqa: E731
    assert empty(scaled) < empty(plain)  # fewer rows left with no theme
    np.testing.assert_array_equal(scaled.proba_, plain.proba_)  # only the rule moved
    # with enough rows to tune the rule's scale and shift the factor is not used
    many = set(rng.sample(range(len(rows)), MIN_ROWS_TO_CHOOSE + 10))
    labels = [r["truth"] if i in many else None for i, r in enumerate(rows)]
    tuned = CodingModel(engine="fast", seed=0, none_scale=0.3).fit(texts, labels, BOOK)
    assert tuned.none_factor_ == 1.0
