"""The run page, the reports overview, the run's Word report and the consultation report's "What
partners said" list a theme flagged mixed (a catch-all) after the themes that make one point
(smoke17s #2: the demo's fast "Simplify access to finance for start-ups and small
businesses", 97 of 184 answers, about 20 of them on finance, headed the overview and the Word
report as if it were the top finding)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from analysis.mixed import CATCH_ALLS_LAST
from consult.extensions import db
from consult.models import Consultation
from consult.reports import documents, pages
from consult.reports.models import AnalysisRun, RunTheme
from consult.reports.partners_said import top_themes
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def _fast_run() -> tuple[Consultation, AnalysisRun, list[RunTheme]]:
    """A stored fast run of three themes, the largest a catch-all (no keywords, most answers
    making several points, 100 of 120), largest first."""
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    stored = store_synthetic_run(consultation, question, responses=120, themes=3)
    themes = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == stored.id).order_by(RunTheme.position)
    ).all()
    for theme, size, multi in zip(themes, [100, 12, 8], [0.8, 0.9, 0.85], strict=True):
        theme.size, theme.mentions, theme.multi_point = size, size, multi
        theme.label_point, theme.stability, theme.summary = None, 0.9, []
        theme.keywords = ["apprenticeships", "colleges", "employers"]
    themes[0].keywords = []
    db.session.commit()
    return consultation, stored, list(themes)


def test_a_catch_all_is_listed_last_on_the_page_overview_and_word(app):
    consultation, run, (largest, second, third) = _fast_run()
    order = [second.key, third.key, largest.key]
    assert [t.key for t in run.visible_themes] == order
    assert [t.key for t in pages.visible_themes(run)] == order
    assert [t.key for t in top_themes(run.visible_themes, 120)] == order
    analyst = signed_in(app, "analyst")
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    rows = [
        words(row.th).split(":")[0] for row in page.find(id="themes").find_next("table").tbody("tr")
    ]
    assert rows[:3] == order
    assert f"{CATCH_ALLS_LAST}." in words(page.find(id="bases"))
    item = next(i for i in pages.overview(consultation) if i.run is not None)
    assert [row.theme.key for row in item.shares] == order
    paragraphs = [p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs]
    at = [next(i for i, p in enumerate(paragraphs) if p.startswith(f"{key}: ")) for key in order]
    assert at == sorted(at)
    assert f"{CATCH_ALLS_LAST}." in paragraphs
    # with words of its own it is no catch-all: largest first again
    largest.keywords = ["finance", "start-ups", "loans"]
    db.session.commit()
    assert [t.key for t in pages.visible_themes(run)] == [largest.key, second.key, third.key]
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    assert CATCH_ALLS_LAST not in words(page.find(id="bases"))


def test_the_overview_lists_a_catch_all_after_less_mentioned_themes_and_says_why():
    from types import SimpleNamespace

    from consult.reports.pages import QuestionOverview, most_mentioned

    def row(key: str, count: int):
        found = SimpleNamespace(count=count)
        return SimpleNamespace(theme=SimpleNamespace(key=key), everyone=found)

    rows = [row("T01", 97), row("T02", 30), row("T03", 20)]
    assert [r.theme.key for r in most_mentioned(rows)] == ["T01", "T02", "T03"]
    assert [r.theme.key for r in most_mentioned(rows, last={"T01"})] == ["T02", "T03", "T01"]
    assert [r.theme.key for r in most_mentioned(rows, top=2, last={"T01"})] == ["T02", "T03"]

    def item(keys: list[str], mixed_last: bool) -> QuestionOverview:
        themes = [SimpleNamespace(key=key) for key in keys]
        return QuestionOverview(None, "", 1, None, 1, None, themes, [], [], mixed_last=mixed_last)

    assert item(["T02", "T03", "T01"], True).order_note.endswith(f"{CATCH_ALLS_LAST}.")
    assert CATCH_ALLS_LAST not in item(["T01", "T02"], False).order_note
    assert item(["T01", "T02"], False).order_note == ""
