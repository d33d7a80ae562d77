"""How many themes an answer gets (:mod:`analysis.coding_cardinality`,
``CodingModel(cardinality=True)``, the default since ml30) and the answer-length combiner
column (``CodingModel(length=True)``, off by default) (BENCHMARKS.md, "ml30")."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.coding import CodingModel, sample_f1
from analysis.coding_cardinality import (
    MAX_COUNT,
    TOP,
    CountModel,
    answer_length,
    count_features,
    expected_count_matrix,
    top_k_matrix,
)
from analysis.coding_combine import FEATURES as COMBINER_FEATURES
from tests.analysis.test_coding import BOOK, _labels, coded_rows


def test_count_features_read_the_likeliest_themes_and_their_sum():
    proba = np.array([[0.9, 0.1, 0.05], [0.6, 0.7, 0.2]])
    features = count_features(proba)
    assert features.shape == (2, TOP + TOP - 1 + 1)
    assert features[0, 0] > features[0, 1] > features[0, 2]  # log-odds, likeliest first
    assert features[1, 0] == pytest.approx(np.log(0.7 / 0.3))
    assert features[0, TOP] == pytest.approx(np.log(0.9 / 0.1) - np.log(0.1 / 0.9))
    assert np.allclose(features[:, -1], proba.sum(axis=1))
    assert count_features(np.zeros((3, 0))).shape == (3, 2 * TOP)


def test_top_k_takes_each_rows_likeliest_themes():
    proba = np.array([[0.1, 0.8, 0.5], [0.3, 0.2, 0.1], [0.4, 0.4, 0.9]])
    chosen = top_k_matrix(proba, np.array([2, 0, 9]))
    assert chosen.tolist() == [[0, 1, 1], [0, 0, 0], [1, 1, 1]]


def test_the_count_model_learns_how_many_themes_from_the_shape():
    rng = np.random.default_rng(0)
    counts = rng.integers(1, 4, size=300)
    proba = rng.uniform(0.0, 0.2, size=(300, 6))
    for i, c in enumerate(counts):  # as many clear themes as the row has
        proba[i, rng.choice(6, size=c, replace=False)] = rng.uniform(0.6, 0.95, size=c)
    model = CountModel().fit(count_features(proba), counts)
    assert (model.predict(count_features(proba)) == counts).mean() > 0.9
    count_proba = model.predict_proba(count_features(proba))
    assert count_proba.shape == (300, MAX_COUNT + 1)
    assert np.allclose(count_proba.sum(axis=1), 1)
    chosen = expected_count_matrix(proba, count_proba)
    assert (chosen.sum(axis=1) == counts).mean() > 0.9
    # one count only: that count, surely
    same = CountModel().fit(count_features(proba), np.ones(300, int))
    assert same.predict(count_features(proba[:2])).tolist() == [1, 1]
    assert same.predict_proba(count_features(proba[:1]))[0, 1] == 1.0


def test_answer_length_is_the_log_of_one_plus_its_words():
    assert np.allclose(answer_length(["", None, "one two three"]), [0, 0, np.log(4)])


def test_the_count_rule_is_on_by_default_and_the_length_column_off():
    rows = coded_rows(160, seed=7)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.7)  # over MIN_ROWS_TO_CHOOSE coded rows
    default = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert default.cardinality and not default.length
    # and the propagation column (on by default since code34)
    assert default.combiner_.scaler_.n_features_in_ == len(COMBINER_FEATURES) + 1
    off = CodingModel(engine="fast", cardinality=False).fit(texts, labels, BOOK)
    assert off.count_model_ is None and off.rule_ != "cardinality"
    assert np.array_equal(default.proba_, off.proba_)  # only the decision may differ


def test_the_count_rule_is_tried_and_kept_only_where_it_scores_better():
    rows = coded_rows(160, seed=7)
    texts = [r["text"] for r in rows]
    labels, picked = _labels(rows, 0.7)
    plain = CodingModel(engine="fast", cardinality=False).fit(texts, labels, BOOK)
    model = CodingModel(engine="fast", cardinality=True).fit(texts, labels, BOOK)
    assert np.array_equal(plain.proba_, model.proba_)  # the probabilities do not change
    if model.rule_ == "cardinality":
        assert model.count_model_ is not None
    else:
        assert model.count_model_ is None and model.coded_ == plain.coded_
    rest = [i for i in range(len(rows)) if i not in picked]
    f1 = sample_f1([rows[i]["truth"] for i in rest], [model.coded_[i] for i in rest]).mean()
    assert f1 >= 0.85
    assert all(model.coded_[i] == rows[i]["truth"] for i in picked)
    # too few coded rows to choose a rule on: never tried
    few, _ = _labels(rows, 0.3)
    small = CodingModel(engine="fast", cardinality=True).fit(texts, few, BOOK)
    assert small.count_model_ is None and small.rule_ != "cardinality"


def test_a_forced_count_rule_codes_new_texts():
    rows = coded_rows(160, seed=7)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.7)
    model = CodingModel(engine="fast", cardinality=True).fit(texts, labels, BOOK)
    proba = model.proba_
    model.rule_ = "cardinality"
    model.count_model_ = CountModel().fit(
        count_features(proba), np.array([len(t) for t in model.coded_])
    )
    chosen = model.decide_matrix(proba)
    assert chosen.shape == proba.shape and chosen.sum(axis=1).min() >= 1
    assert model.predict(["Rents are too high and housing is unaffordable."])[0] >= {"housing"}


def test_the_length_column_is_read_for_fitted_rows_and_new_texts():
    rows = coded_rows(160, seed=7)
    texts = [r["text"] for r in rows]
    labels, picked = _labels(rows, 0.3)
    model = CodingModel(engine="fast", length=True, propagate=0).fit(texts, labels, BOOK)
    assert model.combiner_.scaler_.n_features_in_ == len(COMBINER_FEATURES) + 1
    assert np.allclose(model.row_length_, answer_length(texts))
    rest = [i for i in range(len(rows)) if i not in picked]
    f1 = sample_f1([rows[i]["truth"] for i in rest], [model.coded_[i] for i in rest]).mean()
    assert f1 >= 0.85
    # new texts read their own length; features without texts read the median length
    assert np.allclose(model.predict_proba(texts[:5]), model.proba_[:5])
    x = model._transform(texts[:5])
    assert model.predict_proba_vectors(x).shape == (5, 3)
    assert model._lengths(None, 2, None).tolist() == [np.median(model.row_length_)] * 2
