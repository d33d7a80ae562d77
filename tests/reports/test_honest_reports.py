"""Honest report pages and documents from a real job run in the test process: answered of
submitted responses (blank answers in no theme and not in the shares), the question's
wording, stance 'not measured' when no agreement question goes with the text, and segment
tables that say when the numbers are too small to tell."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from consult.extensions import db
from consult.reports import documents, pages, runs
from consult.reports.jobs import run_job
from consult.reports.models import AnalysisRun
from tests.helpers import make_consultation, soup
from tests.reports_helpers import add_responses
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

IDEAS = [
    "Run more buses in the evening so shift workers can get home.",
    "The bus service is unreliable and buses are often late.",
    "Build affordable housing near the stations for young families.",
    "Fund adult skills courses at the colleges.",
    "More apprenticeships with small employers.",
    "Protected cycle lanes on the main roads into the city.",
]


def analysed(consultation, question, answers: list[str]) -> AnalysisRun:
    """Submit ``answers`` ('' = left blank) to ``question`` and run the analysis job."""
    agree = consultation.questions[0]
    for index, text in enumerate(answers):
        values = {question: text} if text else {}
        if question.explains is not None:
            values[agree] = ["agree", "disagree", "strongly_agree"][index % 3]
        add_responses(consultation, [values], partner_type=["business", "university"][index % 2])
    run = runs.start_run(consultation, question, {"engine": "fast", "n_themes": 3})
    assert run_job(run.id) == "succeeded"
    return db.session.get(AnalysisRun, run.id)


@pytest.fixture
def idea_run(app):
    """'One idea' (no agreement question goes with it): 36 answered, 12 left blank."""
    consultation = make_consultation()
    idea = next(q for q in consultation.questions if q.kind == "short_text")
    answers = []
    for index in range(48):
        answers.append("" if index % 4 == 3 else IDEAS[index % len(IDEAS)][:50])
    return analysed(consultation, idea, answers)


def words(page) -> str:
    return " ".join(soup(page).get_text(" ").split())


def test_report_page_shows_answered_of_submitted_and_the_blank_row(app, idea_run):
    assert idea_run.input_count == 36
    assert idea_run.summary["submitted"] == 48 and idea_run.summary["not_answered"] == 12
    client = signed_in(app, "analyst")
    page = client.get(f"/staff/reports/runs/{idea_run.id}")
    assert page.status_code == 200
    text = words(page)
    assert "36 answered of 48 submitted responses (12 left this question blank" in text
    assert "Not answered (blank, not in the base) 12" in text
    assert "Q5: One idea" in text  # the question's wording, not a file name
    for theme in idea_run.visible_themes:  # shares of the 36 answered, not of the 48
        assert theme.share == round(theme.size / 36, 4)


def test_stance_not_measured_on_the_page_in_word_and_excel(app, idea_run):
    assert runs.stance_measured(idea_run) is False
    assert all(theme.stance == {} for theme in idea_run.visible_themes)
    client = signed_in(app, "analyst")
    page = client.get(f"/staff/reports/runs/{idea_run.id}")
    html = soup(page)
    assert "Stance not measured" in html.find(id="stance-not-measured").get_text()
    text = words(page)
    # said once above the themes, not again under each theme (smoke29)
    assert "no agreement answer goes with this question" not in text
    assert "Unclear" not in text
    document = Document(io.BytesIO(documents.run_docx(idea_run)))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Stance not measured" not in body and "unclear" not in body.lower()  # smoke29
    assert documents.STANCE_NOT_MEASURED[0].upper() + documents.STANCE_NOT_MEASURED[1:] in cells
    assert "36 of 48 submitted responses (the base of every share)" in cells
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(idea_run)))
    rows = list(workbook["Themes"].values)
    header = rows[0]
    # the themes' rows (the last four count the bucket, the base, the blank and the submitted)
    assert [row[1] for row in rows[-3:]][
        1
    ] == "Not answered (left this question blank; not in the base)"
    count = header.index("Answers (main theme)")
    assert [row[count] for row in rows[-3:]] == [36, 12, 48]
    for row in rows[1:-4]:
        record = dict(zip(header, row, strict=True))
        assert record["Stance measured"] == "no"
        assert all(
            record[f"Stance of answers mentioning it: {n}"] is None
            for n in ("for", "against", "neither", "unclear")
        )


def test_stance_measured_with_the_agreement_question(app):
    consultation = make_consultation()
    why = next(q for q in consultation.questions if q.explains is not None)
    run = analysed(consultation, why, [IDEAS[i % len(IDEAS)] for i in range(30)])
    assert runs.stance_measured(run) is True
    assert sum(sum(theme.stance.values()) for theme in run.visible_themes) >= 30
    client = signed_in(app, "analyst")
    page = client.get(f"/staff/reports/runs/{run.id}")
    assert soup(page).find(id="stance-not-measured") is None
    theme = run.visible_themes[0]
    stance_row = f"Stance Of the {theme.mentions} answers mentioning it: for"
    assert stance_row in words(page)
    body = "\n".join(p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs)
    assert "Stance not measured" not in body
    assert f"Of the {theme.mentions} answers mentioning it: for" in body


def test_summary_points_say_whose_they_are_with_stance_measured(app):
    consultation = make_consultation()
    why = next(q for q in consultation.questions if q.explains is not None)
    run = analysed(consultation, why, [IDEAS[i % len(IDEAS)] for i in range(30)])
    every = [p for theme in run.visible_themes for p in theme.summary]
    # "This theme makes one point only" takes no side: the theme's stance counts say it
    assert all(p["stance"] == "" for p in every if p.get("only_point"))
    points = [p for p in every if not p.get("only_point")]
    assert points and all(p["stance"] in {"for", "against", "mixed", "unclear"} for p in points)
    sided = [p for p in points if p["stance"] in {"for", "against"}]
    assert sided
    client = signed_in(app, "analyst")
    items = [
        li.get_text(" ")
        for li in soup(client.get(f"/staff/reports/runs/{run.id}")).select(
            "section.consult-theme ul.govuk-list--bullet li"
        )
    ]
    for point in sided:
        side = point["stance"].capitalize()
        assert any(item.startswith(f"{side}: ") and point["text"] in item for item in items)
    body = "\n".join(p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs)
    assert f"{sided[0]['stance'].capitalize()}: {sided[0]['text']}" in body
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    rows = list(workbook["Summaries and quotes"].values)
    assert rows[0][-2:] == ("Side", "Answers making the point")
    assert {r[-2] for r in rows[1:] if r[2] == "Summary point"} & {"For", "Against"}


def test_each_cell_verdict_is_shown_on_the_page_and_in_word(app, idea_run):
    cells = [
        cell
        for theme in idea_run.visible_themes
        for cell in theme.segments["partner_type"].values()
    ]
    verdicts = [cell["verdict"] for cell in cells]
    assert set(verdicts) <= {"higher", "lower", "no clear difference", "too few to tell"}
    client = signed_in(app, "analyst")
    page = client.get(f"/staff/reports/runs/{idea_run.id}")
    table_text = " ".join(
        cell.get_text(" ") for cell in soup(page).select("section.consult-theme table td")
    )
    assert table_text.count("too few answers to tell") == verdicts.count("too few to tell")
    assert table_text.count("no clear difference") == verdicts.count("no clear difference")
    document = Document(io.BytesIO(documents.run_docx(idea_run)))
    shown = [
        row.cells[-1].text
        for table in document.tables
        if table.rows[0].cells[0].text == "Partner type"
        for row in table.rows[1:-1]  # the last row is all answers: no verdict
    ]
    assert shown == [documents.VERDICT_WORDS[v] for v in _sorted_verdicts(idea_run)]


def _sorted_verdicts(run: AnalysisRun) -> list[str]:
    """The verdicts in the Word tables' order: theme by theme, values sorted."""
    return [
        cell["verdict"]
        for theme in run.visible_themes
        for _, cell in sorted(theme.segments["partner_type"].items())
    ]


def test_segment_table_too_few_path(app):
    cells = {
        "business": {
            "count": 1,
            "of": 2,
            "share": 0.5,
            "ci95": [0.1, 0.9],
            "rest_share": 0.4,
            "rest_count": 8,
            "test": "too few",
            "p_value": None,
            "p_adjusted": None,
            "significant": False,
            "verdict": "too few to tell",
        },
        "vcse": {
            "count": 1,
            "of": 3,
            "share": 0.33,
            "ci95": [0.1, 0.8],
            "rest_share": 0.4,
            "rest_count": 8,
            "test": "too few",
            "p_value": None,
            "p_adjusted": None,
            "significant": False,
            "verdict": "too few to tell",
        },
    }
    from consult.reports.models import RunTheme

    theme = RunTheme(key="T01", label="Buses", segments={"partner_type": cells})
    table = pages.segment_table(theme, "partner_type")
    assert table.heading == "Partner type" and table.too_few
    assert {row.label for row in table.rows} == {
        "Business",
        "Voluntary, community or social enterprise",
    }
    from flask import render_template_string

    html = render_template_string(
        '{% from "reports/_macros.html" import breakdown %}{{ breakdown(table, "c") }}',
        table=table,
    )
    assert "Too few answers to tell whether any partner type differs" in html
    assert "too few answers to tell" in html and "p = " not in html
