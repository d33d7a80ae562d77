"""Setting or replacing a codebook and applying the model are audited (smoke walk 7, finding
22): each changes every coded count of the question."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent
from consult.reports import coding
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _events() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_codebook_and_model_events(app):
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    run = stored_run(consultation, question, n_themes=4)
    analyst = signed_in(app, "analyst", "audited@example.gov.uk")
    url = f"/staff/reports/questions/{question.id}/coding"
    for _ in range(2):
        done = post(
            analyst, f"/staff/reports/runs/{run.id}/codebook", {"confirmed": "yes"}, page_url=url
        )
        assert done.status_code == 302
    made = [e for e in _events() if e.action.startswith("codebook_")]
    assert [e.action for e in made] == ["codebook_set", "codebook_replaced"]
    assert made[0].actor == "audited@example.gov.uk" and made[0].target == consultation.slug
    detail = json.loads(made[0].detail)
    assert (detail["source"], detail["themes"]) == (f"run {run.id}", 4)
    assert "question_number" in detail
    codebook = coding.codebook_for(question)
    keys = [t.key for t in codebook.themes]
    for number, response_id in enumerate(answers_of(question)["ids"][:8]):
        coding.save_code(codebook, response_id, "audited@example.gov.uk", [keys[number % 4]], None)
    job = coding.start_coding(codebook, "audited@example.gov.uk")
    coding.run_coding(job.id, engine="fast")
    applied = {e.action: e for e in _events() if e.action.startswith("coding_model_")}
    assert json.loads(applied["coding_model_applied"].detail)["learned_from"] == 8
    finished = json.loads(applied["coding_model_finished"].detail)
    assert finished["status"] == "succeeded" and finished["learned_from"] == 8
    assert finished["coded_by_the_model"] + finished["unsure"] == 22
    assert applied["coding_model_finished"].actor == "audited@example.gov.uk"
    admin = signed_in(app, "admin", "audit.reader@example.gov.uk")
    text = soup(admin.get("/staff/audit")).get_text(" ")
    for words in ("Codebook set", "Codebook replaced", "Coding model applied"):
        assert words in text


def test_the_worker_records_its_events_as_the_worker(app):
    """Smoke walk 8, finding 11: "Coding model finished", logged by the job worker, showed
    the address "cli"; it says "worker" (the command line still says "cli")."""
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    run = stored_run(consultation, question, n_themes=4)
    codebook = coding.codebook_from_run(run, "worker@example.gov.uk")
    keys = [t.key for t in codebook.themes]
    for number, response_id in enumerate(answers_of(question)["ids"][:8]):
        coding.save_code(codebook, response_id, "worker@example.gov.uk", [keys[number % 4]], None)
    job = coding.start_coding(codebook, "worker@example.gov.uk")
    app.config["CODING_ENGINE"] = "fast"
    app.extensions["huey_code"].call_local(job.id)  # what the worker runs for the job
    events = {e.action: e for e in _events() if e.action.startswith("coding_model_")}
    assert events["coding_model_finished"].address == "worker"
    assert events["coding_model_finished"].actor == "worker@example.gov.uk"
    with app.app_context():
        from consult import audit

        assert audit.current_actor().address == "cli"  # outside the worker, as before
