"""Answers that fit no theme (:mod:`analysis.fit`): the rule on vectors, and the flag,
counts and column a fitted model gives (finding 3 of the seventh smoke walk)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from analysis import ThemeModel
from analysis import fit as fitmod
from analysis.neighbours import cells
from analysis.output import ASSIGNMENT_COLUMNS, themes_document, write_assignments
from tests.analysis.fixtures import responses

pytestmark = pytest.mark.coding_encoder

OFF_TOPIC = "My cat prefers tuna to chicken and sleeps on the radiator all afternoon."


def clustered(count: int = 60, seed: int = 0) -> np.ndarray:
    """Unit vectors around three centres, each with near neighbours."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 16))
    points = centres[np.arange(count) % 3] + 0.15 * rng.normal(size=(count, 16))
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def test_an_answer_unlike_every_other_is_below_the_floor_and_no_other_is():
    vectors = clustered()
    odd = np.zeros((1, 16))
    odd[0, 0] = 1.0
    vectors = np.vstack([vectors, odd])
    similarity = fitmod.nearest_others(vectors)
    score = fitmod.fit_scores(similarity, np.ones(len(vectors)))
    flagged = fitmod.fits_no_theme(score)
    assert flagged[-1] and not flagged[:-1].any()


def test_an_answer_several_people_gave_fits_and_small_runs_are_not_measured():
    vectors = clustered()
    odd = np.zeros((1, 16))
    odd[0, 0] = 1.0
    vectors = np.vstack([vectors, odd])
    weights = np.ones(len(vectors))
    weights[-1] = 3  # said word for word by three respondents
    score = fitmod.fit_scores(fitmod.nearest_others(vectors), weights)
    assert score[-1] == 0 and not fitmod.fits_no_theme(score).any()
    few = vectors[: fitmod.MIN_ANSWERS - 1]
    assert not fitmod.fit_scores(fitmod.nearest_others(few), np.ones(len(few))).any()


def test_the_nearest_other_answers_leave_the_answer_out_and_cells_search_within_cells():
    vectors = clustered(90)
    exact = fitmod.nearest_others(vectors)
    full = vectors @ vectors.T
    np.fill_diagonal(full, -2)
    top = -np.sort(-full, axis=1)[:, : fitmod.NEIGHBOURS]
    assert np.allclose(exact, top.mean(axis=1), atol=1e-5)
    assert np.allclose(fitmod.nearest_others(vectors, count=1), full.max(axis=1), atol=1e-5)
    within = fitmod.nearest_others(vectors, cells(vectors, 40, 0))
    assert (within <= exact + 1e-5).all() and (within > -1).all()
    assert fitmod.nearest_others(vectors[:1]).tolist() == [1.0]


@pytest.fixture(scope="module")
def fitted(engine):
    rows = responses(150)
    texts = [r["answer"] for r in rows] + [OFF_TOPIC]
    ids = [r["response_id"] for r in rows] + ["OFF"]
    model = ThemeModel(n_themes="auto", engine=engine, seed=0).fit(texts, ids=ids)
    return model


def test_a_fitted_model_flags_the_off_topic_answer_and_counts_it_in_its_theme(fitted):
    row = fitted.ids_.index("OFF")
    assert fitmod.FIT_FLAG in fitted.flags_[row]
    assert fitted.fit_[row] < fitmod.FIT_FLOOR
    flagged = [i for i, flags in enumerate(fitted.flags_) if fitmod.FIT_FLAG in flags]
    # the one unlike the other answers is the least fitting; the synthetic answers are
    # variants of 12 sentences, so a few odd combinations of them are flagged too
    assert fitted.fit_[row] == min(fitted.fit_)
    assert len(flagged) <= 0.06 * len(fitted.flags_)
    assert fitted.summary_["fits_no_theme"] == len(flagged)
    per_theme = {t["id"]: t["fits_no_theme"] for t in fitted.themes_}
    assert sum(per_theme.values()) == len(flagged)
    assert per_theme[fitted.theme_ids_[row]] >= 1
    # still counted in its nearest theme: sizes add up as before
    assert all(fitted.theme_ids_[i] not in ("", "NS") for i in flagged)


def test_assignments_gain_a_fit_column_and_themes_json_a_count(fitted, tmp_path):
    assert ASSIGNMENT_COLUMNS[-1] == "fit"
    path = tmp_path / "assignments.csv"
    write_assignments(fitted, path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    off = next(r for r in rows if r["id"] == "OFF")
    assert "fits_no_theme" in off["flags"].split(";")
    assert float(off["fit"]) < fitmod.FIT_FLOOR
    document = themes_document(fitted)
    assert "fits_no_theme" in document["summary"]
    assert all("fits_no_theme" in theme for theme in document["themes"])


def test_the_fit_is_the_same_on_a_rerun(fitted, engine):
    rows = responses(150)
    texts = [r["answer"] for r in rows] + [OFF_TOPIC]
    ids = [r["response_id"] for r in rows] + ["OFF"]
    again = ThemeModel(n_themes="auto", engine=engine, seed=0).fit(texts, ids=ids)
    assert np.array_equal(again.fit_, fitted.fit_)
    assert again.flags_ == fitted.flags_


def test_the_cli_report_says_how_many_and_where(fitted):
    from analysis.report import render_report

    page = render_report(themes_document(fitted))
    count = fitted.summary_["fits_no_theme"]
    assert f'<p id="fits-no-theme">{count} of the ' in page
    assert "still counted in its nearest theme and flagged fits_no_theme" in page
    holding = [t for t in fitted.themes_ if t["fits_no_theme"]]
    assert page.count('<p class="fit-note">') == len(holding)


def test_an_answer_saying_a_themes_label_or_quote_is_never_flagged(fitted):
    """Smoke walk 8, finding 3: "As a university in Dudley, we think the sums on offer will
    not even repair the roads." was flagged fits_no_theme though it is a theme's label word
    for word."""
    themes = [
        {"label": "The sums on offer will not even repair the roads"},
        {"label": "Buses"},
        {"label": "Bidding rounds waste officers' time", "quotes": [{"text": OFF_TOPIC}]},
    ]
    keys = fitmod.theme_keys(themes)
    assert "buses" not in keys  # too short to vouch for an answer
    assert not fitmod.says_a_theme(OFF_TOPIC, keys)  # a quote is no key: it may be off topic
    for said in (
        "As a university in Dudley, we think the sums on offer will not even repair the roads.",
        "The sums on offer will not even repair the roads! Fund buses first.",
        "Honestly, bidding rounds waste officers' time. Thank you.",
    ):
        assert fitmod.says_a_theme(said, keys), said
    for other in (OFF_TOPIC, "Buses are late.", "The sums on offer are too small."):
        assert not fitmod.says_a_theme(other, keys), other
    keys = fitmod.theme_keys(fitted.themes_)
    flagged = [i for i, flags in enumerate(fitted.flags_) if fitmod.FIT_FLAG in flags]
    assert all(not fitmod.says_a_theme(fitted.texts_[i], keys) for i in flagged)


def test_an_answer_making_any_themes_label_point_in_its_words_is_never_flagged():
    """Smoke walk 9, finding 25: counted in T02 and flagged, an answer stating T03's label
    with a place before it and a clause after ("In Solihull, residents will not know ...
    when things go wrong.") fits a theme: T03's."""
    themes = [
        {"label": "Shire districts could pay in but see little of the investment"},
        {"label": "Residents will not know whether to blame their council or the mayor"},
    ]
    keys = fitmod.theme_keys(themes)
    said = (
        "In Solihull, residents will not know whether to blame their council or the mayor "
        "when things go wrong. Once inflation is counted, the money is less than the grants "
        "it replaces."
    )
    assert fitmod.says_a_theme(said, keys)
    assert (
        fitmod.says_a_theme("Residents know whether to blame the council or mayor.", keys) is False
    )
    for other in (OFF_TOPIC, "Residents will be confused.", "The mayor should fund buses."):
        assert not fitmod.says_a_theme(other, keys), other
    # half the label's content words, but one word: no vouching (an NHS sample's row)
    keys = fitmod.theme_keys(
        [{"label": "Can't think of anything that could have been done better"}]
    )
    assert not fitmod.says_a_theme("I don't think there is aa", keys)
