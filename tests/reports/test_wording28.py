"""The report's words a policy officer read on the demo (wording28, smoke27's findings): a
share that says what it is of, a Size line that says its counts once, stances in sentence
case mid-sentence, and one word ("Responses") for the agreement answers' count, on the page,
the theme page, Word, Excel and the all-questions summary."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from analysis.report import whole_percent
from consult.extensions import db
from consult.reports import documents
from consult.reports.models import RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def stored(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.explains is not None)
    return store_synthetic_run(consultation, question, responses=80)


def first_theme(run) -> RunTheme:
    return db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == "T01")
    ).one()


def docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_the_headline_says_what_its_share_is_of_and_the_size_line_says_it_once(app, stored):
    """smoke27: "About 32 (14%) make this point; 84 answers in this group" read as 14% of
    the 84; the Size line then said both numbers again ("Of the 84 answers mentioning it,
    about 32 make the label's own point, fewer than half")."""
    from consult.reports.partners_said import theme_line

    theme = first_theme(stored)
    theme.label_point = theme.mentions // 4
    db.session.commit()
    made, mentions, answered = theme.label_point, theme.mentions, int(stored.input_count)
    headline = (
        f"About {made} of the {answered} answers ({whole_percent(made / answered)}) make this "
        f"point, fewer than half of the {mentions} mentioning this theme"
    )
    repeated = f"about {made} make the label's own point"
    client = signed_in(app, "analyst")
    report = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    assert words(report.select_one("#glance-T01-headline")) == headline
    assert words(report.select_one("#theme-T01-headline")) == f"{headline}."
    size = words(report.select_one("#theme-T01-label-point"))
    assert repeated not in size and "fewer than half" not in size
    assert size.startswith("Either the label names one of its points")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}/themes/T01"))
    assert words(page.select_one("#theme-headline")) == f"{headline}."
    assert repeated not in words(page.select_one("#theme-label-point"))
    word = docx_paragraphs(documents.run_docx(stored))
    size_line = next(p for p in word if p.startswith(f"{headline}. Main theme"))
    assert repeated not in size_line and size_line.count("fewer than half") == 1
    line = theme_line(stored, theme, answered, False)
    assert line.startswith(f"{theme.label}: {headline[:1].lower()}{headline[1:]}.")
    assert "(of " not in line
    # half or more make it: no headline, and the Size line gives the count as before
    theme.label_point = mentions - 1
    db.session.commit()
    report = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    assert report.select_one("#theme-T01-headline") is None
    assert words(report.select_one("#theme-T01-label-point")).startswith(
        f"Of the {mentions} answers mentioning it, about {mentions - 1} make the label's own point."
    )


def test_stances_are_in_lower_case_mid_sentence(app, stored):
    """smoke27: "Of the 84 answers mentioning it: For 63, Against 7, Neither 14, Unclear 0"
    beside the at-a-glance table's "Mostly for: for 63, against 7, ..." (GOV.UK: sentence
    case)."""
    theme = first_theme(stored)
    stance = theme.stance
    expected = (
        f"Of the {theme.mentions} answers mentioning it: for {stance.get('for', 0)}, against "
        f"{stance.get('against', 0)}, neither {stance.get('mixed', 0)}, unclear "
        f"{stance.get('unclear', 0)}"
    )
    client = signed_in(app, "analyst")
    report = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    assert expected in words(report.find(id="theme-T01"))
    basis = words(report.find(id="stance-basis"))
    assert "“For” is agree or strongly agree" in basis
    assert "“neither” then means words both for and against" in basis
    assert "“unclear” means neither for nor against" in basis
    word = "\n".join(docx_paragraphs(documents.run_docx(stored)))
    assert expected in word
    assert ": For " not in word and ", Against " not in word and ", Unclear " not in word


def test_the_agreement_answers_are_counted_as_responses_everywhere(app, stored):
    """smoke27: Word's agreement table said "Respondents", the page's "Responses"; the
    workbook's total row "All the respondents analysed"."""
    client = signed_in(app, "analyst")
    report = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    section = report.find(id="agreement").parent
    assert "in the responses analysed" in words(section)
    assert "respondents analysed" not in words(section)
    overall = section.find_all("table")[0]
    assert [words(th) for th in overall.find("tr").find_all("th")][1] == "Responses"
    document = Document(io.BytesIO(documents.run_docx(stored)))
    header = next(
        [cell.text for cell in table.rows[0].cells]
        for table in document.tables
        if table.rows[0].cells[0].text.startswith("Answer to Q")
    )
    assert header[1:] == ["Responses", "Share"]
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(stored)), read_only=True)
    last = list(workbook["Agreement"].values)[-1]
    assert last[1] == "All the responses analysed"


def test_a_rerun_stores_its_note_naming_the_themes_by_their_keys_in_the_app():
    """On the demo, a rerun's themes take the earlier run's keys (T16, T03, T02 …), but the
    note said "… T02, T03 and T06" in the analysis's own numbers: T06 was the theme itself
    in the app (the trade-unions theme), T02 and T03 other themes than meant."""
    from analysis.other_themes import other_themes_note
    from consult.reports.runs import keyed_summary

    keys = {"T01": "T16", "T02": "T03", "T03": "T02", "T05": "T06", "T06": "T18"}
    note = {"id": "R1", "text": other_themes_note(["T02", "T03", "T06"]), "only_point": True}
    point = {"id": "R2", "text": "Businesses create the jobs: T02.", "ids": ["R2"]}
    assert keyed_summary([note, point], keys) == [
        {**note, "text": other_themes_note(["T03", "T02", "T18"])},
        point,
    ]
    # a name not among the keys: the note is left as the analysis wrote it
    odd = {**note, "text": other_themes_note(["T09"])}
    assert keyed_summary([odd], keys) == [odd]
    assert keyed_summary([], keys) == []
