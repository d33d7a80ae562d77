"""Each summary point on the report page and in Word says how many of the theme's answers
make it, when the run counted it; older runs (no count) render without one, and a
reviewer's change to a theme's answers drops its counts."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from consult.extensions import db
from consult.reports import documents, review
from consult.reports.models import AnalysisRun, RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def theme(run: AnalysisRun, key: str) -> RunTheme:
    return db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == key)
    ).one()


@pytest.fixture
def run(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    stored = store_synthetic_run(consultation, question, responses=120, themes=3)
    first = theme(stored, "T01")
    assert len(first.summary) == 2
    first.summary = [first.summary[0] | {"answers": 3}, first.summary[1]]
    db.session.commit()
    return stored


def summary_items(page, key: str) -> list[str]:
    heading = next(
        h
        for h in soup(page).select("h3")
        if h.find_previous("h2") and key in h.find_previous("h2").get_text()
    )
    return [" ".join(li.get_text(" ").split()) for li in heading.find_next("ul").select("li")]


def test_the_report_page_says_how_many_make_a_counted_point(app, run):
    first = theme(run, "T01")
    client = signed_in(app, "analyst")
    page = client.get(f"/staff/reports/runs/{run.id}")
    assert page.status_code == 200
    items = summary_items(page, "T01")
    counted = f"; about 3 of the {first.mentions} answers mentioning it make this point)"
    assert items[0].endswith(counted)
    assert f"Response {first.summary[0]['id']}" in items[0]
    assert "mentioning it make this point" not in items[1]  # not counted: nothing said
    assert items[1].endswith(f"Response {first.summary[1]['id']} )") or items[1].endswith(
        f"Response {first.summary[1]['id']})"
    )
    # another theme (an older run's, no counts) renders as before
    assert not any("make this point" in item for item in summary_items(page, "T02"))


def test_word_says_it_too(app, run):
    first = theme(run, "T01")
    document = Document(io.BytesIO(documents.run_docx(run)))
    texts = [p.text for p in document.paragraphs]
    point = first.summary[0]
    assert (
        f"{point['text']} ({point['id']}; about 3 of the {first.mentions} answers mentioning it "
        "make this point)"
    ) in texts
    other = first.summary[1]
    assert f"{other['text']} ({other['id']})" in texts


def test_the_workbook_gives_the_count_in_its_own_column(app, run):
    from openpyxl import load_workbook

    first = theme(run, "T01")
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    rows = list(workbook["Summaries and quotes"].values)
    assert rows[0][-1] == "Answers making the point"
    points = [r for r in rows[1:] if r[0] == "T01" and r[2] == "Summary point"]
    assert [r[-1] for r in points] == [3, ""] or [r[-1] for r in points] == [3, None]
    assert points[0][4] == first.summary[0]["text"]
    # quotes and uncounted points leave it empty
    assert all(r[-1] in ("", None) for r in rows[1:] if r[0] != "T01" or r[2] == "Quote")


def test_moving_answers_drops_the_counts(app, run):
    review.merge_themes(run, ["T01", "T02"], None, label="Transport")
    db.session.commit()
    merged = theme(run, "T01")
    assert all("answers" not in point for point in merged.summary)
    client = signed_in(app, "analyst")
    page = client.get(f"/staff/reports/runs/{run.id}")
    assert "make this point" not in soup(page).get_text()
