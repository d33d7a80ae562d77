"""store33: does a reviewer's recount of a theme, with nothing changed, count its label's point
as the run did? Runs the demo's free-text questions through the app (``bench.demo_app``: 300
responses, seed 2026, each engine, seed 0), then recounts every visible theme the run counted
(``label_point`` not None) as a rename, move or create does
(:func:`consult.reports.review._count_parts` over the answers mentioning it now), twice in
the same process: "before", each theme's ``unlisted_points`` set to None (what a run stored
before store33 has: its summary alone, as the count did until now), and "after", as stored.
Nothing is written (each recount is rolled back).

    OMP_NUM_THREADS=1 nice -n 5 .venv/bin/python -m bench.unlisted_recount \
        [--engines semantic,fast] [--questions N] [--list]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from typing import Any

from bench.common import machine


def recounts(app: Any, runs: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    """Per theme the run counted: engine, run, key, label, the run's count, the recount
    before (``unlisted_points`` None) and after (as stored), and its unlisted points."""
    from consult.extensions import db
    from consult.reports import review
    from consult.reports.models import AnalysisRun

    found = []
    with app.app_context():
        for engine, run_id, _ in runs:
            run = db.session.get(AnalysisRun, run_id)
            keys = [
                t.key for t in review._themes(run) if not t.hidden and t.label_point is not None
            ]
            for key in keys:
                row: dict[str, Any] = {"engine": engine, "run": run_id, "key": key}
                for mode in ("before", "after"):
                    run = db.session.get(AnalysisRun, run_id)
                    themes = review._themes(run)
                    theme = next(t for t in themes if t.key == key)
                    row.update(label=theme.label, run_count=theme.label_point)
                    row["unlisted"] = list(theme.unlisted_points or [])
                    if mode == "before":
                        for each in themes:
                            each.unlisted_points = None
                    rows = review._rows(run, texts=True, keys=[key])
                    review._count_parts(run, [theme], rows)
                    row[mode] = theme.label_point
                    db.session.rollback()
                found.append(row)
        db.session.remove()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="semantic,fast")
    parser.add_argument("--questions", type=int, default=None)
    parser.add_argument("--list", action="store_true", help="print every theme's counts")
    args = parser.parse_args()
    from bench.demo_app import demo_app, run_demo_questions

    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(folder)
        started = time.perf_counter()
        _, runs = run_demo_questions(app, args.engines.split(","), args.questions)
        fitted = time.perf_counter() - started
        found = recounts(app, runs)
    print(f"runs fitted in {fitted:.0f} s; {len(found)} themes counted by their runs")
    for engine in args.engines.split(","):
        mine = [r for r in found if r["engine"] == engine]
        with_unlisted = sum(bool(r["unlisted"]) for r in mine)
        for mode in ("before", "after"):
            recounted = [r for r in mine if r[mode] is not None]
            differ = [r for r in recounted if r[mode] != r["run_count"]]
            print(
                f"{engine} {mode}: {len(mine)} themes, {len(recounted)} recounted, "
                f"{len(differ)} differ from the run's count; "
                f"{with_unlisted} themes have unlisted points"
            )
        for r in mine:
            if args.list or r["before"] != r["run_count"] or r["after"] != r["run_count"]:
                print(
                    f"  run {r['run']} {r['key']} run {r['run_count']} before {r['before']} "
                    f"after {r['after']} unlisted {len(r['unlisted'])}: {r['label'][:70]}"
                )


if __name__ == "__main__":
    main()
