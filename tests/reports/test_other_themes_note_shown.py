"""A theme's note naming several other themes (rev16, issue 12) reads whole wherever the
workspace shows a summary: the report page (as the analysis's own note), the rename page,
the Word report and the Excel workbook. The theme page shows no summary, and the CSV is one
row per response, so neither carries it."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from analysis.other_themes import other_themes_note
from consult.extensions import db
from consult.reports import documents
from consult.reports.models import RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def noted(app):
    """A stored run whose first theme's summary is the note naming the other two themes."""
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    run = store_synthetic_run(consultation, question, responses=120, themes=3)
    first, second, third = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
    ).all()[:3]
    note = other_themes_note([third.key, second.key])
    first.summary = [{"id": first.quotes[0]["id"], "text": note, "ids": [], "only_point": True}]
    db.session.commit()
    assert note.endswith(f"see {third.key} and {second.key}.")
    return run, first, note


def test_the_note_naming_several_themes_reads_whole_everywhere(app, noted):
    run, first, note = noted
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    shown = words(page.find(id=f"theme-{first.key}-note"))
    assert shown == f"Note from the analysis, not a respondent's words: {note}"
    rename = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{first.key}/rename"))
    assert [words(li) for li in rename.find(id="theme-points").find_all("li")] == [note]
    theme_page = client.get(f"/staff/reports/runs/{run.id}/themes/{first.key}")
    assert theme_page.status_code == 200 and "for the other points" not in words(soup(theme_page))
    paragraphs = [p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs]
    assert f"{documents.ANALYSIS_NOTE}: {note}" in paragraphs
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    rows = [r for r in workbook["Summaries and quotes"].values if r[0] == first.key]
    assert [(r[2], r[4], r[5]) for r in rows if r[4] == note] == [
        (documents.ANALYSIS_NOTE, note, None)
    ]
    assert "for the other points" not in documents.run_coding_csv(run).decode("utf-8")
