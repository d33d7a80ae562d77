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

from analysis.bases import bases_sentence
from consult.extensions import db
from consult.models import Consultation, Question
from tests.reports.stored_runs import store_synthetic_run
from tests.reports.test_two_bases import SAY, empty_answers
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = pytest.mark.backends("sqlite", "postgresql")
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

    reply = staff.request(f"/staff/reports/consultations/{consultation_id}/report.docx")
    assert reply.status == 200, reply.text[:300]
    lines = [p.text for p in Document(io.BytesIO(reply.body)).paragraphs]
    start, end = lines.index("What partners said"), lines.index("Themes at a glance")
    said = words(" ".join(lines[start:end]))
    assert bases_sentence(answered, empty) in said, said
    assert f"of the {other} {SAY})." in said, said
