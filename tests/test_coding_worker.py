"""A coding job run by a real worker process (``flask --app consult worker``), with the queue
in SQLite and in Redis, on SQLite and on PostgreSQL: queued by the page's button, run in the
background, its coding stored beside the human codes it learned from."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import coding
from consult.reports.coding_models import Codebook, MachineCode, MachineCoding
from consult.reports.queue import enqueue_coding
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.reports_helpers import wait_until
from tests.test_reports_jobs import jobs_app, queue_settings, start_worker  # noqa: F401

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


def test_a_real_worker_applies_the_model(jobs_app, tmp_path):  # noqa: F811
    app = jobs_app
    app.config["test_worker_env"]["CONSULT_CODING_ENGINE"] = "fast"
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    run = stored_run(consultation, question, n_themes=3)
    codebook = coding.codebook_from_run(run, "analyst@example.gov.uk")
    ids = answers_of(question)["ids"]
    members = {a.response_id: a.theme.key for a in run.assignments if a.theme is not None}
    for response_id in ids[:15]:
        coding.save_code(
            codebook,
            response_id,
            "analyst@example.gov.uk",
            [members.get(response_id, codebook.themes[0].key)],
            None,
        )
    job = coding.start_coding(codebook, "analyst@example.gov.uk")
    enqueue_coding(job.id)
    worker = start_worker(app, tmp_path)

    def finished():
        assert worker.process.poll() is None, worker.output()
        db.session.expire_all()
        current = db.session.get(MachineCoding, job.id)
        return current if current.status in ("succeeded", "failed") else None

    done = wait_until(finished, 180)
    assert done.status == "succeeded", done.error
    assert done.engine == "fast" and (done.human_count, done.machine_count) == (15, 15)
    coded_by_machine = set(db.session.scalars(select(MachineCode.response_id)))
    assert coded_by_machine == set(ids[15:])
    # Its log says plainly what ran: not huey's "... 6 retries" (tries left, read as failures).
    wait_until(lambda: "Finished applying the coding model" in worker.output(), 30)
    output = worker.output()
    assert f"Started applying the coding model (coding {job.id}) (job " in output
    assert "retries" not in output and "failed" not in output, output


def test_a_coding_whose_worker_is_killed_is_failed_then_applied_again(jobs_app, tmp_path):  # noqa: F811
    """kill -9 of the only worker while it applies the model: the next worker's heartbeat
    sweep fails the coding in plain words (it stayed 'running' for ever, and applying the
    model again was refused for ever); applied again, it runs to the end."""
    app = jobs_app
    app.config["test_worker_env"]["CONSULT_CODING_ENGINE"] = "fast"
    consultation, question = make_question()
    add_answers(consultation, question, 1500)  # long enough to be killed mid-way
    run = stored_run(consultation, question, n_themes=3)
    codebook = coding.codebook_from_run(run, "analyst@example.gov.uk")
    ids = answers_of(question)["ids"]
    for response_id in ids[:15]:
        coding.save_code(
            codebook, response_id, "analyst@example.gov.uk", [codebook.themes[0].key], None
        )
    victim = start_worker(app, tmp_path)
    job = coding.enqueue(coding.start_coding(codebook, "analyst@example.gov.uk"))

    def status(coding_id: int) -> str:
        db.session.expire_all()
        return db.session.get(MachineCoding, coding_id).status

    wait_until(lambda: status(job.id) == "running", 180, poll=0.01)
    victim.kill()  # SIGKILL: no clean-up, the coding is left "running"
    assert status(job.id) == "running"
    with pytest.raises(coding.CodingError, match="already being applied"):
        coding.start_coding(db.session.get(Codebook, codebook.id), "analyst@example.gov.uk")

    survivor = start_worker(app, tmp_path)
    wait_until(lambda: status(job.id) == "failed", 120)
    failed = db.session.get(MachineCoding, job.id)
    assert failed.error == coding.STOPPED_MESSAGE and failed.finished_at is not None
    assert f"coding {job.id} lost its worker and was failed" in survivor.output()

    again = coding.enqueue(
        coding.start_coding(db.session.get(Codebook, codebook.id), "analyst@example.gov.uk")
    )
    wait_until(lambda: status(again.id) in ("succeeded", "failed"), 300)
    done = db.session.get(MachineCoding, again.id)
    assert done.status == "succeeded", done.error
    assert done.machine_count == len(ids) - 15
