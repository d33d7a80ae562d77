"""The coding model's combiner (nearest coded responses, codebook similarity, ranks) and its
expected-F1 decision rule."""

from __future__ import annotations

import random

import numpy as np
import pytest

from analysis.agreement import coding_metrics
from analysis.coding import (
    MIN_ROWS_TO_CHOOSE,
    CodingModel,
    expected_f1_matrix,
    multi_hot_f1,
    recalibrate,
    sample_f1,
)
from analysis.coding_combine import FEATURES, ThemeCombiner, neighbour_signals, pair_features
from tests.analysis.test_coding import BOOK, coded_rows


def test_neighbour_vote_follows_the_most_similar_coded_rows():
    reference = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    y = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0]])
    query = np.array([[1.0, 0.0], [0.0, 1.0]])
    vote, gap, nearest = neighbour_signals(query, reference, y, neighbours=2, temperature=0.05)
    assert vote.shape == (2, 3) and np.allclose(vote.sum(axis=1), 1.0)
    assert vote[0, 0] > 0.99 and vote[1, 1] > 0.99  # the identical coded row dominates
    assert gap[0, 0] == pytest.approx(0.0) and gap[0, 1] == pytest.approx(-0.4)
    assert np.all(gap[:, 2] == -1.0)  # nobody coded the third theme
    assert np.allclose(nearest, 1.0)
    empty = neighbour_signals(query, np.zeros((0, 2)), np.zeros((0, 3), int))
    assert empty[0].shape == (2, 3) and np.all(empty[1] == -1.0)


def test_pair_features_are_response_major_with_ranks():
    proba = np.array([[0.9, 0.2, 0.6], [0.1, 0.3, 0.2]])
    zeros = np.zeros_like(proba)
    features = pair_features(proba, zeros, zeros, zeros, zeros, np.zeros(3), np.zeros(2))
    assert features.shape == (6, len(FEATURES))
    first = FEATURES.index("classifier rank first")
    second = FEATURES.index("classifier rank second")
    assert list(features[:, first]) == [1, 0, 0, 0, 1, 0]
    assert list(features[:, second]) == [0, 0, 1, 0, 0, 1]
    below = FEATURES.index("below the likeliest")
    assert features[2, below] == pytest.approx(-0.3)


def test_combiner_learns_a_shared_rule_and_handles_one_class():
    rng = np.random.default_rng(0)
    y = (rng.random((200, 4)) < 0.3).astype(int)
    proba = np.clip(0.7 * y + 0.3 * rng.random(y.shape), 0.01, 0.99)
    zeros = np.zeros_like(proba)
    features = pair_features(proba, zeros, zeros, zeros, zeros, np.zeros(4), np.zeros(200))
    combined = ThemeCombiner().fit(features, y).predict_proba(features, 4)
    assert combined.shape == y.shape
    assert combined[y == 1].mean() > 0.8 and combined[y == 0].mean() < 0.2
    constant = ThemeCombiner().fit(features, np.zeros_like(y)).predict_proba(features, 4)
    assert constant.shape == y.shape and not constant.any()


def test_expected_f1_rule_chooses_how_many_themes():
    proba = np.array(
        [
            [0.95, 0.05, 0.02],  # one clear theme
            [0.9, 0.85, 0.05],  # two clear themes
            [0.03, 0.02, 0.01],  # most likely none
            [0.4, 0.3, 0.0],  # unsure between two: both (expected F1 0.47 > 0.4)
        ]
    )
    chosen = expected_f1_matrix(proba)
    assert chosen.tolist() == [[1, 0, 0], [1, 1, 0], [0, 0, 0], [1, 1, 0]]
    assert expected_f1_matrix(np.zeros((2, 0))).shape == (2, 0)
    # a shift down of the log-odds makes the unsure row's best choice no theme at all
    shifted = expected_f1_matrix(recalibrate(proba, 1.0, -1.0))
    assert shifted[3].tolist() == [0, 0, 0] and shifted[1].tolist() == [1, 1, 0]
    assert np.allclose(recalibrate(proba, 1.0, 0.0), np.clip(proba, 1e-6, 1 - 1e-6))


def _split(rows, share, seed=0):
    picked = set(random.Random(seed).sample(range(len(rows)), int(share * len(rows))))
    labels = [r["truth"] if i in picked else None for i, r in enumerate(rows)]
    return labels, picked


def test_combined_model_codes_the_rest_and_keeps_human_codes():
    rows = coded_rows(240, seed=11)
    texts = [r["text"] for r in rows]
    labels, picked = _split(rows, 0.25)
    model = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert model.combiner_ is not None and len(model.fold_models_) == 5
    assert model.rule_ == "expected_f1"  # 60 coded rows: too few to tune the rule on
    rest = [i for i in range(len(rows)) if i not in picked]
    f1 = sample_f1([rows[i]["truth"] for i in rest], [model.coded_[i] for i in rest]).mean()
    assert f1 > 0.85
    assert all(model.coded_[i] == rows[i]["truth"] for i in picked)
    assert model.predict(["The buses are always late and I cannot get to work"]) == [
        frozenset({"buses"})
    ]
    plain = CodingModel(engine="fast", combine=False).fit(texts, labels, BOOK)
    assert plain.combiner_ is None and plain.rule_ == "thresholds"
    metrics = coding_metrics(model, curve=False)
    assert metrics["decision_rule"]["combined"] is True
    assert metrics["decision_rule"]["rule"] == "expected_f1"
    assert metrics["sample_f1"] > 0.8
    again = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert np.array_equal(again.proba_, model.proba_)  # seeded: reruns are identical


def test_rule_is_chosen_by_cross_validation_with_enough_coded_rows():
    rows = coded_rows(300, seed=12)
    texts = [r["text"] for r in rows]
    labels, picked = _split(rows, 0.5)
    assert len(picked) >= MIN_ROWS_TO_CHOOSE
    model = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert model.rule_ in {"thresholds", "expected_f1", "cardinality"}
    coded = np.array(sorted(picked))
    truth = [rows[i]["truth"] for i in coded]
    y = np.array([[t in s for t in model.theme_ids_] for s in truth], int)
    assert multi_hot_f1(y, model.decide_matrix(model.proba_[coded])).mean() > 0.85
    forced = CodingModel(engine="fast", decision="thresholds").fit(texts, labels, BOOK)
    assert forced.rule_ == "thresholds"
