"""Review actions on a run of 10,000 responses: each operation's median time.

    .venv/bin/python -m bench.review [--responses 10000] [--repeats 7] [--write]

Builds a throwaway SQLite database with the demo consultation, N submitted responses to one
free-text question and a stored run of them (12 themes, one or two themes per response,
partner-type breakdowns), then times each review operation of
:mod:`consult.reports.review` (including its commit), undoing it after each repeat so every
repeat starts from the same state. Split re-clusters one theme's own responses with the fast
engine and is reported with that theme's size.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time

from sqlalchemy import insert, select

from bench.common import machine, write_section

TOPICS = [
    ("buses", "late buses, unreliable timetables, evening routes and fares"),
    ("cycling", "safe cycle lanes, protected bike routes and secure parking"),
    ("housing", "affordable homes, social housing and rents near stations"),
    ("skills", "apprenticeships, adult skills courses and college funding"),
    ("trams", "tram extensions, Metro reliability and park and ride"),
    ("air", "clean air, pollution near schools and electric vehicles"),
    ("jobs", "good jobs, local employers and the living wage"),
    ("health", "health services, GP access and wellbeing"),
    ("digital", "broadband, digital inclusion and connectivity"),
    ("energy", "retrofit, insulation and energy bills"),
    ("culture", "culture, events and the visitor economy"),
    ("funding", "single settlement funding and local control of budgets"),
]
PARTNERS = ["business", "university", "council", "vcse", "fe_college", "school"]


def build(responses: int) -> int:
    """The demo consultation, responses and a stored run; returns the run id."""
    from flask_migrate import upgrade

    from consult.demo import build_consultation
    from consult.extensions import db
    from consult.models import Answer, Response, utcnow
    from consult.reports import review
    from consult.reports.models import AnalysisRun, RunAssignment, RunTheme

    upgrade()
    consultation, _ = build_consultation()
    db.session.commit()
    question = next(q for q in consultation.questions if q.is_text)
    rng = random.Random(0)
    now = utcnow()
    texts, partners = [], []
    rows = []
    for i in range(responses):
        topic = i % len(TOPICS)
        words = TOPICS[topic][1].replace(",", "").split()
        texts.append(
            " ".join(rng.sample(words, min(6, len(words)))) + f" point {rng.randint(1, 50)}"
        )
        partners.append(PARTNERS[rng.randrange(len(PARTNERS))])
        rows.append(
            {
                "consultation_id": consultation.id,
                "reference": f"WM-R{i:07d}",
                "status": "submitted",
                "submitted_at": now,
                "version": 1,
                "organisation_name": f"Organisation {i}",
                "partner_type": partners[-1],
                "area": "walsall",
                "last_page": "check",
                "source": "web",
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = db.session.execute(insert(Response).returning(Response.id), rows).scalars().all()
    db.session.execute(
        insert(Answer),
        [
            {"response_id": r, "question_id": question.id, "value": t, "updated_at": now}
            for r, t in zip(ids, texts, strict=True)
        ],
    )
    run = AnalysisRun(
        consultation_id=consultation.id,
        question_id=question.id,
        status="succeeded",
        settings={"engine": "fast", "n_themes": 12, "seed": 0, "segments": ["partner_type"]},
        engine_used="fast",
        input_count=responses,
        finished_at=now,
    )
    db.session.add(run)
    db.session.flush()
    themes = [
        RunTheme(
            run_id=run.id,
            key=f"T{i + 1:02d}",
            position=i,
            label=name.capitalize(),
            keywords=words.split()[:5],
            stability=0.9,
            quotes=[],
            summary=[],
            stance={},
            segments={},
            origin="machine",
        )
        for i, (name, words) in enumerate(TOPICS)
    ]
    db.session.add_all(themes)
    db.session.flush()
    stances = ["for", "against", "mixed", "unclear"]
    db.session.execute(
        insert(RunAssignment),
        [
            {
                "run_id": run.id,
                "response_id": ids[i],
                "reference": f"WM-R{i:07d}",
                "text": texts[i],
                "theme_id": themes[i % len(TOPICS)].id,
                "themes": [[themes[i % len(TOPICS)].key, 0.8]]
                + ([[themes[(i + 1) % len(TOPICS)].key, None]] if i % 5 == 0 else []),
                "confidence": 0.8,
                "stance": stances[i % 4],
                "sentiment": round(rng.uniform(-1, 1), 4),
                "flags": [],
                "moved_by_hand": False,
                "segments": {"partner_type": partners[i]},
            }
            for i in range(responses)
        ],
    )
    db.session.flush()
    stored = list(db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id)))
    review.recompute(run, stored, review._rows(run), changed=None)
    db.session.commit()
    return run.id


CPU_TIMES: list[float] = []


def timed(call) -> tuple[float, object]:
    """Wall seconds of the call (its process CPU seconds are appended to CPU_TIMES)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = call()
    CPU_TIMES.append(time.process_time() - cpu)
    return time.perf_counter() - started, result


def fresh_run(run_id: int):
    """The stored run, read again (an edit's own session state forgotten); in an app context."""
    from consult.extensions import db
    from consult.reports.models import AnalysisRun

    db.session.expire_all()
    return db.session.get(AnalysisRun, run_id)


def theme_references(run_id: int, key: str, count: int) -> list[str]:
    """The first ``count`` references whose main theme is ``key``, in stored order."""
    from consult.extensions import db
    from consult.reports.models import RunAssignment, RunTheme

    theme = db.session.scalar(
        select(RunTheme).where(RunTheme.run_id == run_id, RunTheme.key == key)
    )
    return list(
        db.session.scalars(
            select(RunAssignment.reference)
            .where(RunAssignment.theme_id == theme.id)
            .order_by(RunAssignment.id)
            .limit(count)
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_INSTANCE_PATH"] = folder
        from consult import create_app
        from consult.reports import review

        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context():
            started = time.perf_counter()
            run_id = build(args.responses)
            setup = time.perf_counter() - started

            def run():
                return fresh_run(run_id)

            def refs(key: str, count: int) -> list[str]:
                return theme_references(run_id, key, count)

            operations = {
                "rename": lambda: review.rename_theme(run(), "T01", "Buses, renamed", None),
                "describe": lambda: review.rename_theme(
                    run(), "T01", "Buses", None, "What partners said about buses."
                ),
                "mark reviewed": lambda: review.mark_reviewed(run(), "T01", None),
                "merge 2 themes": lambda: review.merge_themes(run(), ["T01", "T02"], None),
                "merge 4 themes": lambda: review.merge_themes(
                    run(), ["T01", "T02", "T03", "T04"], None
                ),
                "move 1 response": lambda: review.move_responses(
                    run(), refs("T01", 1), "T02", None
                ),
                "move 50 responses": lambda: review.move_responses(
                    run(), refs("T01", 50), "T02", None
                ),
                "create from 2 examples, pull in 10": lambda: review.create_theme(
                    run(), "Hand made", refs("T03", 2), None, pull_in=10
                ),
            }
            results = []
            for name, call in operations.items():
                times, undos, cpus = [], [], []
                for _ in range(args.repeats):
                    seconds, _ = timed(call)
                    times.append(seconds)
                    cpus.append(CPU_TIMES[-1])
                    edit = review.history(run())[0]
                    seconds, _ = timed(lambda edit=edit: review.undo(run(), edit.id, None))
                    undos.append(seconds)
                results.append(
                    (
                        name,
                        statistics.median(times),
                        statistics.median(cpus),
                        statistics.median(undos),
                    )
                )
                print(name, *(round(v * 1000) for v in results[-1][1:]), flush=True)
            size = run().visible_themes[4].size
            split_times = []
            for _ in range(3):
                seconds, _ = timed(lambda: review.split_theme(run(), "T05", 2, None))
                split_times.append(seconds)
                review.undo(run(), review.history(run())[0].id, None)
            split = statistics.median(split_times)
            print("split", round(split * 1000), flush=True)
            load = os.getloadavg()[0]
    lines = [
        "## Review actions (`bench/review.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.review --responses {args.responses} "
        f"--repeats {args.repeats} --write`. Machine: {machine()}. A stored run of "
        f"{args.responses:,} responses to one question (12 themes, a fifth of responses with "
        f"a second theme, partner-type breakdowns) in SQLite (built in {setup:.0f} s). Median "
        f"of {args.repeats} repeats of each operation of `consult/reports/review.py`, commit "
        "included, each followed by its undo (also timed) so every repeat starts from the same "
        "state. Target: under 500 ms each, except split and merge (both fit the engine on "
        "the theme's answers). Wall time depends on what else the "
        f"machine runs (load average {load:.1f} at the end of this run on {os.cpu_count()} "
        "vCPUs), so the CPU time the process itself spent is shown too.",
        "",
        "| Operation | Median ms (wall) | Median ms (process CPU) | Its undo, median ms (wall) |",
        "|---|---|---|---|",
    ]
    for name, seconds, cpu, undo in results:
        lines.append(f"| {name} | {seconds * 1000:.0f} | {cpu * 1000:.0f} | {undo * 1000:.0f} |")
    lines += [
        "",
        f"Split of a theme of {size:,} responses into 2 (re-clustering only them with the fast "
        f"engine), median of 3: {split * 1000:.0f} ms.",
        "",
        "A membership change (merge, split, move, create) recounts only the themes it "
        "changed, from their own assignments (one query filtered by theme), takes per-segment "
        "totals from one grouped query, redoes the multiple-comparison correction over every "
        "theme's stored p-values, and writes back only the changed codings (one executemany). "
        "Create also fits a TF-IDF on all the run's texts to find the responses most like "
        "the examples. Merge also fits the run's engine (here the fast one) on the merged "
        "theme's answers as one theme, to find its keywords and summary again "
        "(`consult/reports/merging.py`): about 2 s of CPU, nearly all of it the fit's fixed "
        "cost (a one-theme fit of 300 or of 1,666 answers both took about 1 s of CPU alone); "
        "before it kept the parts' keywords and summaries (median 238 ms for 2 themes, "
        "351 ms for 4, at load 4.2), which described the parts, not the merged theme.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("review", text)


if __name__ == "__main__":
    main()
