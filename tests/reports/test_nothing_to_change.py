"""Themes saying nothing needs to change (finding 12 of the ninth smoke walk): 1,100 bare
"Nothing"s were "no substantive answer" while "Nothing could have been done better" was a
theme of 197. As the CLI's report.html does, the report page's no-substantive section and the
Word report name each theme whose label says so, in the same words (one rule:
:func:`analysis.report.nothing_to_change_sentence`). On a stored run, through the test
client."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from analysis.report import SHORT_ANSWERS_VIEW, nothing_to_change_sentence
from consult.extensions import db
from consult.reports.models import RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def stored(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.explains is not None)
    return store_synthetic_run(consultation, question, responses=60)


def themes_of(run) -> list[RunTheme]:
    return list(
        db.session.scalars(
            select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
        )
    )


def words(text: str) -> str:
    return " ".join(text.split())


def say_nothing(run) -> tuple[RunTheme, RunTheme]:
    """Two themes whose labels say nothing needs to change: one with its label's point
    counted (a theme gathering other points too), one without."""
    first, second = themes_of(run)[1:3]
    first.label, first.label_point = "Nothing could have been done better", None
    second.label, second.label_point = "Nothing I can think of", 3
    db.session.commit()
    return first, second


def test_the_page_names_the_themes_saying_nothing_needs_to_change(app, stored):
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{stored.id}"
    assert soup(client.get(url)).find(id="nothing-to-change") is None  # no such label yet
    first, second = say_nothing(stored)
    page = soup(client.get(url))
    said = words(page.find(id="nothing-to-change").get_text())
    # as the page lists the themes: largest first
    named = sorted([first, second], key=lambda t: -t.size)
    assert said.startswith(f"{SHORT_ANSWERS_VIEW} Answers saying so at more length are themed")
    assert f"{first.key} “Nothing could have been done better” ({first.size} answers)" in said
    assert f"{second.key} “Nothing I can think of” (about 3 answers make its point)" in said
    assert said.endswith("count them too when counting the answers saying nothing needs to change.")
    # in the section on the answers with nothing to theme, after what they said most often
    section = page.find(id="nothing-to-change").find_parent("section")
    assert section.find(id="non-substantive") is not None
    assert "Most common: “n/a”." in words(section.get_text())
    # the same words as the CLI's report (one rule)
    assert said == nothing_to_change_sentence(
        [
            {"id": t.key, "label": t.label, "size": t.size, "label_point": t.label_point}
            for t in named
        ]
    )


def test_the_word_report_names_the_themes_saying_nothing_needs_to_change(app, stored):
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{stored.id}/report.docx"

    def paragraphs() -> list[str]:
        document = Document(io.BytesIO(client.get(url).data))
        return [words(p.text) for p in document.paragraphs]

    assert not any(SHORT_ANSWERS_VIEW in p for p in paragraphs())  # no such label yet
    first, _ = say_nothing(stored)
    (said,) = [p for p in paragraphs() if SHORT_ANSWERS_VIEW in p]
    bucket = sum(1 for i in range(60) if i % 17 == 16)
    assert said.startswith(
        f"No substantive answer: {bucket} of the 60 answers (in no theme), most often “n/a”. "
        f"{SHORT_ANSWERS_VIEW} Answers saying so at more length are themed apart: "
    )
    assert f"{first.key} “Nothing could have been done better” ({first.size} answers)" in said
    assert said.endswith("count them too when counting the answers saying nothing needs to change.")
