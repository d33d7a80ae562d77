"""The analysis job: a question's answers out of the database, through
:class:`analysis.ThemeModel`, into a stored run. Runs in a worker (see ``queue.py``), never in
a web request.

Progress is written as it goes by a background thread (the engine never waits for it), each
update in its own transaction so pages see it at once: ``stage`` is the step now under way,
``stage_done`` how many of ``stage_total`` steps (:data:`JOB_STAGES`) are finished, and
``heartbeat_at`` is refreshed every ``WORKER_HEARTBEAT_SECONDS`` while the job runs, so a job
whose worker died can be told apart from a slow one (see
:func:`consult.reports.runs.sweep_stale_runs`).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any

from flask import current_app
from sqlalchemy import update

from ..extensions import db
from ..models import utcnow
from .models import AnalysisRun
from .runs import answers_for, store_results
from .theme_numbers import note_same_themes

log = logging.getLogger(__name__)

READING = "reading answers"
SAVING = "saving"


# The engine's own stages (analysis.api.STAGE_NAMES, named here so pages showing progress
# need not import the engine; a test keeps the two in step).
ENGINE_STAGES = (
    "cleaning",
    "representation",
    "themes",
    "stability",
    "sentiment and stance",
    "description",
    "segments",
)
JOB_STAGES: tuple[str, ...] = (READING, *ENGINE_STAGES, SAVING)


class JobFailed(Exception):
    """A job that cannot succeed; the message is plain words for the analyst."""


def plain_error(error: BaseException) -> str:
    """Say why an analysis failed, in words an analyst can act on."""
    message = str(error)
    found = re.match(r"cannot make (\d+) themes from (\d+) distinct", message)
    if found:
        wanted, distinct = found.groups()
        return (
            f"Too few answers to find {wanted} themes: there are {distinct} distinct answers. "
            "Ask for fewer themes, or 'auto'."
        )
    if message.startswith("no usable rows"):
        return (
            "Every answer to this question is blank or says nothing (like 'n/a' or 'no "
            "comment'), so there are no themes to find."
        )
    if isinstance(error, JobFailed):
        return message
    from analysis import InputError

    if isinstance(error, InputError):
        return f"The analysis could not run: {message}."
    return (
        "The analysis stopped because of an unexpected error "
        f"({type(error).__name__}: {message}). Retry it; if it fails again, tell the service team."
    )


def _set(run_id: int, **values: Any) -> None:
    """Update the run in its own short transaction (visible to other sessions at once)."""
    with db.engine.begin() as connection:
        connection.execute(update(AnalysisRun).where(AnalysisRun.id == run_id).values(**values))


class _Progress:
    """Writes the run's progress and heartbeat from a background thread, so the engine never
    waits for the database: :meth:`report` hands over the newest values and returns at once;
    the thread writes them (with ``heartbeat_at``) as soon as it can, and otherwise beats
    every ``interval`` seconds. Writes only touch a run that is still running, so nothing
    can overwrite the finished run."""

    def __init__(self, app, run_id: int, interval: float) -> None:
        self.app, self.run_id, self.interval = app, run_id, interval
        self.lock = threading.Lock()
        self.pending: dict[str, Any] = {}
        self.wake = threading.Event()
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, name=f"run-{run_id}-progress")
        self.thread.daemon = True

    def report(self, **values: Any) -> None:
        with self.lock:
            self.pending.update(values)
        self.wake.set()

    def _write(self) -> None:
        with self.lock:
            values, self.pending = self.pending, {}
        values["heartbeat_at"] = utcnow()
        try:
            with self.app.app_context(), db.engine.begin() as connection:
                connection.execute(
                    update(AnalysisRun)
                    .where(AnalysisRun.id == self.run_id, AnalysisRun.status == "running")
                    .values(**values)
                )
        except Exception:  # noqa: BLE001 - a missed beat must not kill the job
            log.warning("could not record run %s progress", self.run_id, exc_info=True)
            values.pop("heartbeat_at")
            with self.lock:  # try again at the next beat, unless newer values came
                self.pending = values | self.pending

    def _loop(self) -> None:
        while True:
            self.wake.wait(self.interval)
            self.wake.clear()
            with self.lock:
                stopping, pending = self.stopping, bool(self.pending)
            if pending or not stopping:
                self._write()
            if stopping:
                return

    def __enter__(self) -> _Progress:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.stopping = True
        self.wake.set()
        self.thread.join()


def _claim(run_id: int) -> bool:
    """Move a queued run to running; False when it is not queued (deleted, already taken, or
    finished by another worker), so a duplicate message does nothing."""
    now = utcnow()
    with db.engine.begin() as connection:
        claimed = connection.execute(
            update(AnalysisRun)
            .where(AnalysisRun.id == run_id, AnalysisRun.status == "queued")
            .values(
                status="running",
                started_at=now,
                heartbeat_at=now,
                finished_at=None,
                error=None,
                stage=READING,
                stage_done=0,
                stage_total=len(JOB_STAGES),
                timings={},
            )
        ).rowcount
    return bool(claimed)


def run_job(run_id: int) -> str:
    """Run the analysis of run ``run_id`` (inside an app context); returns the final status,
    or 'skipped' when the run was not waiting to be run."""
    if not _claim(run_id):
        log.info("run %s is not queued; nothing to do", run_id)
        return "skipped"
    app = current_app._get_current_object()
    interval = float(app.config["WORKER_HEARTBEAT_SECONDS"])
    timings: dict[str, float] = {}
    try:
        with _Progress(app, run_id, interval) as progress:
            _analyse(run_id, timings, progress)
        return "succeeded"
    except Exception as error:  # noqa: BLE001 - every failure is recorded in plain words
        db.session.rollback()
        from analysis import InputError  # loaded by now: the analysis ran or was refused

        reason = plain_error(error)
        if isinstance(error, JobFailed | InputError):  # an expected end: the reason only
            log.warning("analysis run %s failed: %s", run_id, reason)
        else:
            log.exception("analysis run %s failed", run_id)
        _set(
            run_id,
            status="failed",
            error=reason,
            finished_at=utcnow(),
            timings=timings,
        )
        return "failed"


def _analyse(run_id: int, timings: dict[str, float], progress: _Progress) -> None:
    from analysis import ThemeModel
    from analysis.flags import SIDE_MARGIN

    run = db.session.get(AnalysisRun, run_id)
    if run is None:
        raise JobFailed("The run was deleted while it waited.")
    settings = dict(run.settings or {})
    if "side_margin" not in settings:
        # Queued before runs recorded it: record the default this run goes on to use.
        settings["side_margin"] = SIDE_MARGIN
        run.settings = dict(settings)
    clock = time.perf_counter()
    answers = answers_for(run.question, settings.get("segments"))
    question_id = run.question_id
    question_text = run.question.text
    db.session.commit()  # end the read transaction before the long fit
    timings[READING] = round(time.perf_counter() - clock, 4)
    if not len(answers):
        raise JobFailed("There are no submitted answers to this question yet.")
    chosen = set(settings.get("segments") or [])
    segments = {name: values for name, values in answers.segments.items() if name in chosen}
    progress.report(stage=JOB_STAGES[1], stage_done=1, timings=dict(timings))

    def on_stage(stage: str, done: int, total: int) -> None:
        following = JOB_STAGES[done + 1]
        progress.report(stage=following, stage_done=done + 1)

    model = ThemeModel(
        n_themes=settings.get("n_themes", "auto"),
        engine=settings.get("engine", "auto"),
        seed=int(settings.get("seed", 0)),
        side_margin=settings["side_margin"],
    )
    model.fit(
        answers.texts,
        ids=answers.references,
        segments=segments,
        agreement=answers.agreement,
        question=question_text,
        on_stage=on_stage,
    )
    clock = time.perf_counter()
    run = db.session.get(AnalysisRun, run_id)
    if run is None or run.question_id != question_id:
        raise JobFailed("The run was deleted while it was running.")
    run.timings = dict(timings)
    store_results(run, answers, model)
    timings.update(run.timings or {})
    db.session.flush()
    _replay_edits(run)
    db.session.flush()
    note_same_themes(run)  # once, not on each view of the report (fixr17b #3)
    timings[SAVING] = round(time.perf_counter() - clock, 4)
    run.timings = dict(timings)
    run.status = "succeeded"
    run.stage = "finished"
    run.stage_done = len(JOB_STAGES)
    run.stage_total = len(JOB_STAGES)
    run.finished_at = utcnow()
    run.heartbeat_at = utcnow()
    run.error = None
    db.session.commit()


def _replay_edits(run: AnalysisRun) -> None:
    """After a rerun's machine themes are stored (flushed, not committed), carry the previous
    run's review edits over with :func:`consult.reports.review.replay_edits`. It runs in a
    savepoint and must not commit: if it fails, the machine results are kept and the failure
    is logged."""
    from .review import replay_edits as replay

    if run.previous_run_id is None:
        return
    previous = db.session.get(AnalysisRun, run.previous_run_id)
    if previous is None:
        return
    try:
        with db.session.begin_nested():
            replay(previous, run)
    except Exception:  # noqa: BLE001 - the machine results stand; the replay is logged
        log.exception("replaying review edits from run %s onto run %s failed", previous.id, run.id)
