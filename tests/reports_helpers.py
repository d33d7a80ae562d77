"""Helpers for theme-report tests: responses with answers, the demo, a worker process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import select

from consult.demo import DEMO_SLUG, load_demo
from consult.extensions import db
from consult.models import Answer, Consultation, Question, Response, utcnow
from consult.reports.models import AnalysisRun
from consult.tokens import new_reference

ROOT = Path(__file__).resolve().parent.parent


def add_responses(
    consultation: Consultation,
    answers: Iterable[dict[Question, str]],
    *,
    partner_type: str | None = "business",
    area: str | None = "coventry",
    size_band: str | None = None,
    status: str = "submitted",
) -> list[Response]:
    """Submitted (or draft) responses, one per dict of question -> stored answer value."""
    made = []
    for values in answers:
        response = Response(
            consultation=consultation,
            reference=new_reference(),
            status=status,
            organisation_name="Test organisation",
            partner_type=partner_type,
            area=area,
            size_band=size_band,
            submitted_at=utcnow() if status == "submitted" else None,
        )
        for question, value in values.items():
            response.answers.append(Answer(question_id=question.id, value=value))
        db.session.add(response)
        made.append(response)
    db.session.commit()
    return made


def demo(responses: int = 120, seed: int = 2026) -> Consultation:
    """The demo consultation with synthetic responses."""
    load_demo(responses=responses, seed=seed)
    return db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG))


def question_numbered(consultation: Consultation, text: str, nth: int = 1) -> tuple[int, Question]:
    """The nth question whose text starts with ``text``, with its number."""
    found = [
        (number, q)
        for number, q in enumerate(consultation.questions, start=1)
        if q.text.startswith(text)
    ]
    return found[nth - 1]


def fresh_run(run_id: int) -> AnalysisRun:
    """The run as stored now (other processes write it)."""
    db.session.commit()
    db.session.expire_all()
    return db.session.get(AnalysisRun, run_id)


def wait_until(check: Callable[[], object], timeout: float = 120, poll: float = 0.05):
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"gave up after {timeout} s waiting for {check}")


def worker_environment(database_url: str, instance: Path, **settings) -> dict[str, str]:
    """Environment for a ``flask --app consult worker`` process on the test's database."""
    env = dict(os.environ)
    for key in list(env):
        if key.startswith("CONSULT_") and key not in (
            "CONSULT_ANALYSIS_CACHE",
            "CONSULT_COMPILED_TEMPLATES_FOLDER",
            # under `make test`, the guard's stand-in (tests/workers.py, EncoderGuard): a
            # server or worker reading the coding encoder is then seen, as in-process reads are
            "CONSULT_CODING_ENCODER",
        ):
            del env[key]
    env["CONSULT_INSTANCE_PATH"] = str(instance)
    env["CONSULT_DATABASE_URL"] = database_url
    for key, value in settings.items():
        if value is not None:
            env[f"CONSULT_{key}"] = str(value)
    return env


class WorkerProcess:
    """A real worker: ``python -m flask --app consult worker`` in a subprocess."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "consult", "worker"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.terminated = False  # SIGTERM sent

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, like a machine dying."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def terminate(self) -> None:
        """SIGTERM without waiting (a server can stop meanwhile); :meth:`stop` then waits."""
        if not self.terminated and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.terminated = True

    def stop(self) -> None:
        """SIGTERM (once: not again after :meth:`terminate`) and wait for the worker to exit."""
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        if not self.log.closed:
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")
