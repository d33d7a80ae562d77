"""Per-theme evidence from an answer's clauses (:mod:`analysis.coding_clauses`,
``CodingModel(clauses=True)``)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.coding import CodingModel, sample_f1
from analysis.coding_clauses import (
    FEATURES,
    assign_themes,
    clause_signals,
    clause_texts,
    gather,
    point_starts,
)
from analysis.coding_combine import FEATURES as COMBINER_FEATURES
from analysis.embeddings import available
from tests.analysis.test_coding import BOOK, _labels, coded_rows

pytestmark = pytest.mark.coding_encoder


def unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, float)
    return vector / np.linalg.norm(vector)


def test_answers_split_into_points_and_gathered_by_row():
    owners, points = clause_texts(
        ["Staff were lovely and kind but the wait was four hours long.", "Fine.", ""]
    )
    assert points == ["Staff were lovely and kind", "the wait was four hours long.", "Fine.", ""]
    assert owners.tolist() == [0, 0, 1, 2]
    starts = point_starts(owners, 3)
    assert starts.tolist() == [0, 2, 3, 4]
    index, position = gather(starts, np.array([2, 0]))
    assert index.tolist() == [3, 0, 1] and position.tolist() == [0, 1, 1]


def test_a_point_of_a_multi_theme_answer_carries_its_closest_theme():
    # themes: 0 "staff" along x, 1 "waiting" along y; answer 2 has both
    y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    answers = np.array([unit(1, 0.1), unit(0.1, 1), unit(1, 1), unit(0, 0, 1)[:2] + 0.5])
    points = np.array([unit(1, 0.1), unit(0.1, 1), unit(0.9, 0.2), unit(0.2, 0.9), unit(1, 1)])
    owners = np.array([0, 1, 2, 2, 3])
    carried = assign_themes(points, owners, y, answers)
    assert carried.tolist() == [[1, 0], [0, 1], [1, 0], [0, 1], [0, 0]]


def test_a_theme_carried_by_one_clause_scores_as_if_the_answer_made_that_point_alone():
    # coded: one staff answer, one waiting answer, one with no theme (about parking)
    reference = np.array([unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)])
    y = np.array([[1, 0], [0, 1], [0, 0]])
    # query answer 0 makes both points; answer 1 makes only the waiting point
    query = np.array([unit(1, 0.05, 0), unit(0.05, 1, 0), unit(0.02, 1, 0)])
    columns = clause_signals(query, np.array([0, 0, 1]), 2, reference, np.arange(3), y, reference)
    assert columns.shape == (2, 2, len(FEATURES))
    vote, gap = columns[..., 0], columns[..., 1]
    assert vote[0, 0] > 0.9 and vote[0, 1] > 0.9  # both of answer 0's themes, at full strength
    assert vote[1, 1] > 0.9 and vote[1, 0] < 0.1
    assert gap[0, 0] == pytest.approx(0, abs=1e-9) and gap[0, 1] == pytest.approx(0, abs=1e-9)
    assert gap[1, 0] < -0.5
    # the whole-answer mean, by contrast, is near neither coded answer
    whole = unit(*(query[0] + query[1]))
    assert whole @ reference[0] < 0.75 and whole @ reference[1] < 0.75
    # nothing coded: no votes and no theme found
    empty = clause_signals(
        query,
        np.array([0, 0, 1]),
        2,
        np.zeros((0, 3)),
        np.zeros(0, int),
        np.zeros((0, 2), int),
        np.zeros((0, 3)),
    )
    assert np.all(empty[..., 0] == 0) and np.all(empty[..., 1] == -1)


def test_the_fast_engine_codes_the_same_with_clauses_on():
    rows = coded_rows(120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    clauses = CodingModel(engine="fast", clauses=True).fit(texts, labels, BOOK)
    assert clauses.point_vectors_ is None
    assert np.array_equal(plain.proba_, clauses.proba_) and plain.coded_ == clauses.coded_


@pytest.mark.skipif(not available(), reason="the semantic extra is not installed")
def test_the_semantic_model_reads_each_answers_points():
    rows = coded_rows(160)
    texts = [r["text"] for r in rows]
    labels, picked = _labels(rows, 0.3)
    model = CodingModel(engine="semantic", clauses=True, propagate=0).fit(texts, labels, BOOK)
    # every synthetic answer is an opener sentence and one or two topic sentences
    assert model.point_vectors_.shape[0] > len(texts)
    assert np.allclose(np.linalg.norm(model.point_vectors_, axis=1), 1, atol=1e-4)
    assert model.combiner_.scaler_.n_features_in_ == len(COMBINER_FEATURES) + len(FEATURES)
    rest = [i for i in range(len(rows)) if i not in picked]
    f1 = sample_f1([rows[i]["truth"] for i in rest], [model.coded_[i] for i in rest]).mean()
    assert f1 >= 0.85
    # new texts are split into their points too
    new = ["We back this change. Rents are far too high and nobody can afford a home."]
    proba = model.predict_proba(new)
    assert proba.shape == (1, 3) and BOOK.ids[int(proba.argmax())] == "housing"
    assert "housing" in model.predict(new)[0]


@pytest.mark.skipif(not available(), reason="the semantic extra is not installed")
def test_new_texts_are_split_and_embedded_once_for_all_fold_models(monkeypatch):
    """Predicting new texts splits and embeds their points once, not once per fold model
    (fixa29), and gives the probabilities each fold reading them afresh gave."""
    import analysis.coding as coding

    rows = coded_rows(160)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    model = CodingModel(engine="semantic", clauses=True, propagate=0).fit(texts, labels, BOOK)
    assert len(model.fold_models_) > 1
    new = ["We back this change. Rents are far too high and nobody can afford a home."]
    new += ["Fine.", ""] + texts[:12]
    x = model._transform(new)
    # the reference: every fold model splitting and embedding the texts itself, as before
    expected = np.zeros((len(new), len(model.theme_ids_)))
    for estimators, train, y in model.fold_models_:
        points = model._new_points(new)
        _, signals = model._signals(x, estimators, model.vectors_[train], y, None, train, points)
        fold = model.combiner_.predict_proba(signals, len(model.theme_ids_))
        expected += model._reweigh(fold, None, train, y)
    expected /= len(model.fold_models_)

    calls = []
    split = coding.clause_texts
    monkeypatch.setattr(coding, "clause_texts", lambda t: calls.append(len(t)) or split(t))
    proba = model.predict_proba(new)
    assert calls == [len(new)]
    assert np.array_equal(proba, expected)
