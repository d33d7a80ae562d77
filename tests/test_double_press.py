"""Two presses at once of "Retry" (a failed run) or "Apply the model" (a codebook) do the
thing once (left18, issues 12 and 13): the server claims the run with a conditional update
and the database holds one pending coding per codebook, so the second press lands on the
same job's progress with a note, not a second attempt or a second coding. Through the
functions with the race staged, and through a real gunicorn (two processes, four threads
each) with the presses sent at once."""

from __future__ import annotations

import threading

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update

from consult.extensions import db
from consult.models import AuditEvent
from consult.reports import coding, runs
from consult.reports.coding_models import MachineCoding
from consult.reports.models import AnalysisRun
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.reports_helpers import worker_environment
from tests.staff_helpers import PASSWORD, make_user
from tests.test_gunicorn import gunicorn_process

requests = pytest.importorskip("requests")

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]
ANALYST = "analyst@example.gov.uk"
PRESSES = 6


def failed_run() -> AnalysisRun:
    """A run of 30 answers that failed on its first attempt."""
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    run = stored_run(consultation, question, n_themes=3)
    run.status, run.error, run.attempts = "failed", "The worker stopped; retry it.", 1
    db.session.commit()
    return run


def codebook_ready():
    """A codebook from a run of 30 answers, ready for the model to be applied."""
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    run = stored_run(consultation, question, n_themes=3)
    return coding.codebook_from_run(run, ANALYST)


def counted(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_a_retry_that_lost_the_race_counts_no_attempt(app):
    """The run read as failed, then another press queued it before this one wrote: this
    press's claim finds it no longer failed and does nothing."""
    run = failed_run()
    assert run.status == "failed"  # read, as the second press's request read it
    with db.engine.begin() as other:  # the first press, in another process
        other.execute(
            update(AnalysisRun).where(AnalysisRun.id == run.id).values(status="queued", attempts=2)
        )
    with pytest.raises(runs.AlreadyQueued, match="not queued a second time"):
        runs.retry_run(run, actor="second press")
    stored = db.session.get(AnalysisRun, run.id)
    assert (stored.status, stored.attempts) == ("queued", 2)
    assert counted("analysis_retried") == 0


def test_an_apply_that_lost_the_race_stores_no_second_coding(app, monkeypatch):
    """Both presses found nothing pending; the second one's insert is refused by the
    database, and it says the model is already being applied."""
    codebook = codebook_ready()
    first = coding.start_coding(codebook, ANALYST)
    monkeypatch.setattr(coding, "latest_coding", lambda *args, **kwargs: None)  # read first
    with pytest.raises(coding.AlreadyApplying, match="not started a second time"):
        coding.start_coding(codebook, "colleague@example.gov.uk")
    assert db.session.scalars(select(MachineCoding.id)).all() == [first.id]
    assert counted("coding_model_applied") == 1
    # A finished (or failed) application no longer blocks the next.
    first.status = "failed"
    db.session.commit()
    monkeypatch.undo()
    assert coding.start_coding(codebook, ANALYST).id != first.id


def press_at_once(base: str, people: list[requests.Session], url: str) -> list[requests.Response]:
    """Each of ``people`` POSTs the form at ``url`` (its CSRF token from ``page``) at the
    same moment, on a connection of their own. (Each press is a signed-in session of its
    own: presses in one browser share its session, and the note flashed for one can be
    overwritten by the other's, though what is stored is the same.)"""
    barrier = threading.Barrier(len(people))
    replies: list[requests.Response] = []

    def press(person: requests.Session, token: str) -> None:
        barrier.wait()
        replies.append(person.post(base + url, data={"csrf_token": token}, timeout=120))

    threads = [threading.Thread(target=press, args=(p, p.csrf)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def signed_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/staff/sign-in")
    token = csrf(page.text)
    done = session.post(
        base + "/staff/sign-in",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        allow_redirects=False,
    )
    assert done.status_code == 302, done.text
    return session


def csrf(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None, html
    return field["value"]


def notes(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


def test_presses_at_once_through_gunicorn(app, database_url, tmp_path):
    run = failed_run()
    run_id = run.id
    codebook = coding.codebook_from_run(stored_run(*codebook_question(), n_themes=3), ANALYST)
    question_id = codebook.question_id
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, _):
        people = [signed_in(base, email) for _ in range(PRESSES)]
        for person in people:
            person.csrf = csrf(person.get(f"{base}/staff/reports/runs/{run_id}").text)
        retried = press_at_once(base, people, f"/staff/reports/runs/{run_id}/retry")
        applied = press_at_once(
            base, people, f"/staff/reports/questions/{question_id}/coding/apply"
        )
    # one attempt counted, one coding stored, whatever each press was told
    stored = db.session.get(AnalysisRun, run_id)
    assert (stored.status, stored.attempts) == ("queued", 2)
    assert counted("analysis_retried") == 1
    assert db.session.scalars(select(MachineCoding.status)).all() == ["queued"]
    assert counted("coding_model_applied") == 1

    # every press lands on the run's own page; one says it queued it, the rest say why not
    assert {r.status_code for r in retried} == {200}
    assert {r.url for r in retried} == {f"{base}/staff/reports/runs/{run_id}"}
    said = [notes(r.text) for r in retried]
    assert sum("The analysis has been queued again." in s for s in said) == 1, said
    assert sum(runs.ALREADY_RETRIED_MESSAGE in s for s in said) == PRESSES - 1, said

    assert {r.status_code for r in applied} == {200}
    said = [notes(r.text) for r in applied]
    assert sum("The model is being applied in the background" in s for s in said) == 1, said
    assert sum(coding.ALREADY_APPLYING_MESSAGE in s for s in said) == PRESSES - 1, said
    assert all("The model is waiting to be applied" in s for s in said), said
    assert {r.url for r in applied} == {f"{base}/staff/reports/questions/{question_id}/coding"}


def codebook_question():
    consultation, question = make_question("coding-test")
    add_answers(consultation, question, 30, seed=2)
    return consultation, question
