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
from consult.reports import runs
from consult.reports.jobs import run_job
from consult.reports.models import RunTheme
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
