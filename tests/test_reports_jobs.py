"""The job lifecycle with real worker processes (``flask --app consult worker``), with the
queue in SQLite (the default) and in Redis (``CONSULT_TEST_REDIS_URL``; CI sets it), on an
SQLite database file and on PostgreSQL (with Redis).

One test per queue walks the whole life: no worker seen; a worker starts; a run is queued,
its progress recorded stage by stage, and its themes stored; a run fails with its reason in
plain words and succeeds when retried; a worker is killed with SIGKILL mid-job, a job queued
meanwhile by a web process that then restarts is kept, and a new worker gives the killed job
a second attempt and runs the queued one; a stopped worker is no longer seen.
"""

from __future__ import annotations

import os
import uuid

import pytest
from flask_migrate import upgrade

from consult import create_app
from consult.extensions import db
from consult.reports import runs
from consult.reports.models import AnalysisRun
from consult.reports.queue import get_huey
from tests.helpers import make_consultation
from tests.reports_helpers import (
    WorkerProcess,
    add_responses,
    demo,
    fresh_run,
    question_numbered,
    wait_until,
    worker_environment,
)

FAST = {"engine": "fast"}

# The SQLite database with either queue, and PostgreSQL with Redis (production's pairing).
pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


@pytest.fixture(params=["sqlite", "redis"])
def queue_settings(request, tmp_path, backend) -> dict:
    if backend == "postgresql" and request.param == "sqlite":
        pytest.skip("PostgreSQL runs with the Redis queue, as in production")
    settings = {
        "JOBS_QUEUE_NAME": f"test-{uuid.uuid4().hex[:12]}",
        "WORKER_HEARTBEAT_SECONDS": 0.3,
        "WORKER_SEEN_SECONDS": 3,
        "RUN_STALE_SECONDS": 3,
        "WORKER_POLL_SECONDS": 0.2,
        "RUN_MAX_ATTEMPTS": 2,
    }
    if request.param == "redis":
        url = os.environ.get("CONSULT_TEST_REDIS_URL")
        if not url:
            pytest.skip("CONSULT_TEST_REDIS_URL is not set (CI sets it; see .ci/run)")
        settings["REDIS_URL"] = url
    else:
        settings["JOBS_SQLITE"] = str(tmp_path / "instance" / "jobs.sqlite")
    return settings


@pytest.fixture
def jobs_app(database_url, tmp_path, monkeypatch, queue_settings):
    instance = tmp_path / "instance"
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(instance))
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, **queue_settings})
    if database_url.startswith("postgresql"):
        with app.app_context():
            upgrade()
    workers: list[WorkerProcess] = []
    app.config["test_workers"] = workers
    app.config["test_worker_env"] = worker_environment(database_url, instance, **queue_settings)
    with app.app_context():
        yield app
        for worker in workers:  # all told at once, so that they stop at the same time
            worker.terminate()
        for worker in workers:
            worker.stop()
        get_huey(app).flush()
        db.session.remove()
        db.engine.dispose()


def start_worker(app, tmp_path) -> WorkerProcess:
    workers = app.config["test_workers"]
    worker = WorkerProcess(app.config["test_worker_env"], tmp_path / f"worker{len(workers)}.log")
    workers.append(worker)
    return worker


def wait_finished(run_id: int, worker: WorkerProcess, timeout: float = 180) -> AnalysisRun:
    def finished():
        assert worker.process.poll() is None, worker.output()
        run = fresh_run(run_id)
        return run if run.finished else None

    return wait_until(finished, timeout)


def test_job_lifecycle_with_real_workers(jobs_app, tmp_path):
    app = jobs_app
    consultation = demo(120)
    _, why = question_numbered(consultation, "Why do you say that?")
    _, opportunities = question_numbered(consultation, "What opportunities should the deal")
    assert runs.worker_status().alive is False

    first = start_worker(app, tmp_path)
    wait_until(lambda: runs.worker_status().alive, 120)

    # Success, with progress recorded as it goes.
    run = runs.start_run(consultation, why, {**FAST, "seed": 4})
    seen: list[tuple[str, str, int]] = []

    def progress_then_finished():
        current = fresh_run(run.id)
        step = (current.status, current.stage, current.stage_done)
        if not seen or seen[-1] != step:
            seen.append(step)
        assert first.process.poll() is None, first.output()
        return current if current.finished else None

    done = wait_until(progress_then_finished, 180, poll=0.02)
    assert done.status == "succeeded", done.error
    assert done.themes and done.input_count > 40 and done.heartbeat_at is not None
    running = [step for step in seen if step[0] == "running"]
    assert running, seen
    assert all(step[1] and 0 <= step[2] < 9 for step in running), seen
    assert any(0 < step[2] < 9 for step in running), seen  # an engine stage was seen
    assert [s[2] for s in seen] == sorted(s[2] for s in seen)  # progress only goes forward

    # Failure in plain words, then a retry that succeeds once there are enough answers.
    small = make_consultation()
    idea = small.questions[4]
    add_responses(small, [{idea: text} for text in ("Trams", "Buses", "Bikes", "Trains", "Vans")])
    failing = runs.start_run(small, idea, {**FAST, "n_themes": 8})
    failed = wait_finished(failing.id, first)
    assert failed.status == "failed"
    assert failed.error.startswith(
        "Too few answers to find 8 themes: there are 5 distinct answers."
    )
    add_responses(small, [{idea: f"More {w} trams and fast bus lanes"} for w in "abcdefghijkl"])
    runs.retry_run(failed)
    retried = wait_finished(failing.id, first)
    assert (retried.status, retried.attempts, retried.error) == ("succeeded", 2, None)

    # A worker killed mid-job.
    victim = runs.start_run(consultation, opportunities, {**FAST, "n_themes": 6})
    wait_until(lambda: fresh_run(victim.id).status == "running", 120, poll=0.01)
    first.kill()
    killed = fresh_run(victim.id)
    assert killed.status == "running" and killed.attempts == 1

    # Meanwhile a web process queues a job and restarts: the job is in the queue, not in it.
    queued = runs.start_run(consultation, why, {**FAST, "seed": 9})
    restarted = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            **{k: app.config[k] for k in ("JOBS_QUEUE_NAME", "REDIS_URL", "JOBS_SQLITE")},
        }
    )
    assert get_huey(restarted).pending_count() >= 1

    second = start_worker(app, tmp_path)
    recovered = wait_finished(victim.id, second)
    assert recovered.status == "succeeded", recovered.error
    assert recovered.attempts == 2  # queued again by the new worker's sweep
    assert len(recovered.themes) == 6
    assert wait_finished(queued.id, second).status == "succeeded"
    assert "lost its worker and was queued" in second.output()

    second.stop()
    assert second.process.returncode is not None
    assert runs.worker_status().alive is False  # a stopped worker removes its heartbeat


def test_the_worker_setting_decides_the_wait_before_a_job_is_tried_again(
    jobs_app, database_url, queue_settings, monkeypatch
):
    """``JOB_RETRY_SECONDS`` set on the worker alone takes effect: huey writes the delay of
    the process that queued the job into it, and the worker puts its own back before
    running it (``consult.reports.queue``). The number of tries stays the queuer's."""
    from datetime import UTC, datetime, timedelta

    from consult.reports import jobs as jobs_module
    from consult.reports.queue import enqueue_analysis

    app = jobs_app  # the web app queues the job with the default wait
    assert app.config["JOB_RETRY_SECONDS"] == 10.0 and app.config["JOB_RETRIES"] == 6
    job = enqueue_analysis(999_999)
    worker = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, **queue_settings, "JOB_RETRY_SECONDS": 0.5}
    )

    def database_locked(run_id: int) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(jobs_module, "run_job", database_locked)
    huey = get_huey(worker)
    task = huey.dequeue()
    assert task.id == job and task.retry_delay == 10.0  # as queued
    failed_at = datetime.now(UTC).replace(tzinfo=None)
    huey.execute(task)
    [again] = huey.scheduled()
    assert again.id == job and again.retries == 5
    assert again.retry_delay == 0.5
    assert failed_at <= again.eta < failed_at + timedelta(seconds=3)
