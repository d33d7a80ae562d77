"""The job queue (huey): SQLite storage in ``instance/jobs.sqlite`` by default, needing no
extra server; Redis when ``REDIS_URL`` (``CONSULT_REDIS_URL``) is set, so consumers on many
machines share one queue. Jobs live in the queue's storage, not in memory, so they survive a
restart of the web process.

:func:`init_app` gives each app its own huey instance (``app.extensions["huey"]``) with the
analysis task registered; the task opens an app context, so it works in any consumer.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey

from analysis.coding_floor import CONFIDENCE_FLOOR

from ..audit import outside_requests_as

ANALYSIS_TASK = "analyse"
CODING_TASK = "code"
DESCRIBE_TASK = "describe_merge"

# Settings (override in instance/config.py or as CONSULT_* variables).
QUEUE_DEFAULTS = {
    "REDIS_URL": None,  # e.g. redis://127.0.0.1:6379/0; unset: SQLite storage
    "JOBS_SQLITE": None,  # default instance/jobs.sqlite
    "JOBS_QUEUE_NAME": "consult",
    "WORKER_HEARTBEAT_SECONDS": 5.0,  # how often a worker and its running job say "alive"
    "WORKER_SEEN_SECONDS": 30.0,  # a worker unseen for longer is taken as not running
    "RUN_STALE_SECONDS": 60.0,  # a running job unheard of for longer lost its worker
    "RUN_MAX_ATTEMPTS": 2,  # a job whose worker died is queued again up to this many tries
    "WORKER_POLL_SECONDS": 1.0,  # the longest an idle SQLite-mode worker waits between polls
    # A job that could not even be claimed or recorded (the database down or locked) is
    # tried again this many times, this many seconds apart, instead of being lost. The
    # number of tries goes into the job when it is queued (set it where jobs are queued:
    # the web app); the wait is read by the worker that runs the job, each time it fails
    # (set it on the worker; see :func:`_retry_delay_from_worker`).
    "JOB_RETRIES": 6,
    "JOB_RETRY_SECONDS": 10.0,
    "CODING_ENGINE": "auto",  # features for coding jobs: auto, fast or semantic
    # A reviewer's merge of more answers than this is described (keywords, summary) by a
    # worker, not in the web request: BENCHMARKS.md "review-merge-cost".
    "MERGE_DESCRIBE_AT_MOST": 2000,
    # A reviewer's split of a theme of more answers than this is only partitioned in the web
    # request; its parts are described by a worker: BENCHMARKS.md "splitjob".
    "SPLIT_DESCRIBE_AT_MOST": 500,
    # A reviewer's move, create or rename whose changed themes more answers than this
    # mention has its themes' points counted (a created theme described) by a worker, not
    # in the web request: BENCHMARKS.md "moveworker".
    "RECOUNT_IN_REQUEST_AT_MOST": 200,
    # An answer the model codes below this confidence is "not coded: the model is unsure",
    # counted apart (analysis.coding_floor; 0 counts every guess). Each
    # application of the model records the floor it was made with.
    "CODING_CONFIDENCE_FLOOR": CONFIDENCE_FLOOR,
}


def make_huey(app: Flask) -> Huey:
    """The huey instance for this app's settings (nothing is connected until used)."""
    name = app.config["JOBS_QUEUE_NAME"]
    url = app.config.get("REDIS_URL")
    if url:
        # An unreachable Redis fails fast (the health check says so) instead of hanging.
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(url, socket_connect_timeout=5)
        return RedisHuey(name, connection_pool=pool, results=False, utc=True)
    filename = app.config.get("JOBS_SQLITE") or os.path.join(app.instance_path, "jobs.sqlite")
    return sqlite_huey(name, filename)


# How often a queue file found locked while it is set up is tried again, and the first wait.
LOCKED_ATTEMPTS = 10
LOCKED_WAIT_SECONDS = 0.1


def sqlite_huey(name: str, filename: str) -> SqliteHuey:
    """The embedded queue in ``filename``. Huey sets the file up (its tables, WAL journal)
    when the instance is made; gunicorn's workers start at once, and one can find the file
    locked while another sets it up: SQLite then says "database is locked" at once instead of
    waiting, and the worker fails to boot, which stops gunicorn (seen in CI). Tried again,
    waiting a little longer each time, before the error is let through."""
    for attempt in range(LOCKED_ATTEMPTS):
        try:
            return SqliteHuey(name, filename=filename, results=False, utc=True, timeout=30)
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == LOCKED_ATTEMPTS - 1:
                raise
            time.sleep(LOCKED_WAIT_SECONDS * (attempt + 1))
    raise AssertionError("unreachable")  # the loop returns or raises


def init_app(app: Flask) -> None:
    """Create the app's huey instance and register the analysis task on it."""
    for key, value in QUEUE_DEFAULTS.items():
        app.config.setdefault(key, value)
    huey = make_huey(app)

    def analyse(run_id: int) -> None:
        from .jobs import run_job

        with app.app_context(), outside_requests_as("worker"):
            run_job(run_id)

    def code(coding_id: int) -> None:
        from .coding import run_coding

        with app.app_context(), outside_requests_as("worker"):
            run_coding(
                coding_id,
                engine=app.config["CODING_ENGINE"],
                floor=float(app.config["CODING_CONFIDENCE_FLOOR"]),
            )

    def describe_merge(run_id: int, theme_id: int, edit_id: int, kind: str = "merge") -> None:
        """``kind``: the edit's ("merge", "split", "move", "create" or "rename"), for the
        worker's log only."""
        from .merging import describe_later

        with app.app_context(), outside_requests_as("worker"):
            describe_later(run_id, theme_id, edit_id)

    _retry_delay_from_worker(app, huey)
    app.extensions["huey"] = huey
    app.extensions["huey_analyse"] = huey.task(
        name=ANALYSIS_TASK,
        retries=int(app.config["JOB_RETRIES"]),
        retry_delay=float(app.config["JOB_RETRY_SECONDS"]),
    )(analyse)
    app.extensions["huey_code"] = huey.task(
        name=CODING_TASK,
        retries=int(app.config["JOB_RETRIES"]),
        retry_delay=float(app.config["JOB_RETRY_SECONDS"]),
    )(code)
    app.extensions["huey_describe"] = huey.task(
        name=DESCRIBE_TASK,
        retries=int(app.config["JOB_RETRIES"]),
        retry_delay=float(app.config["JOB_RETRY_SECONDS"]),
    )(describe_merge)


def _retry_delay_from_worker(app: Flask, huey: Huey) -> None:
    """Make the worker's ``JOB_RETRY_SECONDS`` the wait before a failed job's next try.

    huey writes a task's retry delay into the queued message, so the setting of the process
    that queued the job (the web app) would win and the worker's own would do nothing. A
    pre-execute hook, run by the consumer just before each job, puts the running worker's
    setting on the task instead; huey reads it there when the job fails and is queued again
    (``Huey._requeue_task``). The hook runs only in consumers: queuing is unchanged."""
    delay = float(app.config["JOB_RETRY_SECONDS"])

    @huey.pre_execute(name="consult_retry_delay")
    def use_worker_retry_delay(task) -> None:
        task.retry_delay = delay


def get_huey(app: Flask | None = None) -> Huey:
    """The current (or given) app's huey instance."""
    return (app or current_app).extensions["huey"]


def enqueue_analysis(run_id: int) -> str:
    """Put the analysis of run ``run_id`` on the queue; returns the huey task id."""
    task = current_app.extensions["huey_analyse"].s(run_id)
    get_huey().enqueue(task)
    return task.id


def enqueue_coding(coding_id: int) -> str:
    """Put an application of the coding model on the queue; returns the huey task id."""
    task = current_app.extensions["huey_code"].s(coding_id)
    get_huey().enqueue(task)
    return task.id


def enqueue_or_fail(
    job: Any, kind: str, enqueue: Callable[[int], str], message: str, error: type[Exception]
) -> str:
    """Put ``job``'s task (a run's or a coding's: ``kind`` names it in the log) on the queue
    with ``enqueue(job.id)`` and return its task id. When the queue cannot be reached (Redis
    down, disk full) the job is failed with ``message`` and committed, never left queued
    (which would refuse every later try), and ``error(message)`` is raised."""
    from ..extensions import db
    from ..models import utcnow

    try:
        return enqueue(job.id)
    except Exception as problem:  # noqa: BLE001 - Redis down, disk full: say so
        current_app.logger.exception("could not queue %s %s", kind, job.id)
        job.status = "failed"
        job.error = message
        job.finished_at = utcnow()
        db.session.commit()
        raise error(message) from problem


def enqueue_describe(run_id: int, theme_id: int, edit_id: int) -> str:
    """Put the description of a large merge's theme (or a large split's parts, or the
    counting of a large move's, create's or rename's themes) on the queue; returns the huey
    task id. The edit's kind goes with it, so the worker's log says "describing a split
    theme" for a split (smoke11 finding 5)."""
    from ..extensions import db
    from .models import ThemeEdit

    edit = db.session.get(ThemeEdit, edit_id)
    kind = edit.kind if edit is not None else "merge"
    task = current_app.extensions["huey_describe"].s(run_id, theme_id, edit_id, kind=kind)
    get_huey().enqueue(task)
    return task.id


def pending_jobs() -> int:
    """How many jobs wait in the queue (not counting those being run)."""
    return get_huey().pending_count()


def describe_storage(app: Flask | None = None) -> str:
    """Where the queue lives, for logs and messages (no password shown)."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if url:
        from sqlalchemy.engine import make_url

        try:
            return "Redis " + make_url(url).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - an odd URL is still worth naming
            return "Redis"
    path = app.config.get("JOBS_SQLITE") or os.path.join(app.instance_path, "jobs.sqlite")
    return f"SQLite {path}"
