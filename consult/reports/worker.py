"""A background worker: a huey consumer for this app's queue, plus a heartbeat.

Every ``WORKER_HEARTBEAT_SECONDS`` the worker records that it is alive (a
``worker_heartbeat`` row, so pages can say when no worker is running) and sweeps runs whose
own heartbeat went stale: their worker was killed, so they are queued again or marked failed
(a coding whose heartbeat went stale is marked failed, to be applied again).
It sweeps when it starts too. On a stop it gives back any run it could not finish.

huey's own lines about each job are put in plain words (:class:`JobLogWords`): it names a
task with the tries it has left ("... 6 retries"), which read as if a normal job had failed
six times.

Scale out by running more workers, on more machines, against the same Redis and database.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from flask import Flask
from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_EXECUTING, SIGNAL_INTERRUPTED

from .coding import beat_codings, fail_codings, sweep_stale_codings
from .queue import ANALYSIS_TASK, CODING_TASK, DESCRIBE_TASK, describe_storage, get_huey
from .runs import beat, forget_worker, recover_run, sweep_stale_runs

log = logging.getLogger("consult.worker")

# What a describe job does, by the kind of edit that queued it, for the log
DESCRIBE_WORDS = {
    "merge": "describing a merged theme",
    "split": "describing the parts of a split theme",
    "move": "counting again the themes a move changed",
    "create": "describing a created theme and counting the themes it took from",
    "rename": "counting again a renamed theme's points",
}


def job_words(task) -> str:
    """What a huey task does, for the log: 'the analysis of run 5 (job 1f0c...)'."""
    name = getattr(task, "name", "")
    args = getattr(task, "args", None) or ()
    subject = args[0] if args else "?"
    job = str(getattr(task, "id", "") or "")
    if name == ANALYSIS_TASK:
        what = f"the analysis of run {subject}"
    elif name == CODING_TASK:
        what = f"applying the coding model (coding {subject})"
    elif name == DESCRIBE_TASK and len(args) == 3:
        kind = (getattr(task, "kwargs", None) or {}).get("kind")
        what = DESCRIBE_WORDS.get(kind, DESCRIBE_WORDS["merge"])
        what = f"{what} of run {subject} (theme {args[1]}, edit {args[2]})"
    else:
        what = f"job {name or '?'}"
    return f"{what} (job {job})" if job else what


def _tries(left: int) -> str:
    return f"{left} more {'try' if left == 1 else 'tries'}"


# The line huey's consumer starts with, then one "+ task.name" line per task.
COMMANDS_LIST = "The following commands are available:"


class JobLogWords(logging.Filter):
    """Rewrites huey's per-job log lines (logger ``huey``) in plain words.

    huey writes "Executing consult.reports.queue.code: <id> 6 retries" for every job: the
    count is the tries left should the job fail (``JOB_RETRIES``), not failures. A normal
    job now logs "Started ..." and "Finished ... in 3.2 s"; a job that raises logs
    "... failed" at ERROR with its traceback and whether it will be tried again, and its
    requeueing at WARNING. Other lines pass unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.running: dict[str, object] = {}  # task id -> task, from its start to its end
        self.lock = threading.Lock()

    def _hold(self, task) -> None:
        with self.lock:
            self.running[str(getattr(task, "id", ""))] = task

    def _task(self, task_id, forget: bool = False) -> object | None:
        with self.lock:
            if forget:
                return self.running.pop(str(task_id), None)
            return self.running.get(str(task_id))

    def filter(self, record: logging.LogRecord) -> bool:
        message, args = record.msg, record.args
        if isinstance(message, str) and message.startswith(COMMANDS_LIST):
            # huey's consumer lists its tasks one per line, which the log's escaping of line
            # breaks turns into "\n+ consult.reports.queue.analyse\n+ ...".
            kinds = [line[2:].rsplit(".", 1)[-1] for line in message.splitlines()[1:]]
            record.msg, record.args = "Ready to run these jobs: %s", (", ".join(kinds),)
            return True
        if not isinstance(args, tuple):
            return True
        if message == "Executing %s" and len(args) == 1:
            self._hold(args[0])
            record.msg, record.args = "Started %s", (job_words(args[0]),)
        elif message == "%s executed in %0.3fs" and len(args) == 2:
            task, seconds = args
            self._task(getattr(task, "id", ""), forget=True)
            record.msg, record.args = "Finished %s in %.1f s", (job_words(task), seconds)
        elif message == "Unhandled exception in task %s." and len(args) == 1:
            task = self._task(args[0])
            left = int(getattr(task, "retries", 0) or 0)
            if left:
                then = f"it will be tried again ({_tries(left)} at most)"
            else:
                then = "it will not be tried again"
                self._task(args[0], forget=True)
            words = job_words(task) if task is not None else f"job {args[0]}"
            record.msg, record.args = "%s failed; %s", (words[:1].upper() + words[1:], then)
        elif message == "Requeueing %s, %s retries" and len(args) == 2:
            task = self._task(args[0], forget=True)
            words = job_words(task) if task is not None else f"job {args[0]}"
            delay = float(getattr(task, "retry_delay", 0) or 0)
            when = f" in {delay:g} s" if delay else ""
            left = int(args[1])
            last = "its last try" if not left else f"{_tries(left)} after this one"
            record.msg, record.args = "Queued %s again, to retry%s (%s)", (words, when, last)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def worker_name() -> str:
    """This process's name in the heartbeat table: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    """One consumer process: ``workers`` huey worker threads and a heartbeat thread."""

    def __init__(self, app: Flask, workers: int = 1) -> None:
        self.app = app
        self.workers = workers
        self.name = worker_name()
        self.busy: set[int] = set()
        self.busy_codings: set[int] = set()
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.huey = get_huey(app)
        self.huey.signal(SIGNAL_EXECUTING)(self._started)
        self.huey.signal(SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_INTERRUPTED)(self._ended)

    def _run_id(self, task) -> int | None:
        if getattr(task, "name", ANALYSIS_TASK) != ANALYSIS_TASK:
            return None  # a coding job: not an analysis run
        args = getattr(task, "args", None) or ()
        return int(args[0]) if args else None

    def _coding_id(self, task) -> int | None:
        if getattr(task, "name", None) != CODING_TASK:
            return None
        args = getattr(task, "args", None) or ()
        return int(args[0]) if args else None

    def _started(self, signal, task, *args, **kwargs) -> None:
        run_id = self._run_id(task)
        coding_id = self._coding_id(task)
        with self.lock:
            if run_id is not None:
                self.busy.add(run_id)
            if coding_id is not None:
                self.busy_codings.add(coding_id)
        if run_id is not None:
            try:
                self._beat_once()
            except Exception:  # noqa: BLE001 - the job goes on; it records its own failure
                log.warning("could not record the worker's heartbeat for run %s", run_id)

    def _ended(self, signal, task, *args, **kwargs) -> None:
        run_id = self._run_id(task)
        coding_id = self._coding_id(task)
        with self.lock:
            self.busy.discard(run_id)
            self.busy_codings.discard(coding_id)
            idle = not self.busy and not self.busy_codings
        if idle:  # the analysis's per-text caches would keep earlier runs' answers (review20)
            from analysis.remembered import forget

            forget()

    def _beat_once(self) -> None:
        with self.lock:
            busy = min(self.busy) if self.busy else None
            codings = sorted(self.busy_codings)
        with self.app.app_context():
            beat(self.name, busy)
            beat_codings(codings)

    def _heartbeat_loop(self) -> None:
        interval = float(self.app.config["WORKER_HEARTBEAT_SECONDS"])
        while not self.stop_event.wait(interval):
            try:
                self._beat_once()
                with self.lock:
                    mine = set(self.busy_codings)
                with self.app.app_context():
                    recovered = sweep_stale_runs()
                    lost_codings = sweep_stale_codings(running_here=mine)
                for run_id, outcome in recovered.items():
                    log.warning("run %s lost its worker and was %s", run_id, outcome)
                for coding_id in lost_codings:
                    log.warning("coding %s lost its worker and was failed", coding_id)
            except Exception:  # noqa: BLE001 - keep beating through a database hiccup
                log.warning("worker heartbeat failed", exc_info=True)

    def run(self) -> None:
        """Consume jobs until stopped (Ctrl+C finishes the jobs under way; SIGTERM stops
        at once and gives unfinished runs back to the queue)."""
        import analysis.api  # noqa: F401  (load the engine once, before the first job)

        from .runs import library_versions

        library_versions()

        try:
            with self.app.app_context():
                beat(self.name)
                for run_id, outcome in sweep_stale_runs().items():
                    log.warning("run %s lost its worker and was %s", run_id, outcome)
                for coding_id in sweep_stale_codings():
                    log.warning("coding %s lost its worker and was failed", coding_id)
        except Exception:  # noqa: BLE001 - the database down or locked: keep going
            log.warning("the database is unavailable; the worker will retry", exc_info=True)
        log.info(
            "Worker %s: %d thread(s) on %s", self.name, self.workers, describe_storage(self.app)
        )
        heartbeat = threading.Thread(target=self._heartbeat_loop, name="worker-heartbeat")
        heartbeat.daemon = True
        heartbeat.start()
        words = JobLogWords()
        huey_log = logging.getLogger("huey")
        huey_log.addFilter(words)
        consumer_log = logging.getLogger("huey.consumer")  # a filter is not inherited
        consumer_log.addFilter(words)
        consumer = self.huey.create_consumer(
            workers=self.workers,
            worker_type="thread",
            periodic=False,
            initial_delay=0.1,
            backoff=1.15,
            max_delay=float(self.app.config["WORKER_POLL_SECONDS"]),
            check_worker_health=True,
        )
        try:
            consumer.run()
        finally:
            huey_log.removeFilter(words)
            consumer_log.removeFilter(words)
            self.stop_event.set()
            heartbeat.join(timeout=5)
            with self.app.app_context():
                with self.lock:
                    unfinished = sorted(self.busy)
                    unfinished_codings = sorted(self.busy_codings)
                for run_id in unfinished:
                    outcome = recover_run(run_id)
                    if outcome:
                        log.warning("run %s was not finished and was %s", run_id, outcome)
                if fail_codings(unfinished_codings):
                    log.warning("codings %s were not finished and were failed", unfinished_codings)
                forget_worker(self.name)
