"""leftweb 2 through a real gunicorn process (the setup of tests/test_gunicorn.py): a Word,
Excel or CSV download made while a large move's themes wait to be counted again says so (a
note in Word and the workbook, the file's name ending "-still-updating"), and once they are
counted, does not. The move is made in-process with no job queued, so the served worker
cannot count it before the downloads."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Question
from consult.reports import merging, review
from consult.reports.models import AnalysisRun, RunTheme
from tests.reports.review_helpers import stored_run
from tests.test_gunicorn import Browser, served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


# No job is queued here (the worker's turn is taken in-process): ``served`` starts no worker.
SERVED_WITH_WORKER = False


NOTE = "This file was made while a review edit was still being counted: "
MIXED = (
    "Mixed: answers making several different points (read them before quoting its label; "
    "blank: not measured)"
)


def _download(staff: Browser, run_id: int, fmt: str):
    reply = staff.request(f"/staff/reports/runs/{run_id}/report.{fmt}")
    assert reply.status == 200, reply.text[:300]
    return reply


def _moved_and_waiting(consultation_id: int, question_id: int):
    """A stored run of the question whose two themes wait for the worker after a move made
    in-process (no job queued): (run, moved theme keys, a waiting theme's id, its edit id)."""
    consultation = db.session.get(Consultation, consultation_id)
    run = stored_run(consultation, db.session.get(Question, question_id), n_themes=4)
    source, target = [t.key for t in run.visible_themes][:2]
    source_id = next(t.id for t in run.visible_themes if t.key == source)
    moving = sorted(r.reference for r in review._rows(run) if r.theme_id == source_id)[:2]
    review.move_responses(run, moving, target, None, recount_at_most=1)
    waiting = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.describing.is_not(None))
    ).all()
    assert {t.key for t in waiting} == {source, target}
    return run, (source, target), waiting[0].id, waiting[0].describing


def test_downloads_made_while_counting_say_so_through_gunicorn(served):  # noqa: F811
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        run, (source, target), theme_id, edit_id = _moved_and_waiting(consultation_id, question_id)
        run_id = run.id
        for theme in run.visible_themes:  # measured, as a fit measures them, but for the moved
            theme.multi_point = None if theme.key in (source, target) else 0.1
        db.session.commit()
        others = [t.key for t in run.visible_themes if t.key not in (source, target)]
        db.session.remove()
    staff = signed_in_browser(base, email)

    word = _download(staff, run_id, "docx")
    paragraphs = [p.text for p in Document(io.BytesIO(word.body)).paragraphs]
    assert any(p.startswith(f"Note: {NOTE}") for p in paragraphs[:4]), paragraphs[:4]
    book = load_workbook(io.BytesIO(_download(staff, run_id, "xlsx").body), read_only=True)
    first = list(book["Figures"].iter_rows(values_only=True, min_row=2, max_row=2))[0]
    assert first[0] == "Still being counted" and first[1].startswith(NOTE)
    # the moved themes are no longer measured: their Mixed cells are blank, not "no" (review20)
    header, *rows = list(book["Themes"].iter_rows(values_only=True))
    mixed = {row[0]: row[header.index(MIXED)] for row in rows if row[0]}
    assert [mixed[key] for key in (source, target)] == [None, None]
    assert {mixed[key] for key in others} == {"no"}
    for fmt in ("docx", "xlsx", "csv"):
        disposition = _download(staff, run_id, fmt).headers["Content-Disposition"]
        assert disposition.endswith(f'-run{run_id}-still-updating.{fmt}"'), disposition

    with app.app_context():  # the worker's turn, as the queued job would run it
        assert merging.describe_later(run_id, theme_id, edit_id)
        assert db.session.get(AnalysisRun, run_id) is not None
        db.session.remove()
    word = _download(staff, run_id, "docx")
    assert not any(NOTE in p.text for p in Document(io.BytesIO(word.body)).paragraphs)
    for fmt in ("docx", "xlsx", "csv"):
        disposition = _download(staff, run_id, fmt).headers["Content-Disposition"]
        assert disposition.endswith(f'-run{run_id}.{fmt}"'), disposition


def test_the_whole_consultation_report_made_while_counting_says_so_through_gunicorn(
    served,  # noqa: F811
):
    """partner brief 4: the whole-consultation Word report carried the waiting run's note in
    its section but its name never ended "-still-updating", as each run's own download's
    does; now it does while any run in it waits, and not once the worker has counted."""
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        run, _, theme_id, edit_id = _moved_and_waiting(consultation_id, question_id)
        run_id = run.id
        slug = run.consultation.slug
        db.session.commit()
        db.session.remove()
    staff = signed_in_browser(base, email)
    url = f"/staff/reports/consultations/{consultation_id}/report.docx"

    def whole():
        reply = staff.request(url)
        assert reply.status == 200, reply.text[:300]
        paragraphs = [p.text for p in Document(io.BytesIO(reply.body)).paragraphs]
        return reply.headers["Content-Disposition"], paragraphs

    disposition, paragraphs = whole()
    assert disposition == f'attachment; filename="{slug}-theme-reports-still-updating.docx"'
    assert any(p.startswith(f"Note: {NOTE}") for p in paragraphs), "the run's section says so"
    # the run's own download agrees
    own = _download(staff, run_id, "docx").headers["Content-Disposition"]
    assert own.endswith(f'-run{run_id}-still-updating.docx"'), own

    with app.app_context():  # the worker's turn, as the queued job would run it
        assert merging.describe_later(run_id, theme_id, edit_id)
        db.session.remove()
    disposition, paragraphs = whole()
    assert disposition == f'attachment; filename="{slug}-theme-reports.docx"'
    assert not any(NOTE in p for p in paragraphs)
