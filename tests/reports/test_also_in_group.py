"""A theme's big other points named in the table of themes (smoke18r finding 3): the report
page and the Word report say "Also in this group: ..." in the same words
(:func:`analysis.also_points.also_in_group`). On a stored run, through the test client."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from analysis.also_points import ALSO_OPENING
from consult.extensions import db
from consult.reports.models import RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")
EXPORT = "Support exporters to find new markets after the loss of European customers."
SAID = f"{ALSO_OPENING}“{EXPORT[:-1]}” (about 20)."


@pytest.fixture
def stored(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.explains is not None)
    return store_synthetic_run(consultation, question, responses=60)


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_page_and_word_name_a_big_other_point(app, stored):
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{stored.id}"
    assert ALSO_OPENING not in soup(client.get(url)).get_text()
    theme = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == stored.id).order_by(RunTheme.position)
    ).first()
    theme.summary = [*(theme.summary or []), {"id": "", "text": EXPORT, "ids": [], "answers": 20}]
    db.session.commit()
    page = soup(client.get(url))
    also = page.find(id=f"theme-{theme.key}-also")
    assert words(also.get_text()) == SAID
    assert also.find_parent("th") is not None  # in the theme's row of the table
    document = Document(io.BytesIO(client.get(f"{url}/report.docx").data))
    cells = [words(c.text) for t in document.tables for row in t.rows for c in row.cells]
    assert any(cell.endswith(SAID) and cell.startswith(theme.key) for cell in cells)


def test_a_point_from_the_other_side_says_so_on_the_page_and_in_word(app, stored):
    """issue 12 (grab26): a big other point taken from an answer on the side opposite to the
    one its group leans to is named with where it comes from, not as the theme's own."""
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{stored.id}"
    theme = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == stored.id).order_by(RunTheme.position)
    ).first()
    theme.stance = {"for": 30, "against": 2, "mixed": 0, "unclear": 0}
    point = {"id": "", "text": EXPORT, "ids": [], "answers": 20, "stance": "against"}
    theme.summary = [*(theme.summary or []), point]
    db.session.commit()
    side = "from answers against, where this group leans for"
    said = f"{ALSO_OPENING}“{EXPORT[:-1]}” (about 20; {side})."
    page = soup(client.get(url))
    assert words(page.find(id=f"theme-{theme.key}-also").get_text()) == said
    document = Document(io.BytesIO(client.get(f"{url}/report.docx").data))
    cells = [words(c.text) for t in document.tables for row in t.rows for c in row.cells]
    assert any(cell.endswith(said) and cell.startswith(theme.key) for cell in cells)
