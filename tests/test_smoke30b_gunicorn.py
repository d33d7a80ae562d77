"""smoke30b: smoke30's findings in the report and coding pages, fixed and read through a real
gunicorn process with a job worker (the setup of tests/test_gunicorn.py, as
tests/test_smoke30_gunicorn.py reads them).

#1: the stance split from the respondents' own answers to Q1 left out the answers whose
themes the model is unsure of, though their stance is the respondent's, not the model's: now
counted, alike on the coding page, its Word summary, its Excel rows and the run's report."""

from __future__ import annotations

import csv
import io
import re
import urllib.parse
from collections import Counter

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Question
from consult.reports import coding
from consult.reports.coded import COLD_CONFIDENCE
from consult.reports.coding_models import Codebook, MachineCode
from consult.reports.models import RunAssignment
from consult.reports.wording import stance_label
from tests.reports.review_helpers import stored_run
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture
from tests.test_smoke30_gunicorn import _applied_codebook, _mixed_run, words

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


def test_an_unsure_answers_own_stance_is_counted_alike_everywhere(served):  # noqa: F811
    """smoke30b #1: two answers whose stance is the respondent's own answer to Q1 made unsure
    (confidence 0): the coding page's agreement line counts them and says so; its Word
    summary says the same line; the Excel's rows (stance source 'agreement', coded by the
    model or left unsure) add up to it; the run's report's stance table and Word agree."""
    app = served[-1]
    staff, coding_path, run_path, _, _ = _applied_codebook(served)
    with app.app_context():
        book = db.session.scalar(select(Codebook).where(Codebook.question_id == served[2]))
        latest = coding.latest_coding(book)
        chosen = db.session.scalars(
            select(MachineCode)
            .where(MachineCode.coding_id == latest.id, MachineCode.stance_source == "agreement")
            .order_by(MachineCode.id)
        ).all()[:2]
        assert len(chosen) == 2 and all(code.stance for code in chosen)
        for code in chosen:
            code.confidence = 0.0
        db.session.commit()
        summary = coding.summary(book, latest)
        db.session.remove()
    assert summary.unsure_with_stance >= 2

    page = staff.request(coding_path).soup()
    line = words(page.find(id="stance-from-agreement"))
    found = re.fullmatch(
        r"From the respondent's own answer to Q\d+: (.+) \(including (\d+) answers whose themes "
        r"the model is unsure of\)",
        line,
    )
    assert found is not None, line
    assert int(found[2]) == summary.unsure_with_stance
    said = dict(re.findall(r"(For|Against|Neither) (\d+)", found[1]))

    word = staff.request(f"{coding_path}/download.docx")
    assert word.status == 200 and word.body[:2] == b"PK"
    paragraphs = [" ".join(p.text.split()) for p in Document(io.BytesIO(word.body)).paragraphs]
    assert f"{line}." in paragraphs, [p for p in paragraphs if "own answer" in p]

    excel = staff.request(f"{coding_path}/download.xlsx")
    assert excel.status == 200 and excel.body[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(excel.body), read_only=True)["Coding"]
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    source, stance, by = head.index("source"), head.index("stance"), head.index("stance_source")
    counted = Counter(
        row[stance].capitalize()
        for row in rows[1:]
        if row[by] == "agreement" and row[source] in ("model", "unsure") and row[stance]
    )
    assert {k: str(v) for k, v in counted.items()} == said, (counted, said)

    report = staff.request(run_path).soup()
    table = report.find(id="coded-stance")
    row = next(
        tr for tr in table.tbody.find_all("tr") if words(tr.th).startswith("From the respondent")
    )
    cells = [int(words(td)) for td in row.find_all("td")]
    names = ("For", "Against", "Neither")
    assert {n: str(c) for n, c in zip(names, cells, strict=False) if c} == said, cells
    note = words(report.find(id="coded-stance-unsure"))
    assert note.startswith(
        f"The row from the respondent's agreement answer also counts the "
        f"{summary.unsure_with_stance} answers whose themes the model is unsure of"
    ), note
    docx = staff.request(f"{run_path}/report.docx")
    assert docx.status == 200
    assert note in [" ".join(p.text.split()) for p in Document(io.BytesIO(docx.body)).paragraphs]
    assert stance_label("mixed") == "Neither"


def test_a_new_codebooks_suggestions_cover_its_themes_and_claim_no_confidence(served):  # noqa: F811
    """smoke30b #2, #3: after a new codebook the model (applied with nobody having coded)
    suggests responses from the themes in turn, not 8 of 10 from one; and the form shows the
    closest theme with no confidence measured, not "(confidence 0.99)"."""
    app = served[-1]
    staff, coding_path, _, question_id, _ = _applied_codebook(served)
    with app.app_context():
        book = db.session.scalar(select(Codebook).where(Codebook.question_id == question_id))
        latest = coding.latest_coding(book)
        assert (latest.metrics or {}).get("cold_start")
        themes = {
            code.response_id: tuple(code.themes)
            for code in db.session.scalars(
                select(MachineCode).where(MachineCode.coding_id == latest.id)
            )
        }
        suggested = [item["response_id"] for item in latest.suggestions or []]
        db.session.remove()
    reached = {found[0] for found in themes.values() if found}
    first = [themes[r][0] for r in suggested[: len(reached)] if themes.get(r)]
    assert len(reached) >= 3 and sorted(first) == sorted(reached), (first, reached)
    ten = Counter(themes[r][0] for r in suggested[:10] if themes.get(r))
    assert max(ten.values()) <= max(2, -(-10 // len(reached))), ten

    nxt = staff.request(f"{coding_path}/next")
    assert nxt.status == 302, nxt.text[:300]
    form = staff.request(urllib.parse.urlsplit(nxt.headers["Location"]).path).soup()
    said = words(form.find(id="model-coding"))
    assert form.find(id="model-coding-cold") is not None, said
    assert "no confidence is measured until people have coded" in said, said
    assert not re.search(r"confidence \d", said), said
    # words31 #1: the served download and the response page say no confidence is measured
    table = staff.request(f"{coding_path}/download.csv")
    assert table.status == 200
    rows = list(csv.DictReader(io.StringIO(table.body.decode("utf-8-sig"))))
    model = [r for r in rows if r["source"] in ("model", "unsure")]
    assert model and {r["confidence"] for r in model} == {COLD_CONFIDENCE}
    page = staff.request(f"/staff/reports/responses/{suggested[0]}").soup()
    coded = words(page.find(id=f"coding-{question_id}"))
    assert "by similarity to the codebook alone" in coded, coded
    assert not re.search(r"confidence \d", coded), coded


@pytest.mark.served_without_worker  # no job queued: stored_run in-process, pages and downloads
def test_the_least_typical_responses_list_one_answer_once(served):  # noqa: F811
    """smoke30b #4: the theme page's "Least typical responses" listed the label's own
    sentence twice (two identical answers); answers saying the same are one entry, with how
    many other answers say it."""
    base, consultation_id, question_id, email, _, app = served
    sentence = "Shire districts could pay in but see little of the investment."
    with app.app_context():
        run = stored_run(
            db.session.get(Consultation, consultation_id), db.session.get(Question, question_id)
        )
        theme = max(run.visible_themes, key=lambda t: t.size)
        members = list(
            db.session.scalars(
                select(RunAssignment)
                .where(RunAssignment.run_id == run.id, RunAssignment.theme_id == theme.id)
                .order_by(RunAssignment.id)
            )
        )
        for item, confidence in zip(members[:2], (0.01, 0.02), strict=True):
            item.text, item.confidence = sentence, confidence
        db.session.commit()
        path = f"/staff/reports/runs/{run.id}/themes/{theme.key}"
        db.session.remove()
    page = signed_in_browser(base, email).request(path)
    assert page.status == 200
    listed = page.soup().find("h3", string="Least typical responses").find_next("ol")
    texts = [words(li.p) for li in listed.find_all("li")]
    assert texts.count(sentence) == 1, texts
    said = words(listed.find_all("li")[0].find_all("p")[1])
    assert re.search(r"confidence 0\.01 ?; \d+ other answers? says? the same$", said), said


@pytest.mark.served_without_worker  # no job queued: stored_run in-process, pages and downloads
def test_the_excel_says_why_the_mixed_theme_is_last(served):  # noqa: F811
    """smoke30b #5: the run's Excel put the mixed theme last without saying why; its Themes
    sheet's last row now says it in the words the page and the Word report use."""
    from analysis.mixed import CATCH_ALLS_LAST

    base, consultation_id, question_id, email, _, app = served
    run_id, key, _ = _mixed_run(app, consultation_id, question_id)
    staff = signed_in_browser(base, email)
    excel = staff.request(f"/staff/reports/runs/{run_id}/report.xlsx")
    assert excel.status == 200 and excel.body[:2] == b"PK"
    rows = list(
        load_workbook(io.BytesIO(excel.body), read_only=True)["Themes"].iter_rows(values_only=True)
    )
    keys = [row[0] for row in rows[1:] if row[0] and str(row[0]).startswith("T")]
    assert keys[-1] == key, keys  # the mixed theme, though the largest, listed last
    assert rows[-1][1] == f"{CATCH_ALLS_LAST}.", rows[-1]
    page = staff.request(f"/staff/reports/runs/{run_id}").soup()
    assert f"{CATCH_ALLS_LAST}." in words(page.find(id="bases"))
    word = staff.request(f"/staff/reports/runs/{run_id}/report.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(word.body)).paragraphs]
    assert f"{CATCH_ALLS_LAST}." in paragraphs
