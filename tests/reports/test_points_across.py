"""Points raised across themes (spread26, issue 12) where the report is read: the run page
and the Word report list them in the same words as the command line's report
(:func:`analysis.spread_points.across_sentence`), and drop a point whose theme a reviewer
relabelled. On a stored run, through the test client."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from analysis.spread_points import ACROSS_HEADING, ACROSS_INTRO, across_sentence
from consult.extensions import db
from consult.reports.models import AnalysisRun, RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def stored(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.explains is not None)
    return store_synthetic_run(consultation, question, responses=60)


def _with_point(run_id: int) -> tuple[dict, RunTheme]:
    themes = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run_id).order_by(RunTheme.position)
    ).all()
    point = {
        "theme": themes[1].key,
        "label": themes[1].label,
        "answers": 41,
        "in_theme": 9,
        "themes": [t.key for t in themes[:3]],
    }
    run = db.session.get(AnalysisRun, run_id)
    run.summary = {**(run.summary or {}), "points_across_themes": [point]}
    db.session.commit()
    return point, themes[1]


def test_the_page_and_word_list_points_raised_across_themes(app, stored):
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{stored.id}"
    page = soup(client.get(url))
    assert page.find(id="points-across") is None  # none found: nothing said
    assert ACROSS_HEADING not in page.get_text()
    point, theme = _with_point(stored.id)
    page = soup(client.get(url))
    section = page.find(id="points-across")
    assert section is not None
    assert words(section.find("h2").get_text()) == ACROSS_HEADING
    assert ACROSS_INTRO in words(section.get_text())
    items = [words(li.get_text()) for li in section.find_all("li")]
    assert items == [across_sentence(point)]
    link = section.find("li").find("a")  # the theme it is counted for, to read
    assert link is not None and link["href"] == f"#theme-{theme.key}"
    assert page.find(id=f"theme-{theme.key}") is not None
    # after the table of themes
    assert page.find("table").find_next(id="points-across") is not None

    document = Document(io.BytesIO(client.get(f"{url}/report.docx").data))
    paragraphs = [words(p.text) for p in document.paragraphs]
    assert ACROSS_HEADING in paragraphs
    start = paragraphs.index(ACROSS_HEADING)
    assert ACROSS_INTRO in paragraphs[start + 1 : start + 3]
    assert across_sentence(point) in paragraphs[start + 1 : start + 4]


def test_a_relabelled_theme_loses_its_point_on_the_page_and_in_word(app, stored):
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{stored.id}"
    _point, theme = _with_point(stored.id)
    theme.label = "A reviewer's own words"
    db.session.commit()
    assert soup(client.get(url)).find(id="points-across") is None
    document = Document(io.BytesIO(client.get(f"{url}/report.docx").data))
    assert ACROSS_HEADING not in [words(p.text) for p in document.paragraphs]
