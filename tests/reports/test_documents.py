"""Word, Excel and CSV documents of a stored run, opened again and read back."""

from __future__ import annotations

import copy
import csv
import io
import re
import shutil
import subprocess
import zlib

import pytest
from docx import Document
from openpyxl import load_workbook

from consult.extensions import db
from consult.reports import documents, review
from consult.reports.pages import question_title
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    user = make_user("analyst")
    key = run.visible_themes[0].key
    review.rename_theme(run, key, '=HYPERLINK("x") buses', user, description="About buses.")
    review.mark_reviewed(run, key, user)
    # A formula-looking answer must come out guarded.
    assignment = run.assignments[0]
    assignment.text = "=1+1 and bus fares"
    db.session.commit()
    return run


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_word_report_holds_figures_themes_quotes_charts_and_tables(run):
    data = documents.run_docx(run)
    document = Document(io.BytesIO(data))
    text = text_of(document)
    assert run.question.text in text
    assert "Answered" in text and "40 of 40 submitted responses" in text
    themes = run.visible_themes
    for theme in themes:
        assert f"{theme.key}: {theme.label}" in text
        for quote in theme.quotes:
            assert quote["id"] in text and quote["text"] in text
        for point in theme.summary:
            if point.get("only_point"):  # the tool's own note: said, with no response cited
                assert point["text"] in text
            else:
                assert f"({point['id']}" in text
    assert "About buses." in text and "Reviewed by analyst@example.org" in text
    assert "By partner type" in text and "University" in text
    # One overview chart plus one chart per theme and segment, each with alternative text.
    pictures = document.inline_shapes
    assert len(pictures) == 1 + len(themes)
    descriptions = [shape._inline.docPr.get("descr") for shape in pictures]
    assert all(descriptions) and descriptions[0].startswith("Share of responses per theme")
    # The breakdown table: the header, one row per partner type of the theme, then all
    # answers: the partner types' mentions added up, the theme's mentions of the answers.
    first = themes[0]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Partner type")
    assert len(table.rows) == 1 + len(first.segments["partner_type"]) + 1
    assert table.rows[0].cells[1].text == "Answers mentioning it"
    assert [c.text for c in table.rows[-1].cells[:2]] == [
        "All answers",
        f"{first.mentions} of {run.input_count}",
    ]
    # Its rows in the report page's order (largest share first), not alphabetical.
    from consult.reports.pages import segment_table

    assert [r.cells[0].text for r in table.rows[1:-1]] == [
        row.label for row in segment_table(first, "partner_type").rows
    ]


def test_word_quotes_say_how_many_say_the_same_and_the_organisation_wrote_it(app, run):
    """A quote others say word for word keeps the page's "N other answers say the same" in
    Word (finding 17), and the document's author and company are the organisation, not
    python-docx."""
    import zipfile

    first = run.visible_themes[0]
    quotes = [dict(q) for q in first.quotes]
    quotes[0]["same"] = 10
    for quote in quotes[1:]:
        quote["same"] = 0  # said with its reference alone
    first.quotes = quotes
    db.session.commit()
    data = documents.run_docx(run)
    document = Document(io.BytesIO(data))
    text = text_of(document)
    assert f"“{quotes[0]['text']}” ({quotes[0]['id']}; 10 other answers say the same)" in text
    for quote in quotes[1:]:
        assert f"“{quote['text']}” ({quote['id']})" in text
    organisation = app.config["ORGANISATION_NAME"]
    properties = document.core_properties
    assert properties.author == organisation and properties.last_modified_by == organisation
    assert "python-docx" not in (properties.comments or "")
    extended = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode()
    assert f"<Company>{organisation}</Company>" in extended


def test_workbook_segment_sheets_follow_the_pages_order(run):
    """The segment sheets come in the order the run chose its segments (the page's order, not
    alphabetical: jsonb sorts a stored object's keys), and each theme's rows as the page's
    table orders them (largest share first), not by the values' codes."""
    from consult.reports.pages import segment_table

    for theme in run.visible_themes:
        theme.segments = {"area": dict(theme.segments["partner_type"]), **theme.segments}
    run.settings = {**(run.settings or {}), "segments": ["partner_type", "area"]}
    db.session.commit()
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)))
    assert workbook.sheetnames[2:4] == ["Partner type", "Area"]
    first = run.visible_themes[0]
    rows = [r for r in list(workbook["Partner type"].values)[1:] if r[0] == first.key]
    assert [r[2] for r in rows] == [row.label for row in segment_table(first, "partner_type").rows]
    # Word's sections come in the same order.
    text = text_of(Document(io.BytesIO(documents.run_docx(run))))
    assert text.index("By partner type") < text.index("By area")


def test_word_and_excel_carry_the_pages_stability_caution(run):
    """The page tags an unstable theme and says what to do once: the Word report and the
    Excel workbook say the same, in the same words."""
    from consult.reports.wording import UNSTABLE, stability_words

    shaky, steady = run.visible_themes[0], run.visible_themes[1]
    shaky.stability, steady.stability = 0.41, 0.93
    db.session.commit()
    text = text_of(Document(io.BytesIO(documents.run_docx(run))))
    assert "Stability: 0.41 (unstable grouping)." in text
    assert "Stability: 0.93 (stable)." in text
    assert text.count(UNSTABLE) == 1 and text.count("before quoting it") == 1
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    themes = list(workbook["Themes"].values)
    column = themes[0].index("Stability in words (below 0.5: read its answers before quoting it)")
    by_key = {row[0]: row[column] for row in themes[1:]}
    assert by_key[shaky.key] == stability_words(0.41) == "0.41 (unstable grouping)"
    assert by_key[steady.key] == "0.93 (stable)"


def test_consultation_report_has_each_analysed_question(run):
    document = Document(io.BytesIO(documents.consultation_docx(run.consultation)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert question_title(run.question) in headings  # "Q2: Why do you say that? (about Q1: ...)"
    assert len(documents.latest_runs(run.consultation)) == 1


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_word_report_converts_in_libreoffice(run, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(documents.run_docx(run))
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), source],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert (tmp_path / "report.pdf").stat().st_size > 1000


def test_chart_is_a_valid_png():
    png = documents.bar_chart_png([1.0, 0.5, 0.0], width=100, bar=10, gap=5)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (100, 3 * 15 + 5)
    start = png.index(b"IDAT") + 4
    length = int.from_bytes(png[start - 8 : start - 4], "big")
    raw = zlib.decompress(png[start : start + length])
    assert len(raw) == height * (1 + 3 * width)
    row = 5 * (1 + 3 * width)  # first row of the first bar: mostly purple
    assert raw[row + 1 + 3 * 50 : row + 1 + 3 * 51] == bytes(documents.BAR_COLOUR)


def test_workbook_has_themes_coding_and_segment_sheets(run):
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)))
    assert workbook.sheetnames == [
        "Themes",
        "Coding",
        "Partner type",
        "Summaries and quotes",
        "Agreement",
        "Figures",
    ]
    themes = list(workbook["Themes"].values)
    assert themes[0][:7] == (
        "Theme key",
        "Theme",
        "Description",
        "Answers (main theme)",
        "Share of answers",
        "Share: 95% interval from",
        "Share: 95% interval to",
    )
    # The themes, then no substantive answer, the answered (the base), not answered, submitted.
    assert len(themes) == 1 + len(run.visible_themes) + 4
    assert themes[1][1] == '\'=HYPERLINK("x") buses' and themes[1][2] == "About buses."
    assert themes[1][themes[0].index("Reviewed by")] == "analyst@example.org"
    coding = list(workbook["Coding"].values)
    assert len(coding) == 41 and coding[0][-1] == "text" and "partner_type" in coding[0]
    guarded = [row for row in coding if row[-1] == "'=1+1 and bus fares"]
    assert len(guarded) == 1
    by_reference = {a.reference: a for a in run.assignments}
    for row in coding[1:]:
        assignment = by_reference[row[0]]
        assert row[1] == (assignment.theme.key if assignment.theme else "NS")
    segments = list(workbook["Partner type"].values)
    cells = sum(len(t.segments["partner_type"]) for t in run.visible_themes)
    assert len(segments) == 1 + cells and segments[0][2] == "Partner type"
    assert segments[0][5:9] == (
        "Share of the partner type's answers",
        "Share: 95% interval from",
        "Share: 95% interval to",
        "Share of everyone else's answers",
    )
    assert "p_adjusted" not in segments[0] and "rest_share" not in segments[0]
    # Shares are numbers shown as percentages, not 0.2039.
    sheet = workbook["Partner type"]
    for column in (6, 7, 8, 9):
        cell = sheet.cell(row=2, column=column)
        assert isinstance(cell.value, float) and cell.number_format == "0.0%"
    assert workbook["Themes"].cell(row=2, column=5).number_format == "0.0%"
    # When a theme was reviewed: a date cell on the UK clock, as the header says.
    reviewed = workbook["Themes"].cell(row=2, column=1 + themes[0].index("Reviewed at (UK time)"))
    assert reviewed.is_date and reviewed.value.tzinfo is None


def test_coding_csv_is_utf8_with_bom_and_formula_safe(run):
    data = documents.run_coding_csv(run)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["reference", "theme", "theme_label"]
    assert len(rows) == 41
    assert [r[-1] for r in rows if r[-1].endswith("bus fares")][:1] == ["'=1+1 and bus fares"]
    moved = [r for r in rows[1:] if r[rows[0].index("moved_by_hand")] == "yes"]
    assert moved == []


def test_workbook_survives_control_characters(run):
    """One answer or theme label with a control character never breaks the workbook."""
    assignment = run.assignments[1]
    assignment.text = "Late\x01 buses\x0b again\x1f"
    db.session.commit()
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)))
    coding = [cell for row in workbook["Coding"].values for cell in row]
    assert "Late buses again" in coding


def test_word_shares_are_whole_percents_as_on_the_page(run):
    """The page rounds shares to whole percents (22%); the Word report said 21.9% beside it."""
    from consult.reports.views import percent as page_percent

    assert documents.percent(0.2187) == "22%" == page_percent(0.2187)
    assert documents.percent(None) == "0%"
    text = text_of(Document(io.BytesIO(documents.run_docx(run))))
    theme = run.visible_themes[0]
    assert (
        f"Main theme of {theme.size:,} answers ({page_percent(theme.share)}, 95% interval" in text
    )
    assert not re.search(r"\d\.\d%", text), "a share with a decimal in the Word report"


def test_word_says_the_pages_differences_in_words_and_what_significant_means(run):
    """As the page does: each breakdown's significant differences as sentences (or that none
    is), a large gap lost to the correction said so, and what "significant" means, once."""
    from consult.reports.pages import segment_table

    first, second = run.visible_themes[0], run.visible_themes[1]
    cells = copy.deepcopy(first.segments["partner_type"])
    value = next(iter(cells))
    cells[value] = {
        **cells[value],
        "verdict": "higher",
        "significant": True,
        "share": 0.6,
        "rest_share": 0.2,
        "p_adjusted": 0.001,
    }
    for other in list(cells)[1:]:
        cells[other] = {**cells[other], "verdict": "no clear difference", "significant": False}
    first.segments = {"partner_type": dict(cells)}
    quiet = copy.deepcopy(second.segments["partner_type"])
    gap_value = next(iter(quiet))
    quiet[gap_value] = {
        **quiet[gap_value],
        "verdict": "no clear difference",
        "significant": False,
        "share": 0.65,
        "rest_share": 0.42,
        "p_value": 0.01,
    }
    for other in list(quiet)[1:]:
        quiet[other] = {**quiet[other], "verdict": "no clear difference", "significant": False}
    second.segments = {"partner_type": dict(quiet)}
    db.session.commit()
    text = text_of(Document(io.BytesIO(documents.run_docx(run))))
    assert text.count(documents.SIGNIFICANCE_NOTE) == 1
    sentence = segment_table(first, "partner_type").differences[0]
    assert "Significant differences:" in text and sentence in text
    assert "No partner type differs significantly from the rest on this theme." in text
    gap = next(r.chance_gap for r in segment_table(second, "partner_type").rows if r.chance_gap)
    assert gap.startswith("65% against 42%: a large gap, but with") and gap in text


def test_word_says_not_compared_as_the_page_does(run):
    """Responses that did not give the segment are counted, never compared: the page says
    "not compared: these responses did not give a partner type"; Word said "(not given)"."""
    theme = run.visible_themes[0]
    cells = copy.deepcopy(theme.segments["partner_type"])
    cells["not_given"] = {
        "count": 1,
        "of": 3,
        "share": 0.3333,
        "ci95": [0.06, 0.79],
        "rest_share": 0.0,
        "test": "not compared",
        "p_value": None,
        "p_adjusted": None,
        "significant": False,
        "verdict": "not compared",
        "distinctive_words": [],
    }
    theme.segments = {"partner_type": cells}
    db.session.commit()
    document = Document(io.BytesIO(documents.run_docx(run)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Partner type")
    row = next(r for r in table.rows if r.cells[0].text == "Not given")
    assert row.cells[3].text == "–"
    assert row.cells[4].text == "not compared: these responses did not give a partner type"


def test_workbook_says_not_compared_and_significant_as_the_page_does(run):
    """The workbook's 'Difference from the rest' said "not compared (not given)" and "higher
    (significant)" where the page and Word say "not compared: these responses did not give a
    partner type" and "higher than the rest (significant)"."""
    theme = run.visible_themes[0]
    cells = copy.deepcopy(theme.segments["partner_type"])
    first = next(iter(cells))
    cells[first] = {**cells[first], "significant": True, "verdict": "higher", "p_adjusted": 0.01}
    cells["not_given"] = {
        "count": 1,
        "of": 3,
        "share": 0.3333,
        "ci95": [0.06, 0.79],
        "rest_share": 0.0,
        "test": "not compared",
        "p_value": None,
        "p_adjusted": None,
        "significant": False,
        "verdict": "not compared",
        "distinctive_words": [],
    }
    theme.segments = {"partner_type": cells}
    db.session.commit()
    sheet = load_workbook(io.BytesIO(documents.run_xlsx(run)))["Partner type"]
    rows = [r for r in list(sheet.values)[1:] if r[0] == theme.key]
    said = {r[2]: r[-1] for r in rows}
    assert said["Not given"] == "not compared: these responses did not give a partner type"
    assert "higher than the rest (significant)" in said.values()
    assert not any("(not given)" in str(v) for v in said.values())
