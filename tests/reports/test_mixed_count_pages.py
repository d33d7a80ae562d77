"""The run page, the theme page and the Word report of a fast run do not say of a theme
flagged mixed (a catch-all) that most of its answers make its label's point (smoke26r
finding 2: the demo's fast "Simplify access to finance for start-ups and small businesses",
in the table "mixed: answers making several different points", in its Size line "Of the 101
answers mentioning it, about 74 make the label's own point"; 38 of them do)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from analysis.report import MIXED_LABEL_POINT, MIXED_UNCOUNTED
from consult.extensions import db
from consult.reports import documents
from consult.reports.models import RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_a_catch_alls_size_line_gives_the_flag_not_a_count_that_contradicts_it(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    run = store_synthetic_run(consultation, question, responses=120, themes=3)
    themes = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
    ).all()
    for theme, size, multi in zip(themes, [100, 12, 8], [0.8, 0.9, 0.85], strict=True):
        theme.size, theme.mentions, theme.multi_point = size, size, multi
        theme.label_point, theme.stability, theme.summary = int(size * 0.8), 0.9, []
        theme.keywords = ["apprenticeships", "colleges", "employers"]
    themes[0].keywords = []  # large, no keywords, most answers making several points
    run.engine_used = "fast"
    db.session.commit()
    catch_all, other = themes[0], themes[1]
    analyst = signed_in(app, "analyst")

    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    size = words(page.find(id=f"theme-{catch_all.key}-label-point"))
    assert size.startswith(f"{MIXED_LABEL_POINT}. {MIXED_UNCOUNTED}.")
    assert "about 80" not in size
    assert "about 9 make the label's own point" in words(
        page.find(id=f"theme-{other.key}-label-point")
    )
    glance = words(page.find(id="themes").find_next("table"))
    assert "mixed: answers making several different points" in glance.lower()

    page = soup(analyst.get(f"/staff/reports/runs/{run.id}/themes/{catch_all.key}"))
    size = words(page.find(id="theme-label-point"))
    assert size.startswith(f"{MIXED_LABEL_POINT}. {MIXED_UNCOUNTED}.")
    assert "about 80" not in size

    paragraphs = [p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs]
    said = next(p for p in paragraphs if p.startswith("Main theme of 100 answers"))
    assert f"{MIXED_LABEL_POINT}. {MIXED_UNCOUNTED}." in said and "about 80" not in said
    said = next(p for p in paragraphs if p.startswith("Main theme of 12 answers"))
    assert "about 9 make the label's own point" in said
