"""The workspace's run page and its Word report say once, at the top, that most labels name one
point of a mixed theme when more than half of the themes carry "label made by fewer than half"
(smoke12 finding 10), and keep each row's flag; a run where the flag still singles a theme out
has no such caution."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from consult.extensions import db
from consult.reports import documents
from consult.reports.models import AnalysisRun, RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CAUTION = (
    "Most labels name one point of a mixed theme: read the answers before quoting a label "
    "(2 of the 3 themes are marked “label made by fewer than half”)."
)


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def _run(made: list[int]) -> AnalysisRun:
    """A stored run of three themes, each mentioned by 40 answers, whose labels' points are
    made by ``made`` of them."""
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    stored = store_synthetic_run(consultation, question, responses=120, themes=3)
    themes = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == stored.id).order_by(RunTheme.position)
    ).all()
    for theme, count in zip(themes, made, strict=True):
        theme.mentions, theme.label_point, theme.stability, theme.summary = 40, count, 0.9, []
    db.session.commit()
    return stored


def test_a_mostly_mixed_run_is_cautioned_once_at_the_top_of_the_page_and_word(app):
    run = _run([10, 15, 30])
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}"))
    caution = page.find(id="mixed-labels")
    assert caution is not None and CAUTION in words(caution)
    assert words(page).count("Most labels name one point") == 1
    # above the themes' table, whose rows keep their own flag
    themes = page.find(id="themes")
    assert caution in themes.find_all_previous("div")
    cells = {
        words(row.th).split(":")[0]: words(row.find_all("td")[-1])
        for row in themes.find_next("table").tbody("tr")
    }
    keys = [theme.key for theme in sorted(run.themes, key=lambda theme: theme.position)]
    assert [cells[key] for key in keys[:3]] == [
        "Label made by fewer than half",
        "Label made by fewer than half",
        "Nothing flagged –",
    ]
    paragraphs = [p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs]
    assert f"Caution: {CAUTION}" in paragraphs
    at = paragraphs.index(f"Caution: {CAUTION}")
    assert paragraphs[at + 1] == "Themes at a glance"
    assert sum("Most labels name one point" in p for p in paragraphs) == 1


def test_a_run_whose_flag_still_singles_a_theme_out_has_no_caution(app):
    run = _run([10, 30, 30])
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}"))
    assert page.find(id="mixed-labels") is None
    assert "Most labels name one point" not in words(page)
    word = "\n".join(p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs)
    assert "Most labels name one point" not in word


def test_a_catch_all_is_flagged_mixed_on_the_page_and_in_word_and_an_edit_clears_it(app):
    run = _run([30, 30, 30])
    themes = sorted(run.themes, key=lambda theme: -theme.size)
    largest, others = themes[0], themes[1:]
    largest.multi_point = 0.8
    for theme in others:
        theme.multi_point = 0.1
    for theme in themes:  # as the fast engine stores them: no label point counted
        theme.label_point = None
    db.session.commit()
    analyst = signed_in(app, "analyst")
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    table = page.find(id="themes").find_next("table")
    cells = {
        words(row.th).split(":")[0]: words(row.find_all("td")[-1]) for row in table.tbody("tr")
    }
    # a fast run's labels are not checked, and each row says so (smoke16 #3)
    assert cells[largest.key] == (
        "Mixed: answers making several different points; label not checked (fast engine)"
    )
    assert all(cells[theme.key] == "Label not checked (fast engine)" for theme in others)
    assert page.find(id="mixed-labels") is None  # no label fails: no caution
    # with the label's point counted and made by most of its answers, it is no catch-all
    largest.label_point = 30
    db.session.commit()
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    assert "Mixed: answers making several" not in words(page.find(id="themes").find_next("table"))
    largest.label_point = None
    db.session.commit()
    word = Document(io.BytesIO(documents.run_docx(run)))
    rows = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    flagged = [
        row
        for row in rows
        if row[-1]
        == "Mixed: answers making several different points; label not checked (fast engine)"
    ]
    assert [row[0] for row in flagged] == [f"{largest.key} {largest.label}"]
    # a theme whose answers a reviewer changed is not measured any more: no flag
    largest.multi_point = None
    db.session.commit()
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    assert "Mixed: answers making several" not in words(page.find(id="themes").find_next("table"))


def _themes_sheet(client, run: AnalysisRun) -> dict[str, dict[str, object]]:
    """The downloaded workbook's Themes sheet, each theme's row by its column titles."""
    from openpyxl import load_workbook

    reply = client.get(f"/staff/reports/runs/{run.id}/report.xlsx")
    assert reply.status_code == 200
    sheet = load_workbook(io.BytesIO(reply.data), read_only=True)["Themes"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows if row[0]}


MIXED_COLUMN = (
    "Mixed: answers making several different points (read them before quoting its label; "
    "blank: not measured)"
)


def test_the_excel_download_carries_the_mixed_flag_as_the_page_does(app):
    """leftweb 1: the page, CLI report and Word flag a catch-all "mixed"; the workbook's
    Themes sheet said nothing of it. Its column says yes for the flagged theme only, and is
    left out when no theme was measured (as the page then flags none)."""
    run = _run([30, 30, 30])
    themes = sorted(run.themes, key=lambda theme: -theme.size)
    largest, others = themes[0], themes[1:]
    largest.multi_point = 0.8
    for theme in others:
        theme.multi_point = 0.1
    for theme in themes:
        theme.label_point = None
    db.session.commit()
    analyst = signed_in(app, "analyst")
    rows = _themes_sheet(analyst, run)
    assert rows[largest.key][MIXED_COLUMN] == "yes"
    assert all(rows[theme.key][MIXED_COLUMN] == "no" for theme in others)
    assert rows["NS"][MIXED_COLUMN] in (None, "")  # the count rows carry no flag
    # the page flags the same theme
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    flagged = [
        words(row.th).split(":")[0]
        for row in page.find(id="themes").find_next("table").tbody("tr")
        if "Mixed: answers making several" in words(row)
    ]
    assert flagged == [largest.key]
    # a theme a reviewer's edit left unmeasured is blank, not cleared as "no" (review20)
    others[0].multi_point = None
    db.session.commit()
    rows = _themes_sheet(analyst, run)
    assert rows[others[0].key][MIXED_COLUMN] in (None, "")
    assert rows[largest.key][MIXED_COLUMN] == "yes" and rows[others[1].key][MIXED_COLUMN] == "no"
    for theme in themes:  # not measured (every theme edited): no column, as no flag
        theme.multi_point = None
    db.session.commit()
    assert MIXED_COLUMN not in _themes_sheet(analyst, run)[largest.key]


def test_a_fast_catch_all_without_keywords_is_flagged_on_the_page_and_in_the_workbook(app):
    """issue 12 (smoke14 finding 6): the demo's fast engine gave "Simplify access to finance
    for start-ups and small businesses" 97 answers with no distinctive words; its answers made
    several points no more often than the run's, so only "Unstable grouping" was shown."""
    run = _run([30, 30, 30])
    themes = sorted(run.themes, key=lambda theme: -theme.size)
    largest, others = themes[0], themes[1:]
    for theme, size, multi in zip(themes, [100, 10, 10], [0.8, 0.9, 0.85], strict=True):
        theme.size, theme.multi_point, theme.label_point = size, multi, None
        theme.keywords = ["apprenticeships", "colleges", "employers"]
    largest.keywords = []
    db.session.commit()
    analyst = signed_in(app, "analyst")
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    cells = {
        words(row.th).split(":")[0]: words(row.find_all("td")[-1])
        for row in page.find(id="themes").find_next("table").tbody("tr")
    }
    # a fast run's labels are not checked, and each row says so (smoke16 #3)
    assert cells[largest.key] == (
        "Mixed: answers making several different points; label not checked (fast engine)"
    )
    assert all(cells[theme.key] == "Label not checked (fast engine)" for theme in others)
    rows = _themes_sheet(analyst, run)
    assert rows[largest.key][MIXED_COLUMN] == "yes"
    # with words of its own it is no catch-all by this rule
    largest.keywords = ["finance", "start-ups", "loans"]
    db.session.commit()
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    assert "Mixed: answers making several" not in words(page.find(id="themes").find_next("table"))
