"""The consultation-wide reports use each question's newest reviewed run over a newer
unreviewed rerun (smoke walk 8, finding 8), and say which run they use."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from consult.extensions import db
from consult.models import utcnow
from consult.reports import documents, pages
from consult.reports.models import RunAssignment, ThemeEdit
from consult.reports.report_runs import report_runs, reviewed_run_ids, shown_runs
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _shown(consultation, question) -> pages.QuestionOverview:
    """The question's item on the reports overview."""
    return next(i for i in pages.overview(consultation) if i.question.id == question.id)


def test_a_reviewed_run_is_used_over_a_newer_unreviewed_rerun(app):
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    first = stored_run(consultation, question, n_themes=4)
    second = stored_run(consultation, question, n_themes=4, seed=1)
    # nothing reviewed: the newest, named without a note
    assert report_runs(consultation)[question.id].id == second.id
    assert _shown(consultation, question).run_note == ""

    # a theme of the first run marked reviewed: the first run is used, and said to be
    first.themes[0].reviewed_at = utcnow()
    db.session.commit()
    assert reviewed_run_ids(consultation) == {first.id}
    assert report_runs(consultation)[question.id].id == first.id
    assert [run.id for run in documents.latest_runs(consultation)] == [first.id]
    note = f"the newest run edited in review; run {second.id} is newer and not edited in review"
    item = _shown(consultation, question)
    assert item.run.id == first.id and item.run_note == note
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/consultations/{consultation.id}"))
    assert f"Run {first.id} ({note}):" in " ".join(page.get_text(" ").split())
    word = Document(io.BytesIO(documents.consultation_docx(consultation)))
    assert f"This is run {first.id}: {note}." in [p.text for p in word.paragraphs]

    # an edit on the newer run, then undone: no review; kept, it is
    edit = ThemeEdit(run_id=second.id, kind="rename", theme_keys=["T01"], payload={})
    db.session.add(edit)
    db.session.commit()
    assert report_runs(consultation)[question.id].id == second.id
    edit.undone_at = utcnow()
    db.session.commit()
    assert report_runs(consultation)[question.id].id == first.id


def test_a_response_page_shows_the_run_the_reports_use_and_says_which(app):
    """A response's page (its answers with their themes) shows each question's themes from
    the run the overview and Word use (:func:`shown_runs`), not a newer unreviewed rerun's,
    and says why when a newer run is left out (reviewedrun, after smoke walk 8 finding 8)."""
    consultation, question = make_question()
    responses = add_answers(consultation, question, 30)
    first = stored_run(consultation, question, n_themes=4)
    second = stored_run(consultation, question, n_themes=4, seed=1)
    analyst = signed_in(app, "analyst")
    response = responses[0]

    def themes_line() -> str:
        page = soup(analyst.get(f"/staff/reports/responses/{response.id}"))
        words = " ".join(page.get_text(" ").split())
        return next(line for line in words.split("Themes (run ")[1:]).split(")")[0]

    # nothing reviewed: the newest run, with no note
    assert pages.respondent(response)[_at(consultation, question)].run.id == second.id
    assert themes_line() == f"{second.id}"

    # the first run reviewed: its themes, and the page says a newer run is left out
    first.themes[0].reviewed_at = utcnow()
    db.session.commit()
    shown = shown_runs(consultation)[question.id]
    note = f"the newest run edited in review; run {second.id} is newer and not edited in review"
    assert (shown.run.id, shown.note) == (first.id, note)
    item = pages.respondent(response)[_at(consultation, question)]
    assert (item.run.id, item.run_note) == (first.id, note)
    mine = db.session.scalar(
        select(RunAssignment).where(
            RunAssignment.run_id == first.id, RunAssignment.response_id == response.id
        )
    )
    assert [key for key, _ in item.themes] == mine.theme_keys
    assert themes_line() == f"{first.id}, {note}"
    # the same choice as the overview and the consultation Word report
    assert _shown(consultation, question).run.id == first.id
    assert [run.id for run in documents.latest_runs(consultation)] == [first.id]


def _at(consultation, question) -> int:
    """The question's place among the consultation's questions (respondent's order)."""
    return [q.id for q in consultation.questions].index(question.id)
