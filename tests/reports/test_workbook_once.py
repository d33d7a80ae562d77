"""tidy32: the run workbook works out its Themes columns once (it asked ``theme_headers``
three times a build) and reads the run's themes once (its many readers asked for them 20
times, a query each), with the same sheets as before: in-process, and served by a real
gunicorn process (the setup of tests/test_gunicorn.py) after a theme is merged away."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from consult.extensions import db
from consult.models import Consultation, Question
from consult.reports import documents, pages
from consult.reports.models import AnalysisRun
from tests.helpers import make_consultation
from tests.reports.stored_runs import store_synthetic_run
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = pytest.mark.backends("sqlite", "postgresql")

# No job is queued here: ``served`` starts no worker.
SERVED_WITH_WORKER = False


def _sheets(body: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(body), read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def _hide_one(run: AnalysisRun) -> str:
    """Merge one theme away (hidden, as a merge leaves it); its key."""
    gone = run.visible_themes[-1]
    gone.hidden = True
    db.session.commit()
    return gone.key


def test_the_workbook_works_out_its_theme_columns_and_reads_the_themes_once(app, monkeypatch):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.is_text)
    run = store_synthetic_run(consultation, question, responses=120, themes=8)
    _hide_one(run)
    db.session.expire_all()
    run = db.session.get(AnalysisRun, run.id)
    asked: list[int] = []
    headers = documents.theme_headers
    monkeypatch.setattr(documents, "theme_headers", lambda r: asked.append(r.id) or headers(r))
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        body = documents.run_xlsx(run)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert asked == [run.id]
    theme_reads = [s for s in statements if s.lstrip().startswith("SELECT run_theme.id")]
    assert len(theme_reads) == 1, theme_reads
    keys = [row[0] for row in _sheets(body)["Themes"][1:] if row[0]]
    shown = [theme.key for theme in pages.visible_themes(run)]  # the page's own query
    assert keys[: len(shown)] == shown


def test_the_served_workbook_lists_the_themes_the_page_lists(served):  # noqa: F811
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        run = store_synthetic_run(
            consultation, db.session.get(Question, question_id), responses=80, themes=6
        )
        gone = _hide_one(run)
        run_id = run.id
        shown = [theme.key for theme in pages.visible_themes(run)]
        built = _sheets(documents.run_xlsx(run))
        db.session.remove()
    staff = signed_in_browser(base, email)
    reply = staff.request(f"/staff/reports/runs/{run_id}/report.xlsx")
    assert reply.status == 200 and reply.body[:2] == b"PK"
    sheets = _sheets(reply.body)
    keys = [row[0] for row in sheets["Themes"][1:] if row[0]]
    assert keys[: len(shown)] == shown and gone not in keys
    assert sheets == built  # the same sheets, cell for cell, as built in-process
