"""Selection rules measured for issue 13 on few coded rows (BENCHMARKS.md "code14"): a gain
for themes with few coded examples (``GAIN``), fewer rows doubted only for maybe having no
theme (``NONE_WEIGHT``), the doubt of which answer a row makes (``DOUBT = "margin"``),
coverage first (``COVER``), themes in turn (``TURNS``) and batches by clusters
(``CLUSTERS``). All are off by default, leaving the suggestions as they were."""

from __future__ import annotations

import random

import numpy as np
import pytest

import analysis.suggest as module
from analysis.coding import CodingModel
from analysis.coverage import coded_counts
from analysis.suggest import suggest
from tests.analysis.test_coding import BOOK, coded_rows


@pytest.fixture(scope="module")
def fitted():
    """A model fitted on 40 coded rows of 160 (fewer than ``SMALL``), none coded 'skills'."""
    rows = coded_rows(count=160, seed=8)
    rng = random.Random(1)
    labels = [None] * len(rows)
    for i in rng.sample(range(len(rows)), 60):
        if "skills" not in rows[i]["truth"] and sum(x is not None for x in labels) < 40:
            labels[i] = rows[i]["truth"]
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    assert len(model.coded_rows_) < module.SMALL
    return model


def _uncoded(model) -> np.ndarray:
    return np.array([i for i, s in enumerate(model.source_) if s == "model"], int)


def test_the_new_rules_are_off_by_default_and_leave_the_score_as_it_is(fitted):
    assert (module.GAIN, module.NONE_WEIGHT, module.DOUBT) == (0.0, 0.0, "confidence")
    assert (module.COVER, module.TURNS, module.CLUSTERS) == (0.0, False, 0.0)
    uncoded = _uncoded(fitted)
    score = np.linspace(0.1, 0.9, uncoded.size)
    reasons = ["r"] * uncoded.size
    assert module._small_terms(score, reasons, fitted, uncoded) is score
    assert reasons == ["r"] * uncoded.size


def test_none_weight_scales_the_score_by_the_chance_of_some_theme(fitted, monkeypatch):
    uncoded = _uncoded(fitted)
    score = np.full(uncoded.size, 0.5)
    monkeypatch.setattr(module, "NONE_WEIGHT", 2.0)
    weighed = module._small_terms(score, ["r"] * uncoded.size, fitted, uncoded)
    some = 1 - np.prod(1 - fitted.proba_[uncoded], axis=1)
    assert np.allclose(weighed, 0.5 * some**2)
    # so of two equally doubtful rows the likelier to have no theme ranks lower
    assert np.argmax(weighed) == np.argmax(some)


def test_gain_favours_likely_examples_of_a_theme_nobody_coded(fitted, monkeypatch):
    uncoded = _uncoded(fitted)
    skills = fitted.theme_ids_.index("skills")
    assert coded_counts(fitted)[skills] == 0
    monkeypatch.setattr(module, "GAIN", 1.0)
    score = np.zeros(uncoded.size)
    reasons = ["r"] * uncoded.size
    gained = module._small_terms(score, reasons, fitted, uncoded)
    assert gained.max() == pytest.approx(1.0)  # scaled to 0-1 over the uncoded rows
    top = int(np.argmax(gained))
    assert fitted.proba_[uncoded[top]].argmax() == skills
    assert reasons[top] == "may be an example of theme skills, which has 0 coded"
    picks = suggest(5, fitted.vectors_, coding=fitted)
    assert any("theme skills" in p.reason for p in picks)


def test_margin_doubt_is_highest_between_two_equally_likely_answers():
    proba = np.array([[0.9, 0.05], [0.5, 0.5], [0.02, 0.02]])
    doubt = module._which_doubt(proba)
    assert doubt[1] == pytest.approx(1.0)  # two themes alike, 'no theme' 0.25 behind
    assert doubt[0] < 0.3 and doubt[2] < 0.3  # sure of a theme; sure of none
    assert np.all((doubt >= 0) & (doubt <= 1))


def test_margin_doubt_drives_the_suggestions_when_chosen(fitted, monkeypatch):
    monkeypatch.setattr(module, "DOUBT", "margin")
    uncoded = _uncoded(fitted)
    doubt, _ = module._theme_doubt(fitted, uncoded)
    assert np.allclose(doubt, module._which_doubt(fitted.proba_[uncoded]))
    picks = suggest(4, fitted.vectors_, coding=fitted)
    assert len({p.row for p in picks}) == 4 and all(p.row in set(uncoded) for p in picks)


def test_cover_asks_for_rows_unlike_every_coded_one(fitted, monkeypatch):
    coded = np.asarray(fitted.coded_rows_, int)
    vectors = module.normalize(fitted.vectors_)
    rows = np.concatenate([coded[:3], _uncoded(fitted)])
    unlike = module._unlike_coded(vectors, rows, coded)
    assert np.allclose(unlike[:3], 0.0, atol=1e-6)  # a coded row is its own nearest
    assert np.all((unlike >= 0) & (unlike <= 1))
    monkeypatch.setattr(module, "COVER", 1.0)  # every batch while under SMALL coded rows
    picks = suggest(4, fitted.vectors_, coding=fitted)
    assert {p.reason for p in picks} == {"a typical response not yet like any coded one"}
    uncoded = _uncoded(fitted)
    scores = module._unlike_coded(vectors, uncoded, coded)
    assert picks[0].row == uncoded[np.argmax(scores * module._density(vectors, uncoded))]


def test_turns_take_the_theme_with_fewest_coded_examples_first(fitted, monkeypatch):
    monkeypatch.setattr(module, "TURNS", True)
    picks = suggest(6, fitted.vectors_, coding=fitted)
    assert len({p.row for p in picks}) == 6
    themes = [p.reason.split()[3] for p in picks]
    order = [fitted.theme_ids_[j] for j in np.argsort(coded_counts(fitted), kind="stable")]
    assert themes == order * 2  # three themes, in turn, 'skills' (none coded) first
    assert themes[0] == "skills"


def test_clusters_take_the_best_row_of_each_cluster():
    vectors = np.array([[1, 0], [0.99, 0.1], [0.98, 0.2], [0, 1], [0.1, 0.99], [0.2, 0.98]])
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    score = np.array([0.9, 0.8, 0.7, 0.1, 0.3, 0.2])  # MMR at low diversity: rows 0 and 1
    rows = np.arange(10, 16)
    picks = module._clustered(score, ["r"] * 6, vectors, rows, 2, (score, None))
    assert [p.row for p in picks] == [10, 14]  # the best of each group, the better first
    assert picks[0].theme_doubt == 0.9 and picks[0].stance_doubt is None


def test_clusters_replace_the_batch_rule_only_when_asked(fitted, monkeypatch):
    before = [p.row for p in suggest(6, fitted.vectors_, coding=fitted)]
    monkeypatch.setattr(module, "CLUSTERS", 1.0)
    after = suggest(6, fitted.vectors_, coding=fitted)
    assert len({p.row for p in after}) == 6 and all(p.row in set(_uncoded(fitted)) for p in after)
    monkeypatch.setattr(module, "CLUSTERS", 0.0)
    assert [p.row for p in suggest(6, fitted.vectors_, coding=fitted)] == before
