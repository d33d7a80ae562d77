"""Smoke walk 30's report and coding findings read through a real gunicorn process with a job
worker (the setup of tests/test_gunicorn.py), as a policy officer and an analyst read them.

Found in the walk (the demo, fast engine): Q3's and Q8's largest themes are flagged mixed and
listed after the themes making one point, so the overview's top five left them out while its
note said they are "listed after" (Q3's T01, mentioned by 46% of the answers, was in no row);
the run page's table was still captioned "Themes, largest first" with its largest theme last;
and the coding page's stance from the respondents' own answers to Q1 (For 104, Against 79,
Neither 11) silently left out the 20 answers the model was unsure of (Q1 says 20 neither)."""

from __future__ import annotations

import io
import json
import re
import time
import urllib.parse

import pytest
from docx import Document
from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Question
from consult.reports import coding
from consult.reports.coding_models import Codebook, MachineCode
from consult.reports.models import RunTheme
from tests.reports.review_helpers import stored_run
from tests.test_gunicorn import Browser, served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def _mixed_run(app, consultation_id: int, question_id: int) -> tuple[int, str, str]:
    """A stored fast run of the question with seven themes whose most mentioned one is flagged
    mixed (most of its answers make several points; the rest's make one): (run id, its key,
    its label)."""
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        run = stored_run(consultation, db.session.get(Question, question_id), n_themes=7)
        themes = list(
            db.session.scalars(
                select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.hidden.is_(False))
            )
        )
        assert len(themes) > 5, [t.key for t in themes]
        biggest = max(themes, key=lambda t: (t.mentions, t.size))
        for theme in themes:
            theme.multi_point = 0.9 if theme is biggest else 0.1
            theme.label_point = None
        db.session.commit()
        found = run.id, biggest.key, biggest.label
        db.session.remove()
        return found


@pytest.mark.served_without_worker  # no job queued: stored_run in-process, pages and downloads
def test_a_mixed_theme_left_out_of_the_overview_is_named(served):  # noqa: F811
    """smoke30 #1, #2: the overview names the mixed theme its top five leave out, with how
    many answers mention it; the run page's caption says mixed themes come last."""
    base, consultation_id, question_id, email, _, app = served
    run_id, key, label = _mixed_run(app, consultation_id, question_id)
    staff = signed_in_browser(base, email)

    overview = staff.request(f"/staff/reports/consultations/{consultation_id}")
    assert overview.status == 200
    page = overview.soup()
    section = page.find(id=f"question-{question_id}").find_parent("section")
    shown = [words(row.th).split(":")[0] for row in section.find("tbody").find_all("tr")]
    assert len(shown) == 5 and key not in shown, shown
    note = words(section.find(id=f"order-note-{question_id}"))
    assert "listed after the themes that make one point" in note
    left = re.search(
        rf"Left out of these top 5 because it is flagged mixed: {key} ‘(.+)’, mentioned by "
        r"(\d+) of the (\d+) answers \((\d+)%\)\.$",
        note,
    )
    assert left is not None, note
    assert left[1] == label
    count, of, share = int(left[2]), int(left[3]), int(left[4])
    assert share == round(100 * count / of)
    # more answers mention it than the least mentioned theme shown (the table's "All")
    alls = [words(row.find_all("td")[1]) for row in section.find("tbody").find_all("tr")]
    assert all(int(cell.rstrip("%")) <= share for cell in alls), (alls, share)

    report = staff.request(f"/staff/reports/runs/{run_id}").soup()
    table = report.find(id="themes").find_next("table")
    assert words(table.caption) == "Themes, largest first (themes flagged mixed last)"
    rows = [words(row.th).split(":")[0] for row in table.tbody.find_all("tr")]
    assert key in rows and rows.index(key) > 0  # its size would have put it first


def _wait(staff: Browser, path: str, done, what: str) -> None:
    deadline = time.monotonic() + 240
    while not done(staff.request(path)):
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def codebook_from_stored_run(served) -> tuple[Browser, str, str, int, int]:  # noqa: F811
    """A codebook made, by a signed-in analyst through the served app, from a stored run of
    the "why" question: (browser, coding path, run path, app's question id, run id)."""
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        run = stored_run(
            db.session.get(Consultation, consultation_id), db.session.get(Question, question_id)
        )
        run_id = run.id
        db.session.remove()
    staff = signed_in_browser(base, email)
    coding_path = f"/staff/reports/questions/{question_id}/coding"
    run_path = f"/staff/reports/runs/{run_id}"
    made = staff.form(coding_path, {"confirmed": "yes"}, action=f"{run_path}/codebook")
    assert made.status == 302, made.text[:300]
    return staff, coding_path, run_path, question_id, run_id


def _applied_codebook(served) -> tuple[Browser, str, str, int, int]:  # noqa: F811
    """:func:`codebook_from_stored_run`, the model applied by the worker with nobody having
    coded (a cold start)."""
    staff, coding_path, run_path, question_id, run_id = codebook_from_stored_run(served)
    _wait(
        staff,
        f"{coding_path}/status",
        lambda reply: json.loads(reply.body)["finished"],
        "the worker never applied the new codebook",
    )
    return staff, coding_path, run_path, question_id, run_id


def test_the_coding_stance_from_agreement_says_whom_it_leaves_out(served):  # noqa: F811
    """smoke30 #3: where the model is unsure of some answers, the stance line taken from the
    respondents' own agreement answers says it does not count them, on the page and in Word."""
    app = served[-1]
    staff, coding_path, run_path, question_id, _ = _applied_codebook(served)
    # smoke30 #5: the model chose its "typical" responses when it was applied (nobody had
    # coded then); the form said "unlike any coded so far" however many people coded since
    with app.app_context():
        book = db.session.scalar(select(Codebook).where(Codebook.question_id == question_id))
        typical = [
            item["response_id"]
            for item in coding.latest_coding(book).suggestions or []
            if item["reason"] == "a typical response not yet like any coded one"
        ]
        db.session.remove()
    assert typical, "a new codebook's model suggests typical responses first"
    for number in range(4):
        nxt = staff.request(f"{coding_path}/next")
        assert nxt.status == 302, nxt.text[:300]
        code_path = urllib.parse.urlsplit(nxt.headers["Location"]).path
        keys = [
            b["value"]
            for b in staff.request(code_path).soup().find_all("input", {"name": "themes"})
        ]
        saved = staff.form(code_path, {"themes": keys[number % len(keys)], "stance": "for"})
        assert saved.status == 302, saved.text[:300]
    chosen = words(
        next(
            p
            for p in staff.request(f"{coding_path}/{typical[-1]}").soup().find_all("p")
            if p.get_text().startswith("Chosen because")
        )
    )
    assert chosen == (
        "Chosen because it is a typical response, unlike any coded when the model was last applied."
    ), chosen
    applied = staff.form(coding_path, {}, action=f"{coding_path}/apply")
    assert applied.status == 302, applied.text[:300]
    _wait(
        staff,
        coding_path,
        lambda reply: "by the model (applied" in reply.text and "being applied" not in reply.text,
        "the worker never applied the model",
    )
    with app.app_context():  # two answers the model is unsure of, whatever it learnt
        book = db.session.scalar(select(Codebook).where(Codebook.question_id == question_id))
        latest = coding.latest_coding(book)
        for code in db.session.scalars(
            select(MachineCode).where(MachineCode.coding_id == latest.id).order_by(MachineCode.id)
        ).all()[:2]:
            code.confidence = 0.0
        db.session.commit()
        db.session.remove()

    page = staff.request(coding_path).soup()
    progress = words(page.find(id="coding-progress"))
    unsure = int(re.search(r"(\d+) not coded because the model is unsure", progress)[1])
    assert unsure >= 2, progress
    line = words(page.find(id="stance-from-agreement"))
    # smoke30b #1: the unsure answers whose stance is the respondent's own are counted, and
    # the line says how many of them it counts
    with app.app_context():
        book = db.session.scalar(select(Codebook).where(Codebook.question_id == question_id))
        with_stance = coding.summary(book, coding.latest_coding(book)).unsure_with_stance
        db.session.remove()
    counted = (
        rf" \(including {with_stance} answers? whose themes the model is unsure of\)"
        if with_stance
        else ""
    )
    assert re.fullmatch(rf"From the respondent's own answer to Q\d+: [^()]+{counted}", line), line
    word = staff.request(f"{coding_path}/download.docx")
    assert word.status == 200 and word.body[:2] == b"PK"
    paragraphs = [" ".join(p.text.split()) for p in Document(io.BytesIO(word.body)).paragraphs]
    assert f"{line}." in paragraphs or line in paragraphs, [
        p for p in paragraphs if "own answer" in p
    ]


@pytest.mark.served_without_worker  # no job queued: stored_run in-process, pages and downloads
def test_the_word_glance_table_says_how_few_make_the_label_as_the_page_does(served):  # noqa: F811
    """smoke30 #4: under a label fewer than half of its theme's mentions make, the page's
    at-a-glance table says how many make it ("About 54 of the 224 answers (24%) make this
    point, fewer than half of the 115 mentioning this theme"); the Word table said only "Label
    made by fewer than half". Both now say it, in the same words."""
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        run = stored_run(
            db.session.get(Consultation, consultation_id), db.session.get(Question, question_id)
        )
        theme = max(run.themes, key=lambda t: t.mentions)
        theme.label_point = 1  # one of its mentions makes its label's point
        db.session.commit()
        run_id, key, label = run.id, theme.key, theme.label
        db.session.remove()
    staff = signed_in_browser(base, email)
    page = staff.request(f"/staff/reports/runs/{run_id}").soup()
    said = words(page.find(id=f"glance-{key}-headline"))
    assert said.startswith("About 1 of the ") and "makes this point, fewer than half" in said

    word = staff.request(f"/staff/reports/runs/{run_id}/report.docx")
    assert word.status == 200 and word.body[:2] == b"PK"
    glance = next(
        table
        for table in Document(io.BytesIO(word.body)).tables
        if table.rows[0].cells[0].text == "Theme" and len(table.rows[0].cells) > 5
    )
    cell = next(row.cells[0].text for row in glance.rows if row.cells[0].text.startswith(key))
    lines = cell.split("\n")
    assert lines[0] == f"{key} {label}" and lines[1] == said, lines
