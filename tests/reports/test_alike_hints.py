"""Themes that look alike: the report page and the theme's page say "Looks like T02 ‘…’",
link to the merge page with both themes ticked, drop the hint once one is merged away, and
the downloads carry a short note (issue 12, smoke7 finding 8)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import documents
from consult.reports.alike import stored_hints
from consult.reports.models import AnalysisRun
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    first, second = [t.key for t in run.visible_themes[:2]]
    run.summary = dict(run.summary) | {"alike": {first: [{"key": second, "similarity": 0.71}]}}
    db.session.commit()
    return run


def fresh(run: AnalysisRun) -> AnalysisRun:
    db.session.expire_all()
    return db.session.scalar(select(AnalysisRun).where(AnalysisRun.id == run.id))


def test_stored_hints_use_stored_keys():
    themes = [
        {"id": "T01", "alike": [{"id": "T03", "similarity": 0.8}]},
        {"id": "T02", "alike": []},
        {"id": "T03", "alike": [{"id": "T01", "similarity": 0.8}]},
    ]
    keys = {"T01": "T04", "T02": "T02", "T03": "T07"}
    assert stored_hints(themes, keys) == {
        "T04": [{"key": "T07", "similarity": 0.8}],
        "T07": [{"key": "T04", "similarity": 0.8}],
    }


def test_report_and_theme_page_show_the_hint_and_its_link_ticks_both(run, app):
    analyst = signed_in(app, "analyst")
    first, second = [t.key for t in run.visible_themes[:2]]
    label = run.visible_themes[1].label
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    hint = page.find(id=f"theme-{first}-alike-{second}")
    assert hint is not None
    text = " ".join(hint.get_text(" ", strip=True).split())
    assert text.startswith(f"Looks like {second} ‘{' '.join(label.split())}’: Merge these themes")
    assert page.find(id=f"theme-{second}-alike-{first}") is None  # only where stored
    merge = hint.find_all("a")[-1]
    assert merge.get_text(" ", strip=True).startswith("Merge these themes")
    explain = soup(analyst.get(f"/staff/reports/runs/{run.id}/themes/{first}"))
    assert explain.find(id=f"theme-alike-{second}") is not None
    form = soup(analyst.get(merge["href"]))
    ticked = [box["value"] for box in form.find_all("input", checked=True)]
    assert ticked == [first, second]
    # Merging them takes the hint away (the other theme is hidden now).
    done = post(
        analyst, f"/staff/reports/runs/{run.id}/merge", {"themes": [first, second], "label": "One"}
    )
    assert done.status_code == 302
    again = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    assert again.find(class_="consult-looks-like") is None


def test_reader_sees_the_hint_without_the_merge_link(run, app):
    reader = signed_in(app, "viewer")
    first, second = [t.key for t in run.visible_themes[:2]]
    page = soup(reader.get(f"/staff/reports/runs/{run.id}"))
    hint = page.find(id=f"theme-{first}-alike-{second}")
    assert hint is not None and "Merge these themes" not in hint.get_text()


def test_downloads_note_the_hint(run):
    from docx import Document
    from openpyxl import load_workbook

    first, second = [t.key for t in run.visible_themes[:2]]
    book = load_workbook(io.BytesIO(documents.run_xlsx(fresh(run))))
    rows = list(book["Themes"].iter_rows(values_only=True))
    column = rows[0].index("Looks like (themes that seem to make the same point: merge them if so)")
    notes = {row[0]: row[column] for row in rows[1:] if row[0]}
    assert notes[first].startswith(f"Looks like {second} ‘") and not notes.get(second)
    document = Document(io.BytesIO(documents.run_docx(fresh(run))))
    # smoke9 #9: the Word report is handed on, so it states a finding, not the workspace's
    # prompt "Looks like T05 ‘…’: a reviewer may merge them".
    text = [p.text for p in document.paragraphs]
    assert not any("may merge" in line or line.startswith("Looks like") for line in text)
    said = [line for line in text if "read alike" in line]
    assert len(said) == 1 and said[0].startswith(f"{first} and {second} ‘")
    assert said[0].endswith("’ read alike.")


def test_a_run_job_stores_the_engines_hints_under_its_theme_keys(app):
    from consult.reports import runs
    from consult.reports.jobs import run_job
    from tests.reports_helpers import demo, question_numbered

    consultation = demo(120)
    _, question = question_numbered(consultation, "Is there anything else")
    run = runs.start_run(consultation, question, {"engine": "fast"})
    assert run_job(run.id) == "succeeded"
    run = fresh(run)
    stored = run.summary["alike"]
    keys = {theme.key for theme in run.themes}
    assert isinstance(stored, dict)
    for key, hints in stored.items():
        assert key in keys and hints
        assert all(hint["key"] in keys and hint["key"] != key for hint in hints)
