"""Job worker faults. ``kill -9`` of a job worker in the middle of an analysis, with other
workers still running (scaled out: several workers on one queue and one database); and the
database locked when a worker starts and takes a job.

A surviving worker's heartbeat sweep finds the run whose worker died and queues it again;
killed once more, on its last allowed attempt, the run is marked failed with a plain
message, so nothing stays "running" for ever and nothing runs twice at once. (A worker
restarted after the only worker died is in ``tests/test_reports_jobs.py``.)
"""

from __future__ import annotations

import re
import sqlite3
import time

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import runs
from consult.reports.models import AnalysisRun, WorkerHeartbeat
from consult.reports.runs import STOPPED_MESSAGE
from tests import test_reports_jobs as jobs
from tests.reports_helpers import WorkerProcess, demo, fresh_run, question_numbered, wait_until
from tests.staff_helpers import signed_in

# The job tests' fixtures: the app on each database with each queue, and worker processes.
jobs_app = jobs.jobs_app
queue_settings = jobs.queue_settings
start_worker = jobs.start_worker

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


def worker_running(run_id: int, workers: list[WorkerProcess]) -> WorkerProcess | None:
    """The live worker process whose heartbeat says it is running ``run_id``."""
    db.session.commit()
    names = db.session.scalars(
        select(WorkerHeartbeat.name).where(WorkerHeartbeat.busy_run_id == run_id)
    ).all()
    pids = {int(name.rsplit(":", 1)[1]) for name in names}
    for worker in workers:
        if worker.process.pid in pids and worker.process.poll() is None:
            return worker
    return None


def running_attempt(run_id: int, attempt: int) -> bool:
    run = fresh_run(run_id)
    assert not run.finished, (run.status, run.error)
    return run.status == "running" and run.attempts == attempt


def test_killed_worker_job_is_retried_by_a_survivor_then_clearly_failed(jobs_app, tmp_path):
    app = jobs_app
    assert app.config["RUN_MAX_ATTEMPTS"] == 2
    consultation = demo(120)
    _, question = question_numbered(consultation, "What opportunities should the deal")
    first, second = start_worker(app, tmp_path), start_worker(app, tmp_path)
    wait_until(lambda: runs.worker_status().workers >= 2, 120)

    run = runs.start_run(consultation, question, {"engine": "fast", "n_themes": 5})
    wait_until(lambda: running_attempt(run.id, 1), 120, poll=0.01)
    victim = wait_until(lambda: worker_running(run.id, [first, second]), 30, poll=0.01)
    survivor = second if victim is first else first
    victim.kill()  # SIGKILL: no clean-up, the run is left "running"
    assert fresh_run(run.id).status == "running"

    # The survivor's heartbeat sweep sees the run's heartbeat go stale and queues it again;
    # a worker takes it for its second (last) attempt.
    wait_until(lambda: running_attempt(run.id, 2), 120, poll=0.01)
    # The sweep logs after it commits: wait for the line rather than race the log file.
    wait_until(lambda: "lost its worker and was queued" in survivor.output(), 30)

    # Killed again mid-job on its last attempt: a fresh worker's start-up sweep fails it.
    holder = wait_until(lambda: worker_running(run.id, [survivor]), 30, poll=0.01)
    holder.kill()
    assert fresh_run(run.id).status == "running"
    third = start_worker(app, tmp_path)

    def finished():
        assert third.process.poll() is None, third.output()
        current = fresh_run(run.id)
        return current if current.finished else None

    failed = wait_until(finished, 120)
    assert (failed.status, failed.attempts, failed.error) == ("failed", 2, STOPPED_MESSAGE)
    assert failed.finished_at is not None
    wait_until(lambda: "lost its worker and was failed" in third.output(), 30)

    # The analyst sees it in plain words, and can retry it; the retry runs to the end.
    staff = signed_in(app, "admin")
    status = staff.get(f"/staff/reports/runs/{run.id}/status").json
    assert status["status"] == "failed" and status["finished"] is True
    page = staff.get(f"/staff/reports/runs/{run.id}").get_data(as_text=True)
    assert STOPPED_MESSAGE in page
    runs.retry_run(fresh_run(run.id))
    done = wait_until(finished, 180)
    assert done.status == "succeeded", done.error
    assert len(done.themes) == 5
    assert db.session.scalar(select(AnalysisRun).where(AnalysisRun.status == "running")) is None


def test_a_job_taken_while_the_database_is_locked_is_retried_not_lost(jobs_app, tmp_path):
    app = jobs_app
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    if not database.startswith("sqlite"):
        pytest.skip("an SQLite lock")
    env = app.config["test_worker_env"]
    env.update(CONSULT_SQLITE_BUSY_TIMEOUT="0.2", CONSULT_JOB_RETRY_SECONDS="0.5")
    consultation = demo(120)
    _, question = question_numbered(consultation, "Why do you say that?")
    run_id = runs.start_run(consultation, question, {"engine": "fast", "n_themes": 4}).id
    db.session.remove()

    # Another process holds the write lock while the worker starts and takes the job.
    lock = sqlite3.connect(database.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        worker = start_worker(app, tmp_path)
        # The worker's log says plainly that the job failed and will be tried again.
        retry = f"Queued the analysis of run {run_id} (job "
        wait_until(lambda: retry in worker.output(), 120, poll=0.1)
        # In the worker's JOB_RETRY_SECONDS (0.5), set on the worker alone: the app that
        # queued the job has the default, 10.
        assert app.config["JOB_RETRY_SECONDS"] == 10.0
        assert re.search(
            r" again, to retry in 0\.5 s \(\d+ more tries after this one\)", worker.output()
        ), worker.output()
        assert f"The analysis of run {run_id} (job " in worker.output()
        assert "failed; it will be tried again (" in worker.output()
        time.sleep(1)
        assert worker.process.poll() is None, worker.output()  # it did not die
        assert fresh_run(run_id).status == "queued"  # read through the lock: nothing changed
    finally:
        lock.rollback()
        lock.close()

    def finished():
        assert worker.process.poll() is None, worker.output()
        current = fresh_run(run_id)
        return current if current.finished else None

    done = wait_until(finished, 180)
    assert (done.status, done.attempts) == ("succeeded", 1), done.error
    assert len(done.themes) == 4
    assert "database is locked" in worker.output()
