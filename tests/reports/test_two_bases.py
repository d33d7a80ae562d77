"""Shares of two bases where many answers say nothing substantive (smoke18r finding 7): the
report page and the Word report give each share of the answered and, where at least a fifth
said nothing substantive, of those with something to say too (one rule,
:mod:`analysis.bases`). On a stored run, through the test client."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from analysis.bases import bases_sentence
from consult.extensions import db
from consult.reports.models import RunAssignment
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")
SAY = "with something to say"


@pytest.fixture
def stored(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.explains is not None)
    return store_synthetic_run(consultation, question, responses=60)


def words(text: str) -> str:
    return " ".join(text.split())


def empty_answers(run, count: int) -> None:
    """Make ``count`` of the run's answers say nothing substantive (in no theme)."""
    rows = db.session.scalars(
        select(RunAssignment).where(RunAssignment.run_id == run.id).order_by(RunAssignment.id)
    ).all()
    for row in rows:
        if sum(r.theme_id is None for r in rows) >= count:
            break
        row.theme_id = None
    db.session.commit()


def docx_text(client, run) -> str:
    document = Document(io.BytesIO(client.get(f"/staff/reports/runs/{run.id}/report.docx").data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return words(" ".join([p.text for p in document.paragraphs] + cells))


def test_few_empty_answers_keep_one_base(app, stored):
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    assert SAY not in page.get_text()
    assert SAY not in docx_text(client, stored)


def test_many_empty_answers_give_both_bases(app, stored):
    empty_answers(stored, 15)  # a quarter of the 60 answered
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    sentence = bases_sentence(60, 15)
    assert sentence.startswith("15 of the 60 answered said nothing substantive (25%)")
    assert sentence in words(page.find(id="bases").get_text())
    table = page.find("table", attrs={"aria-describedby": "bases"})
    first = table.find("tbody").find("tr")
    assert "of the 45 with something to say" in words(first.get_text())
    word = docx_text(client, stored)
    assert sentence in word
    assert "of the 45 with something to say" in word
