"""Answers that fit no theme (finding 3 of the seventh smoke walk): the engine's
``fits_no_theme`` flag is shown on the report page, in Word, Excel and the coding CSV, with
the theme each such answer is counted in. On a stored run, through the test client."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.reports.models import RunAssignment
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

BUS = "Buses in Erdington are unreliable after 7pm. Fund evening bus services first."


@pytest.fixture
def stored(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.explains is not None)
    return store_synthetic_run(consultation, question, responses=60)


def flag_one(run) -> RunAssignment:
    """Make one themed answer the off-topic one, flagged as the engine flags it."""
    row = db.session.scalars(
        select(RunAssignment)
        .where(RunAssignment.run_id == run.id, RunAssignment.theme_id.is_not(None))
        .order_by(RunAssignment.id)
    ).first()
    row.text = BUS
    row.flags = [*(row.flags or []), "fits_no_theme"]
    db.session.commit()
    return row


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_page_and_downloads_show_the_answer_that_fits_no_theme(app, stored):
    row = flag_one(stored)
    key = row.theme.key
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    note = words(page.find(id="fits-no-theme-note"))
    assert note.startswith(f"1 of the {stored.input_count} answers is unlike the other answers")
    assert "still counted in its nearest theme" in note
    section = page.find(id="fits-no-theme").find_parent("section")
    assert words(section.find("h2")) == "Answers that fit no theme (1)"
    assert BUS in words(section)
    assert f"counted in {key} {row.theme.label}" in words(section)
    assert section.find("a", href=f"#theme-{key}") is not None
    theme_note = words(page.find(id=f"theme-{key}-fits-no-theme"))
    assert f"1 of its {row.theme.size} answers fits no theme well" in theme_note
    # the section comes after every theme, before the answers with nothing to theme
    text = str(page)
    assert text.index('id="fits-no-theme"') > text.index(f'id="theme-{key}"')
    assert text.index('id="fits-no-theme"') < text.index('id="non-substantive"')

    word = client.get(f"/staff/reports/runs/{stored.id}/report.docx").data
    paragraphs = [p.text for p in Document(io.BytesIO(word)).paragraphs]
    assert "Answers that fit no theme (1)" in paragraphs
    assert f"“{BUS}” ({row.reference}; counted in {key} {row.theme.label})" in paragraphs
    cells = [c.text for t in Document(io.BytesIO(word)).tables for r in t.rows for c in r.cells]
    assert "Fit no theme well" in cells

    book = load_workbook(
        io.BytesIO(client.get(f"/staff/reports/runs/{stored.id}/report.xlsx").data)
    )
    rows = list(book["Themes"].values)
    column = rows[0].index("Its answers fitting no theme well (few other answers are close)")
    counts = {r[0]: r[column] for r in rows[1:] if r[0] and r[0] != "NS"}
    assert counts[key] == 1 and sum(counts.values()) == 1

    data = client.get(f"/staff/reports/runs/{stored.id}/report.csv").data
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    flagged = [r for r in table if "fits_no_theme" in r["flags"]]
    assert [r["reference"] for r in flagged] == [row.reference]


def test_nothing_is_said_when_every_answer_fits(app, stored):
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    assert page.find(id="fits-no-theme-note") is None
    assert page.find(id="fits-no-theme") is None
    word = client.get(f"/staff/reports/runs/{stored.id}/report.docx").data
    assert not any(
        p.text.startswith("Answers that fit no theme")
        for p in Document(io.BytesIO(word)).paragraphs
    )


def test_a_long_list_is_cut_and_says_how_many_more(app, stored, monkeypatch):
    from consult.reports import fit

    rows = db.session.scalars(
        select(RunAssignment)
        .where(RunAssignment.run_id == stored.id, RunAssignment.theme_id.is_not(None))
        .order_by(RunAssignment.id)
        .limit(3)
    ).all()
    for row in rows:
        row.flags = [*(row.flags or []), "fits_no_theme"]
    db.session.commit()
    monkeypatch.setattr(fit, "LISTED", 2)
    monkeypatch.setattr(fit.poor_fits, "__defaults__", (2,))
    client = signed_in(app, "analyst")
    section = soup(client.get(f"/staff/reports/runs/{stored.id}")).find(id="fits-no-theme")
    section = section.find_parent("section")
    assert words(section.find("h2")) == "Answers that fit no theme (3)"
    assert len(section.find_all("blockquote")) == 2
    assert "1 more is flagged “fits_no_theme” in the coding download." in words(section)
