"""Smoke walk 31's finding read through a real gunicorn process (the setup of
tests/test_gunicorn.py), as a policy officer reads the overview and the consultation's Word
report.

Found in the walk (the demo, Q13 "Is there anything else?", fast engine): 77 of its 187
answers said nothing substantive; the run page gives each share of the 187 and of the 110
with something to say, but the overview said only "19%" and the Word report's "What
partners said" only "mentioned by 36 of the 187 answers (19%)", with no word of the 77."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from analysis.bases import bases_sentence
from consult.extensions import db
from consult.models import Consultation, Question
from consult.reports.coding_models import Codebook
from tests.reports.review_helpers import answers_of
from tests.reports.stored_runs import store_synthetic_run
from tests.reports.test_coding_pages import applied_coding
from tests.reports.test_two_bases import SAY, empty_answers
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture
from tests.test_smoke30_gunicorn import codebook_from_stored_run

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]
SERVED_WITH_WORKER = False  # no job is queued: the run is stored


def words(text: str) -> str:
    return " ".join(text.split())


def test_overview_and_word_summary_give_both_bases(served):  # noqa: F811
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        run = store_synthetic_run(consultation, db.session.get(Question, question_id))
        answered = int(run.input_count)
        empty_answers(run, answered // 3)
        run_id, empty = run.id, answered // 3
        db.session.remove()
    other = answered - empty
    staff = signed_in_browser(base, email)

    overview = staff.request(f"/staff/reports/consultations/{consultation_id}")
    assert overview.status == 200
    section = overview.soup().find(id=f"question-{question_id}").find_parent("section")
    assert f"Run {run_id}" in words(section.get_text())
    note = words(section.find(id=f"overview-bases-{question_id}").get_text())
    assert note.startswith(bases_sentence(answered, empty)[:-1]), note
    first = section.find("tbody").find("tr").find_all("td")[1]
    assert words(first.get_text()).endswith(f"of the {other} {SAY}"), first

    # smoke31 #3: the theme page too
    theme = staff.request(f"/staff/reports/runs/{run_id}/themes/T01")
    assert theme.status == 200
    size = words(theme.soup().find(id="theme-size").get_text())
    assert f"Of the {other} {SAY} ({empty} of the {answered} answered said nothing" in size, size

    # smoke31 #4: and the run's workbook
    book = staff.request(f"/staff/reports/runs/{run_id}/report.xlsx")
    assert book.status == 200
    sheet = list(load_workbook(io.BytesIO(book.body), read_only=True)["Themes"].values)
    column = sheet[0].index(f"Share of the answers {SAY} mentioning it")
    t01 = next(row for row in sheet if row[0] == "T01")
    assert t01[column] == round(t01[sheet[0].index("Answers mentioning it")] / other, 4)

    reply = staff.request(f"/staff/reports/consultations/{consultation_id}/report.docx")
    assert reply.status == 200, reply.text[:300]
    lines = [p.text for p in Document(io.BytesIO(reply.body)).paragraphs]
    start, end = lines.index("What partners said"), lines.index("Themes at a glance")
    said = words(" ".join(lines[start:end]))
    assert bases_sentence(answered, empty) in said, said
    assert f"of the {other} {SAY})." in said, said


def test_an_uncoded_theme_the_model_gives_is_not_said_to_be_ungivable(served):  # noqa: F811
    """smoke31 #2: a response suggested for a theme nobody has coded said "the model cannot
    give a theme until they do" beside a model that had given it (the demo's Q6: T07 to 10
    responses); read through gunicorn from an application stored as the worker leaves it."""
    app = served[-1]
    staff, coding_path, _, question_id, _ = codebook_from_stored_run(served)
    with app.app_context():
        book = db.session.scalar(select(Codebook).where(Codebook.question_id == question_id))
        key, name = book.themes[1].key, book.themes[1].name
        response_id = answers_of(db.session.get(Question, question_id))["ids"][3]
        metrics = {"themes": {"coded": 10, "sample_f1": None, "no_example": []}}
        reason = f"may be an example of theme {key}, which has 0 coded"
        applied_coding(book, [{"response_id": response_id, "reason": reason}], metrics, 10)
        db.session.remove()
    page = staff.request(f"{coding_path}/{response_id}")
    assert page.status == 200
    chosen = [p for p in page.soup().find_all("p") if p.get_text().startswith("Chosen")]
    said = words(chosen[0].get_text())
    assert said == (
        f"Chosen because it may be an example of theme {key} ({name}), which people have not "
        "coded any response with yet (the model gives it only from the codebook's own words "
        "and examples until they do)."
    ), said
