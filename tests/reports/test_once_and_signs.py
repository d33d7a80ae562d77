"""A new user's reading of the demo report: the unstable caveat is said once (each theme gets
a short tag), the tool's own "makes one point only" sentence carries no response reference,
scores use a true minus sign, every Size line ends with a full stop, and staff home shows a
consultation's status as a tag."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.reports import documents, wording
from consult.reports.label_check import FAST_UNCHECKED_SENTENCE
from consult.reports.models import AnalysisRun, RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CAVEAT = "answers are often split up or joined with others"  # wording.UNSTABLE (smoke17 #2)
ONLY = "This theme makes one point only; no other is made by two or more of its answers."


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def themes(run: AnalysisRun) -> list[RunTheme]:
    return list(
        db.session.scalars(
            select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
        )
    )


@pytest.fixture
def run(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    stored = store_synthetic_run(consultation, question, responses=120, themes=3)
    first, second, third = themes(stored)[:3]
    first.stability, second.stability, third.stability = 0.42, 0.39, 0.9
    first.sentiment, second.sentiment = -0.66, 0.23
    first.label_point = None
    second.summary = [
        {"id": second.quotes[0]["id"], "text": ONLY, "ids": [], "only_point": True},
        *(second.summary or []),
    ]
    db.session.commit()
    return stored


def test_the_unstable_caveat_is_said_once_and_each_theme_is_tagged(app, run):
    first, second, third = themes(run)[:3]
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}"))
    assert words(page).count(CAVEAT) == 1
    note = words(page.find(id="unstable-note"))
    assert note.startswith("2 of the 3 themes are marked “unstable grouping”") and CAVEAT in note
    for theme in (first, second):
        tag = page.find(id=f"theme-{theme.key}-unstable")
        assert "Unstable grouping" in words(tag) and tag.find("a")["href"] == "#unstable-note"
    assert page.find(id=f"theme-{third.key}-unstable") is None
    assert "0.90 (stable)" in words(page.find(id=f"theme-{third.key}"))
    word = docx_text(documents.run_docx(run))
    assert word.count(CAVEAT) == 1
    assert "Stability: 0.42 (unstable grouping)." in word
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    rows = list(workbook["Themes"].values)
    assert sum(CAVEAT in str(cell) for row in rows for cell in row) == 0
    column = rows[0].index("Stability in words (below 0.5: read its answers before quoting it)")
    assert {row[0]: row[column] for row in rows[1:]}[first.key] == "0.42 (unstable grouping)"


def test_a_run_stored_with_the_earlier_stability_measure_is_not_judged_by_todays(app, run):
    """A run stored before runs recorded their stability measure measured it the earlier
    way (lower figures, once read against 0.6): its figures are shown, tagged "earlier
    measure" and explained once, never marked "unstable grouping" against today's 0.5; the
    parts of a theme split since keep its figure."""
    from consult.reports.review import split_theme

    run.summary = {k: v for k, v in run.summary.items() if k != "stability_measure"}
    db.session.commit()
    first, second, third = themes(run)[:3]
    analyst = signed_in(app, "analyst")
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    assert page.find(id="unstable-note") is None and CAVEAT not in words(page)
    note = words(page.find(id="earlier-measure-note"))
    assert note.startswith("The stability of every theme was measured the earlier way")
    assert "none is marked “unstable grouping”" in note and "Run the analysis again" in note
    for theme in (first, second):
        assert page.find(id=f"theme-{theme.key}-unstable") is None
    assert f"{first.stability:.2f} (earlier measure)" in words(page.find(id=f"theme-{first.key}"))
    assert "0.90 (earlier measure)" in words(page.find(id=f"theme-{third.key}"))
    word = docx_text(documents.run_docx(run))
    assert "Stability: 0.42 (earlier measure)." in word and "(unstable grouping)" not in word
    assert word.count("was measured the earlier way") == 1
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    rows = list(workbook["Themes"].values)
    column = rows[0].index("Stability in words (below 0.5: read its answers before quoting it)")
    assert {row[0]: row[column] for row in rows[1:]}[first.key] == "0.42 (earlier measure)"

    # A theme split now: its parts keep its figure, of the earlier measure, and say whose it
    # is (a refit of a part's own answers measures only how the cut repeats: smoke9 #8).
    parts = split_theme(run, first.key, 2, None)
    db.session.commit()
    page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    for part in parts:
        shown = words(page.find(id=f"theme-{part.key}"))
        assert part.stability == first.stability
        assert "0.42 (earlier measure; the figure of the theme it was split from)" in shown
    assert "measured the earlier way" in words(page.find(id="earlier-measure-note"))


def test_no_note_when_every_theme_holds(app, run):
    for theme in themes(run):
        theme.stability = 0.85
    db.session.commit()
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}"))
    assert page.find(id="unstable-note") is None and CAVEAT not in words(page)


def test_the_tools_own_sentence_has_no_response_reference(app, run):
    second = themes(run)[1]
    reference = second.quotes[0]["id"]
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}"))
    note = page.find(id=f"theme-{second.key}-note")
    assert words(note) == f"Note from the analysis, not a respondent's words: {ONLY}"
    assert "Response" not in words(note) and note.find("a") is None
    word = docx_text(documents.run_docx(run))
    assert f"{documents.ANALYSIS_NOTE}: {ONLY}" in word
    assert f"{ONLY} ({reference})" not in word
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    rows = [r for r in workbook["Summaries and quotes"].values if r[4] == ONLY]
    assert [(r[2], r[5]) for r in rows] == [(documents.ANALYSIS_NOTE, None)]


def test_scores_on_pages_use_a_true_minus_and_sizes_end_alike(app, run):
    first, second = themes(run)[:2]
    assert wording.sentiment_number(-0.66) == "\u22120.66"
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    section = words(page.find(id=f"theme-{first.key}"))
    assert "negative (\u22120.66 on a scale from \u22121 to +1)" in section
    assert "-0.66" not in section
    size = words(page.find(id=f"theme-{first.key}").find("dd"))
    # a fast run: its label is not checked, said where the count would stand (smoke16 #3)
    assert size == (
        f"Main theme of {first.size} answers; mentioned by {first.mentions}. "
        f"{FAST_UNCHECKED_SENTENCE}"
    )
    assert "positive (+0.23 on a scale" in words(page.find(id=f"theme-{second.key}"))
    word = docx_text(documents.run_docx(run))
    assert "negative (\u22120.66 on a scale from \u22121 to +1)" in word
    # The CSV stays machine-readable: a plain number.
    csv_text = client.get(f"/staff/reports/runs/{run.id}/report.csv").data.decode("utf-8-sig")
    assert "\u2212" not in csv_text


@pytest.mark.parametrize(
    ("status", "opens_in", "closes_in", "label", "colour"),
    [
        ("open", None, timedelta(days=30), "Open", "govuk-tag--green"),
        ("open", timedelta(days=3), timedelta(days=30), "Scheduled", "govuk-tag--blue"),
        ("open", None, timedelta(days=-1), "Closed", "govuk-tag--grey"),
        ("closed", None, timedelta(days=-1), "Closed", "govuk-tag--grey"),
        ("draft", None, timedelta(days=30), "Draft", "govuk-tag--grey"),
    ],
)
def test_staff_home_shows_status_as_a_tag(app, status, opens_in, closes_in, label, colour):
    make_consultation(status=status, opens_in=opens_in, closes_in=closes_in)
    page = soup(signed_in(app, "analyst").get("/staff/"))
    row = page.find("tbody").find("tr")
    tag = row.find("strong", class_="govuk-tag")
    assert tag.get_text() == label and colour in tag["class"]


def test_the_summary_is_headed_as_the_points_besides_the_label(app, run):
    """A theme's summary leaves out its label's point, so it is headed "Other points its
    answers make" on the page and in Word, as in the CLI's report: headed "Summary", a reader
    took it for the theme's gist and found points unrelated to the label."""
    from analysis.report import SUMMARY_HEADING

    second = themes(run)[1]
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    headings = [words(h) for h in page.find(id=f"theme-{second.key}").find_all("h3")]
    assert SUMMARY_HEADING == "Other points its answers make"
    assert SUMMARY_HEADING in headings and "Summary" not in headings
    paragraphs = Document(io.BytesIO(documents.run_docx(run))).paragraphs
    word_headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert SUMMARY_HEADING in word_headings and "Summary" not in word_headings
    # the quotes are headed alike too ("Quotes" in Word, "In their words" on the page)
    assert "In their words" in headings and "In their words" in word_headings


def test_coding_downloads_word_stance_as_the_page_does(app, run):
    """The page says "Neither" where the stored stance is 'mixed'; the CSV and the workbook's
    Coding sheet wrote 'mixed', so a reader filtering them for it found nothing."""
    import csv

    from consult.reports.models import RunAssignment

    rows = db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id)).all()
    rows[0].stance, rows[1].stance, rows[2].stance = "mixed", "for", None
    db.session.commit()
    assert documents.coding_stance("mixed") == "neither"
    assert documents.coding_stance("against") == "against"
    assert documents.coding_stance(None) == ""
    client = signed_in(app, "analyst")
    data = client.get(f"/staff/reports/runs/{run.id}/report.csv").data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    column = table[0].index("stance")
    by_reference = {row[0]: row[column] for row in table[1:]}
    assert by_reference[rows[0].reference] == "neither"
    assert by_reference[rows[1].reference] == "for"
    assert by_reference[rows[2].reference] == ""
    assert "mixed" not in {row[column] for row in table[1:]}
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    sheet = list(workbook["Coding"].values)
    assert "mixed" not in {row[sheet[0].index("stance")] for row in sheet[1:]}


def test_a_run_started_from_the_command_line_says_so(app, run):
    """The page read "Run 7 on ... by flask reports run", as if a person had started it."""
    assert wording.started_by_words("flask reports run") == "the command line (flask reports run)"
    assert wording.started_by_words("a@example.org") == "a@example.org"
    assert wording.started_by_words("") == "unknown"
    run.started_by_email = "flask reports run"
    db.session.commit()
    client = signed_in(app, "analyst")
    page = words(soup(client.get(f"/staff/reports/runs/{run.id}")))
    assert "by the command line (flask reports run)," in page
    assert "by flask reports run" not in page
    assert "Started by the command line (flask reports run)" in page  # the run details
    listing = words(soup(client.get(f"/staff/reports/questions/{run.question_id}/runs")))
    assert "the command line (flask reports run)" in listing
