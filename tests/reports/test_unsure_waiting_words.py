"""An answer people coded differently whose model code is below the floor is not counted
(the model is unsure): the coding page, the run's report, the response page and the
downloads say so, never "counted with the model's code" (left26 #2)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select, update

from consult.extensions import db
from consult.reports import coding
from consult.reports.coded import CodedReport
from consult.reports.coding_models import MachineCode
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.reports.test_coding_code18 import FIRST, SECOND, make_codebook, overview_url
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _said(page, id_: str) -> str:
    return " ".join(page.find(id=id_).get_text(" ").split())


def test_the_words_for_answers_waiting_to_be_settled_count_only_what_is_counted():
    report = CodedReport(codebook=None, coding=None, answered=20)
    report.unsettled, report.unsettled_by_model, report.unsettled_unsure = 3, 3, 3
    assert report.waiting_words == (
        "3 coded differently by people and waiting to be settled (not counted meanwhile: "
        "the model is unsure), "
    )
    assert "Until then they are not counted: the model is unsure of them" in (
        report.unsettled_words
    )
    assert "model's code" not in report.unsettled_words
    report.unsettled, report.unsettled_by_model, report.unsettled_unsure = 4, 3, 1
    assert report.waiting_words == (
        "4 coded differently by people and waiting to be settled (2 of them counted with the "
        "model's code meanwhile, 1 not counted: the model is unsure), "
    )
    assert (
        "Until then 2 are counted with the model's code, not a person's, 1 is not counted: "
        "the model is unsure of it, and 1 is left out of these counts" in report.unsettled_words
    )
    report.unsettled_unsure = 0  # as before: every modelled one counted
    assert "(3 of them counted with the model's code meanwhile)" in report.waiting_words


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


@pytest.fixture
def client(app):
    return signed_in(app, "analyst", FIRST)


def test_an_unsure_model_code_of_an_unsettled_answer_is_said_not_counted(run, client):
    from docx import Document

    codebook = make_codebook(client, run)
    keys = [t.key for t in codebook.themes]
    ids = answers_of(run.question)["ids"]
    for response_id in ids[:12]:
        coding.save_code(codebook, response_id, FIRST, [keys[0]], None)
    coding.save_code(codebook, ids[1], SECOND, [keys[1]], None)  # differs: waits
    job = coding.start_coding(codebook, FIRST)
    coding.run_coding(job.id, engine="fast")
    db.session.execute(
        update(MachineCode)
        .where(MachineCode.coding_id == job.id, MachineCode.response_id == ids[1])
        .values(confidence=0.001)
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(
        select(MachineCode.confidence).where(
            MachineCode.coding_id == job.id, MachineCode.response_id == ids[1]
        )
    ) == pytest.approx(0.001)
    waiting = (
        "1 coded differently by people and waiting to be settled (not counted meanwhile: "
        "the model is unsure)"
    )
    coding_page = soup(client.get(overview_url(run.question_id)))
    run_page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    for said in (_said(coding_page, "coding-progress"), _said(run_page, "coded-counts")):
        assert waiting in said and "counted with the model's code" not in said
    for said in (_said(coding_page, "waiting-to-settle"), _said(run_page, "coded-unsettled")):
        assert "Until then it is not counted: the model is unsure of it" in said
        assert "counted with the model's code" not in said
    response_page = soup(client.get(f"/staff/reports/responses/{ids[1]}"))
    said = _said(response_page, f"coding-{run.question_id}")
    assert "Until it is settled the reports count it as not coded: the model is unsure" in said
    assert "not coded yet" not in said
    body = client.get(f"{overview_url(run.question_id)}/download.docx").get_data()
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert waiting in text and "counted with the model's code" not in text
