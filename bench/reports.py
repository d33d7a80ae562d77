"""A stored analysis run against the engine alone, on the demo's free-text questions.

    .venv/bin/python -m bench.reports [--responses 300] [--repeats 3] [--engine fast] [--write]

Builds a throwaway SQLite database with the demo consultation and its synthetic responses.
For each free-text question, in the same process and alternating: the engine's own time
(``ThemeModel.fit`` on the question's answers, already in memory) and the job's time end to end
(``consult.reports.jobs.run_job``: read the answers from the database, fit with progress
written after each stage, store themes and per-response assignments). Medians of the repeats;
the job must stay within 10 % of the engine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from bench.common import machine, write_section


def engine_seconds(answers, segments: dict, engine: str) -> float:
    """The engine alone on answers already in memory."""
    from analysis import ThemeModel

    started = time.perf_counter()
    ThemeModel(engine=engine, seed=0).fit(
        answers.texts, ids=answers.references, segments=segments, agreement=answers.agreement
    )
    return time.perf_counter() - started


def job_seconds(consultation, question, settings: dict) -> tuple[float, float]:
    """The job end to end (read, fit with progress, store), and the part of it that was the
    engine's own stages (from the run's timings)."""
    from consult.extensions import db
    from consult.reports import runs
    from consult.reports.jobs import ENGINE_STAGES, run_job
    from consult.reports.models import AnalysisRun

    run = runs.start_run(consultation, question, settings, actor="bench")
    started = time.perf_counter()
    status = run_job(run.id)
    seconds = time.perf_counter() - started
    run = db.session.get(AnalysisRun, run.id)
    assert status == "succeeded", run.error
    return seconds, sum(run.timings[stage] for stage in ENGINE_STAGES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engine", default="fast")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_INSTANCE_PATH"] = folder
        from flask_migrate import upgrade

        from consult import create_app
        from consult.demo import load_demo
        from consult.extensions import db
        from consult.models import Consultation
        from consult.reports import runs

        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"})
        rows = []
        with app.app_context():
            upgrade()
            load_demo(responses=args.responses, seed=2026)
            consultation = db.session.scalar(db.select(Consultation))
            settings = {"engine": args.engine, "seed": 0, "segments": ["partner_type"]}
            for number, question in runs.analysable_questions(consultation):
                answers = runs.answers_for(question, settings["segments"])
                segments = {"partner_type": answers.segments["partner_type"]}

                engine_seconds(answers, segments, args.engine)  # warm caches for both
                engine_times, job_times, overheads = [], [], []
                for _ in range(args.repeats):
                    engine_times.append(engine_seconds(answers, segments, args.engine))
                    job, inside = job_seconds(consultation, question, settings)
                    job_times.append(job)
                    overheads.append(job - inside)
                engine = statistics.median(engine_times)
                job = statistics.median(job_times)
                overhead = statistics.median(overheads)
                rows.append((number, len(answers), engine, job, overhead))
                print(f"Q{number}", len(answers), engine, job, overhead, flush=True)
    load_after = os.getloadavg()[0]
    total_engine = sum(r[2] for r in rows)
    total_job = sum(r[3] for r in rows)
    lines = [
        "## Stored analysis runs (`bench/reports.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.reports --responses {args.responses} "
        f"--repeats {args.repeats} --engine {args.engine} --write`. Machine: {machine()}. "
        f"The demo consultation with {args.responses} synthetic responses in SQLite. For each "
        "free-text question, in one process and alternating, medians of "
        f"{args.repeats} repeats: the engine alone (`ThemeModel.fit` on answers in memory) "
        "and the job end to end (`run_job`: read the answers from the database, fit writing "
        "progress after each stage, store the themes and per-response assignments). "
        "Queue pick-up is not included (an idle worker looks at an SQLite queue at least "
        "every second; with Redis it waits on the queue). Load average while it ran: "
        f"{load_before:.1f} at the start, {load_after:.1f} at the end (the machine is shared; "
        "above 2 the separate timings of engine and job are noisy).",
        "",
        "| Question | Answers | Engine s | Job s | Job / engine | Job's own work s | "
        "Own work / engine |",
        "|---|---|---|---|---|---|---|",
    ]
    for number, count, engine, job, overhead in rows:
        lines.append(
            f"| Q{number} | {count} | {engine:.2f} | {job:.2f} | {job / engine:.3f} | "
            f"{overhead:.2f} | {100 * overhead / engine:.1f} % |"
        )
    total_overhead = sum(r[4] for r in rows)
    lines += [
        f"| all | {sum(r[1] for r in rows)} | {total_engine:.2f} | {total_job:.2f} | "
        f"{total_job / total_engine:.3f} | {total_overhead:.2f} | "
        f"{100 * total_overhead / total_engine:.1f} % |",
        "",
        f"Over all questions the job takes {100 * (total_job / total_engine - 1):+.1f} % of the "
        "engine's own time (target: within 10 %). \"Job's own work\" is the job's time minus "
        "the engine stages inside that same job (from the run's stored timings: reading "
        "answers, progress and heartbeat writes, storing): it is measured within one run, so "
        "it does not carry the noise between separate runs that the ratio of medians does on "
        "a shared machine.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("reports", text)


if __name__ == "__main__":
    main()
