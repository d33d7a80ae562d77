"""Per-clause classifier scores as combiner columns (``CodingModel(clause_scores=True)``,
:func:`analysis.coding_clauses.clause_score_columns`; BENCHMARKS.md "ml31")."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.coding import CodingModel, sample_f1
from analysis.coding_clauses import SCORE_FEATURES, clause_score_columns
from analysis.coding_combine import FEATURES as COMBINER_FEATURES
from tests.analysis.test_coding import BOOK, _labels, coded_rows

pytestmark = pytest.mark.coding_encoder


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def test_a_theme_one_clause_makes_scores_as_that_clause_and_one_point_answers_as_themselves():
    # answer 0: two points, the second much surer of theme 1 than the whole answer;
    # answer 1: one point (its own text), scored as the answer
    whole = np.array([[0.6, 0.2], [0.3, 0.7]])
    points = np.array([[0.5, 0.1], [0.1, 0.9], [0.3, 0.7]])
    columns = clause_score_columns(whole, points, np.array([0, 0, 1]), 2)
    assert columns.shape == (4, len(SCORE_FEATURES))
    best, excess = columns[:, 0].reshape(2, 2), columns[:, 1].reshape(2, 2)
    assert best[0, 1] == pytest.approx(logit(0.9)) and excess[0, 1] == pytest.approx(
        logit(0.9) - logit(0.2)
    )
    # no point above the whole answer: the whole answer's logit, no excess
    assert best[0, 0] == pytest.approx(logit(0.6)) and excess[0, 0] == pytest.approx(0)
    assert np.allclose(best[1], [logit(0.3), logit(0.7)]) and np.allclose(excess[1], 0)
    assert clause_score_columns(np.zeros((0, 2)), np.zeros((0, 2)), np.zeros(0, int), 0).shape == (
        0,
        2,
    )


def test_off_by_default_and_the_combiner_reads_two_more_columns_when_on():
    rows = coded_rows(120, seed=5)
    texts = [r["text"] for r in rows]
    labels, picked = _labels(rows, 0.3)
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert plain.clause_scores is False and plain.score_points_ is None
    assert plain.combiner_.scaler_.n_features_in_ == len(COMBINER_FEATURES)
    model = CodingModel(engine="fast", clause_scores=True).fit(texts, labels, BOOK)
    assert model.combiner_.scaler_.n_features_in_ == len(COMBINER_FEATURES) + len(SCORE_FEATURES)
    # every synthetic answer is an opener sentence and one or two topic sentences
    assert model.score_points_.shape[0] > len(texts)
    rest = [i for i in range(len(rows)) if i not in picked]
    f1 = sample_f1([rows[i]["truth"] for i in rest], [model.coded_[i] for i in rest]).mean()
    assert f1 >= 0.8
    again = CodingModel(engine="fast", clause_scores=True).fit(texts, labels, BOOK)
    assert np.array_equal(model.proba_, again.proba_) and model.coded_ == again.coded_


def test_new_texts_are_split_into_points_and_match_the_fitted_rows():
    rows = coded_rows(120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    model = CodingModel(engine="fast", clause_scores=True).fit(texts, labels, BOOK)
    # a fitted answer read as a new text gets the probabilities the fit gave it
    assert np.allclose(model.predict_proba(texts[:5]), model.proba_[:5])
    new = ["We back this change. Rents are far too high and nobody can afford a home.", ""]
    proba = model.predict_proba(new)
    assert proba.shape == (2, len(BOOK.ids)) and np.all((proba >= 0) & (proba <= 1))
    assert BOOK.ids[int(proba[0].argmax())] == "housing"
