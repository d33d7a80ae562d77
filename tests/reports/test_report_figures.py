"""Report figures that reconcile and read the same everywhere: one sentiment rule on the page,
in Word, Excel and the CSV; one stated basis for shares (main theme or mentions); the base of
every table (not answered, no substantive answer); stance as the agreement answer said it.
Through the test client and the document builders, on a stored run."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from consult.extensions import db
from consult.reports import documents, wording
from consult.reports.label_check import FAST_UNCHECKED_SENTENCE
from consult.reports.models import RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.reports_helpers import worker_environment
from tests.staff_helpers import make_user, signed_in
from tests.test_gunicorn import gunicorn_process, signed_in_browser

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def why_question(consultation):
    return next(q for q in consultation.questions if q.explains is not None)


@pytest.fixture
def consultation(app):
    return make_consultation()


@pytest.fixture
def stored(consultation):
    return store_synthetic_run(consultation, why_question(consultation), responses=80)


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def themes_of(run) -> list[RunTheme]:
    """The run's themes as every report lists them: largest first, then the engine's order."""
    return sorted(run.visible_themes, key=lambda t: (-t.size, t.position, t.id))


# --- one sentiment rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tone", "number"),
    [
        (0.0496, "neutral", "+0.05"),
        (0.0512, "neutral", "+0.05"),
        (-0.0504, "neutral", "−0.05"),
        (-0.001, "neutral", "0.00"),
        (0.1949, "neutral", "+0.19"),
        (0.1951, "positive", "+0.20"),  # shown as +0.20: as positive as a stored 0.2
        (0.2, "positive", "+0.20"),
        (-0.1951, "negative", "−0.20"),
        (-0.49, "negative", "−0.49"),
    ],
)
def test_one_sentiment_rule_by_the_shown_value(value, tone, number):
    assert wording.sentiment_tone(value) == tone
    assert wording.sentiment_words(value) == f"{tone} ({number} on a scale from −1 to +1)"
    assert wording.sentiment_words(None) == "not measured"
    assert wording.sentiment_tone(None) == ""


def test_the_same_shown_score_reads_the_same_on_the_page_and_in_every_download(app, stored):
    """Two themes whose scores both show as +0.05 (one just under, one just over 0.05) and one
    at -0.05 all read "neutral" on the page, in Word, in Excel; the CSV says each answer's
    tone by the same rule."""
    first, second, third = themes_of(stored)[:3]
    first.sentiment, second.sentiment, third.sentiment = 0.0496, 0.0512, -0.0504
    db.session.commit()
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    for theme, number in ((first, "+0.05"), (second, "+0.05"), (third, "−0.05")):
        section = words(page.find(id=f"theme-{theme.key}"))
        assert f"Sentiment neutral ({number} on a scale from −1 to +1)" in section
    word = docx_text(client.get(f"/staff/reports/runs/{stored.id}/report.docx").data)
    assert word.count("Sentiment: neutral (+0.05 on a scale from −1 to +1).") == 2
    assert "Sentiment: neutral (−0.05 on a scale from −1 to +1)." in word
    assert "Sentiment: +0.05." not in word
    workbook = load_workbook(
        io.BytesIO(client.get(f"/staff/reports/runs/{stored.id}/report.xlsx").data)
    )
    rows = list(workbook["Themes"].values)
    header = rows[0]
    tone = header.index("Sentiment in words")
    assert header[tone - 1] == "Mean sentiment (−1 to +1)"
    by_key = {row[0]: row for row in rows[1:]}
    for theme in (first, second, third):
        assert by_key[theme.key][tone] == "neutral"
        assert by_key[theme.key][tone - 1] == theme.sentiment
    data = client.get(f"/staff/reports/runs/{stored.id}/report.csv").data
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    score, said = table[0].index("sentiment"), table[0].index("sentiment_tone")
    assert said == score + 1
    for row in table[1:]:
        assert row[said] == wording.sentiment_tone(float(row[score]))
    assert {row[said] for row in table[1:]} == {"positive", "neutral", "negative"}


# --- through a real server ------------------------------------------------------------------


def test_downloads_through_gunicorn(app, database_url, stored, tmp_path):
    """The Word, Excel and CSV downloads as a real gunicorn process sends them, whole."""
    first = themes_of(stored)[0]
    first.sentiment = 0.0512
    db.session.commit()
    run_id, heading = stored.id, f"{first.key}: {first.label}"
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        browser = signed_in_browser(base, email)
        got = {
            fmt: browser.request(f"/staff/reports/runs/{run_id}/report.{fmt}")
            for fmt in ("docx", "xlsx", "csv")
        }
    assert all(reply.status == 200 for reply in got.values())
    assert all(
        reply.headers["Content-Disposition"].startswith("attachment") for reply in got.values()
    )
    word = docx_text(got["docx"].body)
    assert heading in word
    assert "Sentiment: neutral (+0.05 on a scale from −1 to +1)." in word
    assert "The closed answers beside the reasons" in word
    workbook = load_workbook(io.BytesIO(got["xlsx"].body))
    header = next(workbook["Themes"].values)
    assert "Sentiment in words" in header
    assert {"Summaries and quotes", "Agreement", "Figures"} <= set(workbook.sheetnames)
    labels = [row[1] for row in workbook["Themes"].values]
    assert "All answered (the base of every share)" in labels
    table = list(csv.reader(io.StringIO(got["csv"].body.decode("utf-8-sig"))))
    assert "sentiment_tone" in table[0] and len(table) == 81


# --- one basis for shares -------------------------------------------------------------------


def percent_of(text: str) -> int:
    return int(text.split("%")[0].split()[-1])


def test_overview_all_is_its_partner_types_added_up(app, consultation, stored):
    """'All' counts answers mentioning a theme, as the partner-type columns do: it is their
    answers added up, not the main-theme share (which mixed 24/216 with mentions)."""
    themes = {theme.key: theme for theme in themes_of(stored)}
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/consultations/{consultation.id}"))
    table = page.find("table")
    assert "the share of all 80 answers that mention each theme" in words(table.caption)
    headers = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")][1:]
    # The check beside the theme's label (smoke17 #1), then "All" and the partner types'
    # columns, each headed with its size; then the theme's stance, which is not a share.
    assert headers[0] == "Check before quoting"
    headers = headers[1:]
    assert headers[0] == "All (80)"
    groups = [h for h in headers[1:] if h.endswith(")") and h.rsplit("(", 1)[1][:-1].isdigit()]
    sizes = [int(header.rsplit("(", 1)[1].rstrip(")")) for header in groups]
    assert sum(sizes) == 80
    for row in table.tbody.find_all("tr"):
        key = row.th.get_text(" ", strip=True).split(":")[0]
        theme = themes[key]
        cells = [td.get_text(strip=True) for td in row.find_all("td")][1:]  # after the check
        everyone = percent_of(cells[0])
        assert everyone == round(100 * theme.mentions / 80)
        # the groups' shares weighted by their sizes give "All" back (to rounding)
        weighted = sum(
            percent_of(cell) * n
            for cell, n in zip(cells[1 : 1 + len(sizes)], sizes, strict=True)
            if cell != "–"
        )
        assert abs(weighted / 80 - everyone) <= 1
        cell_counts = theme.segments["partner_type"].values()
        assert sum(c["count"] for c in cell_counts) == theme.mentions
    # The main-theme share, a different basis, is not what "All" shows for the first theme.
    first = themes_of(stored)[0]
    assert first.size != first.mentions


def test_report_page_states_both_bases_and_breakdowns_reconcile(app, stored):
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    glance = page.find(id="themes").find_next("table")
    headers = [th.get_text(" ", strip=True) for th in glance.thead.find_all("th")]
    assert headers[1:] == [
        "Main theme of",
        "Main theme: share (95% interval)",
        "Mentioned by",
        "Mentioned: share (95% interval)",
        "Stance of the answers mentioning it",
        "Check before quoting",
    ]
    # A short caption; what the figures count is said just below the table, which it
    # describes (the table comes first on the page, after the counts and any warning).
    assert words(glance.caption) == "Themes, largest first"
    bases = page.find(id="bases")
    assert glance["aria-describedby"] == "bases" and bases.name == "p"
    assert bases.find_previous("table") is glance
    assert "Every share is of the 80 answers" in words(bases)
    assert "The breakdowns by segment below count mentions" in words(bases)
    rows = {
        row.th.get_text(" ", strip=True).split(":")[0]: [
            td.get_text(" ", strip=True) for td in row.find_all("td")
        ]
        for row in glance.tbody.find_all("tr")
    }
    for theme in themes_of(stored):
        main, main_share, mentioned, mentioned_share, stance, flags = rows[theme.key]
        assert stance and flags  # never a blank cell: a reader knows it was checked
        assert int(main) == theme.size and int(mentioned) == theme.mentions
        assert percent_of(main_share) == round(100 * theme.size / 80)
        assert percent_of(mentioned_share) == round(100 * theme.mentions / 80)
        section = page.find(id=f"theme-{theme.key}")
        assert f"Mentioned: {round(100 * theme.mentions / 80)}%" in words(section)
        for name in ("partner_type", "area"):
            figure = section.find(id=f"chart-{theme.key}-{name}")
            block = figure.find_parent(class_="consult-avoid-break")
            (shares_table,) = block.find_all("table")  # the chart's figures, given once
            total = shares_table.tfoot.find("tr")
            cells = [td.get_text(" ", strip=True) for td in total.find_all("td")]
            assert total.th.get_text(strip=True) == "All answers"
            assert cells[0] == f"{theme.mentions} of 80"
            assert percent_of(cells[1]) == round(100 * theme.mentions / 80)
            # The chart's bars and the shares table give each group the same figure.
            texts = [t.get_text(" ", strip=True) for t in figure.svg.find_all("text")]
            table_rows = [
                (row.th.get_text(" ", strip=True), row.find_all("td")[1].get_text(" ", strip=True))
                for row in shares_table.tbody.find_all("tr")
            ]
            assert texts[::2] == [label for label, _ in table_rows]
            assert texts[1::2] == [share.split()[0] for _, share in table_rows]


# --- the workbook and the Word report: all the report page says ---------------------------


def test_workbook_states_its_base_and_carries_summaries_quotes_and_agreement(app, stored):
    client = signed_in(app, "analyst")
    data = client.get(f"/staff/reports/runs/{stored.id}/report.xlsx").data
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[-3:] == ["Summaries and quotes", "Agreement", "Figures"]
    rows = list(workbook["Themes"].values)
    header = rows[0]
    # No theme has a description (the engine writes none): no always-empty column.
    assert "Description" not in header
    column = {name: header.index(name) for name in header}
    themes = themes_of(stored)
    by_label = {row[column["Theme"]]: row for row in rows[1:]}
    bucket = sum(1 for i in range(80) if i % 17 == 16)
    ns = by_label["No substantive answer (in no theme)"]
    assert ns[column["Theme key"]] == "NS" and ns[column["Answers (main theme)"]] == bucket
    base = by_label["All answered (the base of every share)"]
    assert base[column["Answers (main theme)"]] == 80 and base[column["Share of answers"]] == 1
    blank = by_label["Not answered (left this question blank; not in the base)"]
    assert blank[column["Answers (main theme)"]] == 0
    assert by_label["Submitted responses"][column["Answers (main theme)"]] == 80
    # Main themes and the bucket add up to the base.
    assert sum(t.size for t in themes) + bucket == 80
    assert sum(by_label[t.label][column["Answers (main theme)"]] for t in themes) + bucket == 80
    for theme in themes:
        row = by_label[theme.label]
        assert row[column["Answers mentioning it"]] == theme.mentions
        assert row[column["Share of answers mentioning it"]] == round(theme.mentions / 80, 4)
    # Summaries and quotes, each with the reference of a response of the run.
    references = {a.reference: a.text for a in stored.assignments}
    quoted = list(workbook["Summaries and quotes"].values)
    assert quoted[0] == (
        "Theme key",
        "Theme",
        "Kind",
        "Order",
        "Text",
        "Response",
        "Side",
        "Answers making the point",
    )
    expected = sum(len(t.quotes) + len(t.summary) for t in themes)
    assert len(quoted) == 1 + expected
    for key, _, kind, _, text, reference, side, answers in quoted[1:]:
        assert kind in ("Summary point", "Quote") and references[reference] == text
        assert side in (None, "", "For", "Against", "Neither")
        assert kind == "Summary point" or not side
        assert kind == "Summary point" or not answers
        assert key in {t.key for t in themes}
    # Agreement by theme: every respondent analysed, by main theme, adds up.
    agreement = list(workbook["Agreement"].values)
    assert agreement[0][2:] == (
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
        "All",
    )
    *theme_lines, everyone = agreement[1:]
    assert everyone[-1] == 80
    assert sum(line[-1] for line in theme_lines) == 80
    assert [line[0] for line in theme_lines] == [t.key for t in themes] + ["NS"]
    figures = dict(list(workbook["Figures"].values)[1:])
    assert figures["Answered"].startswith("80 of 80 submitted responses (the base of every share)")
    assert figures["No substantive answer"] == f"{bucket} of the 80 answers (in no theme)"


def test_a_description_gets_its_column(app, stored):
    theme = themes_of(stored)[0]
    theme.description = "Buses that do not come."
    db.session.commit()
    client = signed_in(app, "analyst")
    workbook = load_workbook(
        io.BytesIO(client.get(f"/staff/reports/runs/{stored.id}/report.xlsx").data)
    )
    rows = list(workbook["Themes"].values)
    assert rows[0][2] == "Description" and rows[1][2] == "Buses that do not come."


def test_word_report_has_the_agreement_table_the_page_shows(app, stored):
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    section = page.find(id="agreement").parent
    web = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in section.find_all("table")[-1].find_all("tr")
    ]
    document = Document(io.BytesIO(client.get(f"/staff/reports/runs/{stored.id}/report.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The closed answers beside the reasons" in text
    assert "Q1: Buses should be franchised" in text
    table = next(
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "Theme" and t.rows[0].cells[1].text == web[0][1]
    )
    word = [[cell.text for cell in row.cells] for row in table.rows]
    assert word[0][1:6] == web[0][1:6]
    # The same counts per theme as the page: the web rows are "T01: label", Word "T01 label".
    for web_row, word_row in zip(web[1:], word[1:], strict=True):
        assert web_row[1:] == word_row[1:6]
        assert word_row[6] == str(sum(int(n) for n in web_row[1:]))


# --- smaller: not compared, stance as answered, the paired answer, campaign numbers ---------


def test_not_given_is_not_compared_so_has_no_rest_share(app, consultation):
    run = store_synthetic_run(
        consultation, why_question(consultation), responses=60, segments=("size_band",)
    )
    theme = themes_of(run)[0]
    cells = dict(theme.segments["size_band"])
    cells["not_given"] = {
        "count": 4,
        "of": 20,
        "share": 0.2,
        "ci95": [0.08, 0.42],
        "rest_share": 0.0,
        "rest_count": 0,
        "test": "not compared",
        "p_value": None,
        "p_adjusted": None,
        "significant": False,
        "verdict": "not compared",
    }
    theme.segments = {**theme.segments, "size_band": cells}
    db.session.commit()
    client = signed_in(app, "analyst")
    section = soup(client.get(f"/staff/reports/runs/{run.id}")).find(id=f"theme-{theme.key}")
    table = (
        section.find(id=f"chart-{theme.key}-size_band")
        .find_parent(class_="consult-avoid-break")
        .find("table")
    )
    rows = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.tbody.find_all("tr")
    }
    assert rows["Not given"][2] == "–"
    # "Size" is a theme's size on this page: the segment is "Organisation size".
    assert table.find("thead").find("th").get_text(strip=True) == "Organisation size"
    assert all(values[2].endswith("%") for label, values in rows.items() if label != "Not given")
    word = Document(io.BytesIO(client.get(f"/staff/reports/runs/{run.id}/report.docx").data))
    size_table = next(t for t in word.tables if t.rows[0].cells[0].text == "Organisation size")
    not_given = next(r for r in size_table.rows if r.cells[0].text == "Not given")
    assert not_given.cells[3].text == "–"
    workbook = load_workbook(
        io.BytesIO(client.get(f"/staff/reports/runs/{run.id}/report.xlsx").data)
    )
    sheet = list(workbook["Organisation size"].values)
    rest = sheet[0].index("Share of everyone else's answers")
    assert [row[rest] for row in sheet[1:] if row[2] == "Not given"] == [None]


def test_the_themes_come_first_and_the_method_after(app, stored):
    """A policy officer's first screen (smoke10 #17): the question, the counts, any warning,
    then the themes' table; what stance, sentiment and significance mean come after it, in
    "How to read these figures", with their ids kept for links (the unstable note, which each
    unstable theme links to, stays open just below the table). The Word report too: the
    themes' table first, the notes after it."""
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    top = []
    for tag in page.find("h1").find_next_siblings():
        if tag.get("id") == "themes":
            break
        top.append(tag.get("id"))
    assert top and set(top) <= {"answered-counts", "out-of-date", "too-few-answers"}, top
    glance = page.find(id="themes").find_next("table")
    assert glance["aria-describedby"] == "bases"
    details = page.find("details", id="how-to-read")
    assert words(details.summary) == "How to read these figures"
    for key in ("stance-basis", "sentiment-note", "significance-note"):
        note = page.find(id=key)
        assert note.find_parent("details") is details, key
        assert note.find_previous("table") is glance, key
    unstable = page.find(id="unstable-note")
    if unstable is not None:
        assert unstable.find_parent("details") is None
        assert unstable.find_previous("table") is glance

    body = client.get(f"/staff/reports/runs/{stored.id}/report.docx").data
    blocks = list(Document(io.BytesIO(body)).iter_inner_content())
    texts = [getattr(block, "text", None) for block in blocks]  # None: a table
    glance_at = texts.index("Themes at a glance")
    table_at = texts.index(None, glance_at)
    assert blocks[table_at].rows[0].cells[0].text == "Theme"
    bases_at = next(i for i, t in enumerate(texts) if (t or "").startswith("Every share is"))
    assert table_at < bases_at < texts.index(documents.SIGNIFICANCE_NOTE)
    # The figures table at the top gives counts; how stance was read, what was masked and
    # which run come after the themes' table.
    top = [row.cells[0].text for row in blocks[texts.index(None)].rows]
    assert "Answered" in top and not set(documents.METHOD_FIGURES) & set(top)
    later = [
        row.cells[0].text
        for block, text in zip(blocks[bases_at:], texts[bases_at:], strict=True)
        if text is None
        for row in block.rows
    ]
    assert set(documents.METHOD_FIGURES) <= set(later)


def test_stance_reads_as_the_agreement_answer_said(app, stored):
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    basis = words(page.find(id="stance-basis"))
    assert "their answer to Q1" in basis and "“Neither” is “Neither agree nor disagree”" in basis
    theme = themes_of(stored)[0]
    section = words(page.find(id=f"theme-{theme.key}"))
    assert f"neither {theme.stance['mixed']}" in section and "Mixed" not in section
    word = docx_text(client.get(f"/staff/reports/runs/{stored.id}/report.docx").data)
    assert f"neither {theme.stance['mixed']}" in word and "mixed" not in word.lower()
    # the counts say what they count: answers mentioning the theme, not its main-theme size
    assert f"Of the {theme.mentions} answers mentioning it: " in section
    assert f"Of the {theme.mentions:,} answers mentioning it: " in word
    # Word shows every side as the page does, zeros too, and one level of brackets
    said = word.split(f"Of the {theme.mentions:,} answers mentioning it: ", 1)[1].split(".")[0]
    assert [part.rsplit(" ", 1)[0] for part in said.split(", ")] == [
        "for",
        "against",
        "neither",
        "unclear",
    ]
    assert "95% interval" in word.split("mentioned by", 1)[1].split(")")[0]
    assert "their answer to Q1" in word
    workbook = load_workbook(
        io.BytesIO(client.get(f"/staff/reports/runs/{stored.id}/report.xlsx").data)
    )
    assert "Stance of answers mentioning it: neither" in next(workbook["Themes"].values)


def test_coding_a_response_shows_its_paired_agreement_answer(app, stored):
    from consult.models import Answer
    from consult.reports.coding_models import Codebook
    from consult.reports.models import RunAssignment
    from tests.staff_helpers import post

    client = signed_in(app, "analyst")
    question_id = stored.question_id
    done = post(
        client,
        f"/staff/reports/runs/{stored.id}/codebook",
        {"confirmed": "yes"},
        page_url=f"/staff/reports/questions/{question_id}/coding",
    )
    assert done.status_code == 302
    assert db.session.scalar(db.select(Codebook).where(Codebook.question_id == question_id))
    agree = why_question(stored.consultation).explains
    first, second = db.session.scalars(
        db.select(RunAssignment)
        .where(RunAssignment.run_id == stored.id)
        .order_by(RunAssignment.id)
        .limit(2)
    )
    answer = db.session.scalar(
        db.select(Answer).where(
            Answer.response_id == first.response_id, Answer.question_id == agree.id
        )
    )
    answer.value = "neither"
    db.session.delete(
        db.session.scalar(
            db.select(Answer).where(
                Answer.response_id == second.response_id, Answer.question_id == agree.id
            )
        )
    )
    db.session.commit()
    page = soup(client.get(f"/staff/reports/questions/{question_id}/coding/{first.response_id}"))
    hint = " ".join(page.find(id="paired-answer").get_text().split())
    assert hint == (
        f"Their answer to Q1 ({agree.text}): Neither agree nor disagree. So its stance is set "
        "to “Neither”: change it only if the response itself argues otherwise."
    )
    # It is inside the stance question's hint, so screen readers hear it with the question.
    fieldset = page.find(id="paired-answer").find_parent("fieldset")
    # Worded from the agreement question, not "the proposal" (smoke16 #12); stored values
    # stay for/against/mixed.
    assert words(fieldset.legend) == "Its stance: does it agree with Q1? (optional)"
    radios = {
        item.input["value"]: words(item.label) for item in fieldset.select(".govuk-radios__item")
    }
    assert radios == {
        "for": "Agrees with Q1",
        "against": "Disagrees with Q1",
        "mixed": "Neither: mixed, or no clear side",
        "": "Not coded for stance",
    }
    assert "proposal" not in page.get_text()
    page = soup(client.get(f"/staff/reports/questions/{question_id}/coding/{second.response_id}"))
    assert page.find(id="paired-answer").get_text().endswith(": Not answered.")


def test_campaigns_are_numbered_as_shown_with_their_duplicate_group(app, stored):
    from consult.reports.models import RunAssignment

    # A second campaign whose engine group is D7: shown as campaign 2, group D7.
    rows = db.session.scalars(
        db.select(RunAssignment)
        .where(RunAssignment.run_id == stored.id, RunAssignment.duplicate_group.is_(None))
        .order_by(RunAssignment.id)
        .limit(3)
    ).all()
    for row in rows:
        row.duplicate_group, row.flags, row.text = "D7", ["campaign"], "Another long copied text."
    db.session.commit()
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    table = page.find(id="campaigns").find_next("table")
    shown = [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])][:3]
        for tr in table.tbody.find_all("tr")
    ]
    assert shown == [["1", "D1", "6"], ["2", "D7", "3"]]
    assert "the groups of campaigns can skip numbers" in words(page.find(id="duplicate-groups"))
    # The column is named in words, not as the download's machine name.
    assert "duplicate group column" in words(page.find(id="duplicate-groups"))
    assert "duplicate_group" not in page.get_text()


def test_explain_a_theme_states_both_bases(app, stored):
    theme = themes_of(stored)[0]
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}/themes/{theme.key}"))
    assert words(page.find(id="theme-size")) == (
        f"Main theme of {theme.size} answers ({round(100 * theme.size / 80)}%); mentioned by "
        f"{theme.mentions} ({round(100 * theme.mentions / 80)}%), of the 80 answers. "
        f"{FAST_UNCHECKED_SENTENCE} The breakdowns below count mentions."
    )
    total = page.find(id="chart-partner_type").find_parent(class_="consult-avoid-break")
    assert f"All answers {theme.mentions} of 80" in words(total.find("table").tfoot)


def test_a_breakdown_shows_its_figures_once_and_sentiment_is_told_from_stance(app, stored):
    """The segment chart's own data table repeated the full breakdown table under it."""
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    theme = themes_of(stored)[0]
    section = page.find(id=f"theme-{theme.key}")
    captions = [words(c) for c in section.find_all("caption")]
    breakdowns = [c for c in captions if c.startswith("Share of each partner type")]
    assert len(breakdowns) == 1
    assert not [c for c in captions if "partner type" in c.lower() and c.endswith(": data")]
    assert section.find("svg") is not None  # the chart itself is still drawn
    note = words(page.find(id="sentiment-note"))
    assert "tone" in note and "not its stance" in note
