"""The demo app the report benchmarks read: a Flask app on a fresh SQLite database holding the
demo consultation, and its free-text questions analysed (one setup for
``bench/word_reports.py`` and ``bench/readability.py``; review fixr2 #7)."""

from __future__ import annotations

import os
from typing import Any

DEMO_RESPONSES = 300
DEMO_SEED = 2026
SEGMENTS = ["partner_type", "area"]


def demo_app(folder: str, responses: int = DEMO_RESPONSES, seed: int = DEMO_SEED) -> Any:
    """The app, its instance and SQLite database in ``folder`` (a temporary directory the
    caller removes), with the demo consultation loaded (``responses``, ``seed``)."""
    os.environ["CONSULT_INSTANCE_PATH"] = folder
    from flask_migrate import upgrade

    from consult import create_app
    from consult.demo import load_demo
    from consult.extensions import db

    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"})
    with app.app_context():
        upgrade()
        load_demo(responses=responses, seed=seed)
        db.session.remove()
    return app


def run_demo_questions(
    app: Any, engines: list[str], questions: int | None = None
) -> tuple[int, list[tuple[str, int, int]]]:
    """Each engine's run of each analysable question (the first ``questions`` of them; all
    for None), broken down by partner type and area, run to the end in this process: the
    consultation's id and (engine, run id, question id) per run, engine by engine."""
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Consultation
    from consult.reports import runs
    from consult.reports.jobs import run_job

    with app.app_context():
        consultation = db.session.scalar(select(Consultation))
        chosen = [question for _, question in runs.analysable_questions(consultation)]
        done: list[tuple[str, int, int]] = []
        for engine in engines:
            for question in chosen[:questions]:
                settings = {"engine": engine, "seed": 0, "segments": list(SEGMENTS)}
                run = runs.start_run(consultation, question, settings, actor="bench")
                assert run_job(run.id) == "succeeded", engine
                done.append((engine, run.id, question.id))
        consultation_id = consultation.id
        db.session.remove()
    return consultation_id, done
