"""rev33a: ``run_theme.unlisted_points`` (store33) holds summary sentences taken from answers,
kept without the response each came from. Removing a respondent's data (deleting the response
or anonymising it, :mod:`consult.reports.privacy`) dropped its quotes and summary sentences
but kept these, so a removed answer's words stayed in the run. They are now forgotten for the
runs the response was in (a recount then reads each summary alone, as for a run stored
before); another question's run keeps its own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult import retention
from consult.extensions import db
from consult.reports import review, runs
from consult.reports.jobs import run_job
from consult.reports.models import AnalysisRun, RunTheme, ThemeEdit
from tests.helpers import make_consultation
from tests.reports_helpers import add_responses

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def unlisted(run_id: int) -> list:
    db.session.expire_all()
    themes = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id))
    return [t.unlisted_points for t in themes]


def stored_run(consultation, question, responses) -> int:
    run = runs.start_run(consultation, question, {"engine": "fast", "n_themes": 3})
    run_id = run.id
    assert run_job(run_id) == "succeeded"
    for theme in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id)):
        theme.unlisted_points = ["Words a removed answer may have said."]
    db.session.commit()
    return run_id


@pytest.mark.parametrize("how", ["delete", "anonymise"])
def test_removing_a_respondent_forgets_the_unlisted_sentences_of_its_runs(app, how):
    consultation = make_consultation()
    idea, other = consultation.questions[4], consultation.questions[1]
    words = "abcdefghijklmnopqrst"
    ideas = add_responses(
        consultation, [{idea: f"Idea {n}: more {w} trams"} for n, w in enumerate(words)]
    )
    add_responses(
        consultation, [{other: f"Other {n}: fix the {w} roads"} for n, w in enumerate(words)]
    )
    removed_run = stored_run(consultation, idea, ideas)
    kept_run = stored_run(consultation, other, None)

    retention.remove(ideas[0], how, "asked us to")
    db.session.commit()

    assert all(points is None for points in unlisted(removed_run))
    assert all(points == ["Words a removed answer may have said."] for points in unlisted(kept_run))


def before_states(run_id: int) -> list[dict]:
    db.session.expire_all()
    edits = db.session.scalars(select(ThemeEdit).where(ThemeEdit.run_id == run_id))
    return [dump for edit in edits for dump in (edit.payload.get("before") or {}).get("themes", [])]


@pytest.mark.parametrize("how", ["delete", "anonymise"])
def test_removing_a_respondent_takes_its_words_out_of_the_states_undo_keeps(app, how):
    """An edit records its themes' states for undo (quotes, summary, unlisted points); after
    the respondent is removed, those states hold none of its words, and undoing the edit
    does not bring them back."""
    consultation = make_consultation()
    idea = consultation.questions[4]
    words = "abcdefghijklmnopqrst"
    ideas = add_responses(
        consultation, [{idea: f"Idea {n}: more {w} trams"} for n, w in enumerate(words)]
    )
    run_id = stored_run(consultation, idea, ideas)
    run = db.session.get(AnalysisRun, run_id)
    keys = [t.key for t in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id))]
    edit_merge = review.merge_themes(run, keys[:2], None)
    db.session.commit()
    assert edit_merge is not None
    quoted = {
        item["id"]
        for dump in before_states(run_id)
        for item in (dump.get("quotes") or []) + (dump.get("summary") or [])
        if isinstance(item, dict) and item.get("id")
    }
    assert quoted, "the merge recorded no quote to remove"
    assert any(dump.get("unlisted_points") for dump in before_states(run_id))
    removed = next(r for r in ideas if r.reference in quoted)
    reference = removed.reference

    retention.remove(removed, how, "asked us to")
    db.session.commit()

    states = before_states(run_id)
    assert states
    for dump in states:
        assert all(q.get("id") != reference for q in dump.get("quotes") or [])
        assert all(s.get("id") != reference for s in dump.get("summary") or [])
        assert dump.get("unlisted_points") is None
    edit = db.session.scalars(select(ThemeEdit).where(ThemeEdit.run_id == run_id)).first()
    review.undo(db.session.get(AnalysisRun, run_id), edit.id, None)
    db.session.expire_all()
    for theme in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id)):
        assert all(q.get("id") != reference for q in theme.quotes or [])
        assert all(s.get("id") != reference for s in theme.summary or [])
