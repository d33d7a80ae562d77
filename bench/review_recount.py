"""What a reviewer's large move, create or rename costs the web request, before (its themes'
points counted again in the request, :func:`consult.reports.review._count_changed`, and a
created theme described there) and now (over ``RECOUNT_IN_REQUEST_AT_MOST`` answers, left
to the job worker: :mod:`consult.reports.recount_later`), on a stored run of 2,000 NHS
Friends and Family Test answers (``$CONSULT_DATA_DIR``) with the fast and the semantic
engine, CPU and wall seconds, median of 3; and the worker's job that does the rest.

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python -m bench.review_recount [--responses 2000]
        [--cold]

The run is :func:`bench.review.build`'s (12 themes, a fifth of the answers with a second
theme) with the NHS answers as its texts and each theme given three summary points (its
first three answers), so the semantic engine has points to count. One untimed call first
fills the sentence-vector cache (a temporary one), as the run itself would have; with
``--cold`` every timed call starts from an empty cache instead (a web process that does not
share the worker's cache: another machine or user). Each repeat is undone before the next.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from bench.common import machine

COLD: list[str] = []  # set: the folder under which each call gets an empty vector cache


def timed(call: Callable[[], object]) -> tuple[float, float, object]:
    """Wall and process CPU seconds of ``call``, and its result."""
    if COLD:
        COLD.append(os.path.join(COLD[0], str(len(COLD))))
        os.environ["CONSULT_ANALYSIS_CACHE"] = COLD[-1]
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def prepare(run_id: int, texts: list[str]) -> None:
    """The NHS answers as the run's texts; each theme's first three answers as its points."""
    from sqlalchemy import select, update

    from consult.extensions import db
    from consult.reports.models import RunAssignment, RunTheme

    ids = db.session.scalars(
        select(RunAssignment.id).where(RunAssignment.run_id == run_id).order_by(RunAssignment.id)
    ).all()
    for row_id, text in zip(ids, texts, strict=False):
        db.session.execute(
            update(RunAssignment).where(RunAssignment.id == row_id).values(text=text)
        )
    for theme in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id)):
        first = db.session.execute(
            select(RunAssignment.reference, RunAssignment.text)
            .where(RunAssignment.theme_id == theme.id)
            .order_by(RunAssignment.id)
            .limit(3)
        ).all()
        theme.summary = [{"text": text.split(".")[0][:200], "ids": [ref]} for ref, text in first]
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engines", nargs="+", default=["fast", "semantic"])
    parser.add_argument("--cold", action="store_true", help="an empty vector cache each call")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_INSTANCE_PATH"] = folder
        os.environ["CONSULT_ANALYSIS_CACHE"] = os.path.join(folder, "vectors")

        from bench.review import build, fresh_run, theme_references
        from bench.review_merge import nhs_answers
        from consult import create_app
        from consult.extensions import db
        from consult.reports import merging, review
        from consult.reports.models import AnalysisRun

        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context():
            run_id = build(args.responses)
            prepare(run_id, nhs_answers(args.responses)[0])
            if args.cold:
                COLD.append(os.path.join(folder, "cold"))

            def run() -> AnalysisRun:
                return fresh_run(run_id)

            def refs(key: str, count: int) -> list[str]:
                return theme_references(run_id, key, count)

            wide = [
                ref for key in ("T01", "T02", "T03", "T04", "T05", "T06") for ref in refs(key, 100)
            ]
            operations: dict[str, Callable[[int | None], object]] = {
                "move 50 answers (2 themes)": lambda at: review.move_responses(
                    run(), refs("T01", 50), "T02", None, recount_at_most=at
                ),
                "move 600 answers (7 themes)": lambda at: review.move_responses(
                    run(), wide, "T07", None, recount_at_most=at
                ),
                "create, pull in 300": lambda at: review.create_theme(
                    run(), "Hand made", refs("T03", 2), None, pull_in=300, recount_at_most=at
                ),
                "rename": lambda at: review.rename_theme(
                    run(), "T01", "Buses, renamed", None, recount_at_most=at
                ),
            }
            lines = []
            for engine in args.engines:
                stored = run()
                stored.engine_used = engine
                stored.settings = {**(stored.settings or {}), "engine": engine}
                db.session.commit()
                for name, call in operations.items():
                    call(None)  # untimed: fills the vector cache as the run did
                    edit = review.history(run())[0]
                    answers = len(review._rows(run(), keys=edit.theme_keys))
                    review.undo(run(), edit.id, None)
                    cells = []
                    worker = []
                    for at_most in (None, 0):
                        runs = []
                        for _ in range(args.repeats):
                            runs.append(timed(lambda call=call, at=at_most: call(at))[:2])
                            edit = review.history(run())[0]
                            if at_most is not None:
                                waiting = [t for t in run().themes if t.describing == edit.id]
                                worker.append(
                                    timed(
                                        lambda w=waiting[0], e=edit: merging.describe_later(
                                            run_id, w.id, e.id
                                        )
                                    )[:2]
                                )
                            review.undo(run(), edit.id, None)
                        wall = statistics.median(r[0] for r in runs)
                        cpu = statistics.median(r[1] for r in runs)
                        cells.append(f"{cpu:.2f} / {wall:.2f}")
                    job = f"{statistics.median(r[1] for r in worker):.2f}"
                    lines.append(
                        f"| {engine} | {name} | {answers:,} | {cells[0]} | {cells[1]} | {job} |"
                    )
                    print(lines[-1], flush=True)
            load = os.getloadavg()[0]
    print(
        f"\nMachine: {machine()}; load average {load:.1f} at the end; vector cache "
        f"{'empty at each call' if args.cold else 'warm'}.\n\n"
        "| Engine | Edit | Answers in the changed themes | Before: request CPU / wall s | "
        "Now (left to the worker): request CPU / wall s | Worker's job CPU s |\n"
        "|---|---|---|---|---|---|"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
