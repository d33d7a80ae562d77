"""An edited rerun's report page with 10,000 answers: the "Same themes as run N" compare,
once per view (before left18) or once per edit (after), median request time, warm.

    .venv/bin/python -m bench.same_themes_edited [--responses 10000] [--repeat 15]
        [--database URL]

Builds a database (a throwaway SQLite file, or the empty PostgreSQL database ``URL``,
migrated) with the demo consultation, a stored run of N answers
(tests/reports/stored_runs.py) and a rerun with the same themes that follows it, with one
review edit (so the comparison stored when it finished no longer holds). Times the rerun's
report page through Flask's test client, signed in as an analyst: "before" empties the
comparison cache before each request (the answers of both runs compared on every view, as
before), "after" keeps it (compared on the first view after the edit only). Also times
``same_themes`` alone both ways. Two warm-up requests each are not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_INSTANCE_PATH"] = folder
        from flask_migrate import upgrade

        from consult import create_app
        from consult.demo import build_consultation
        from consult.extensions import db
        from consult.reports import review, theme_numbers
        from consult.reports.models import AnalysisRun
        from tests.helpers import hidden_fields
        from tests.reports.stored_runs import store_synthetic_run
        from tests.reports.test_smoke17_pages import copy_run
        from tests.staff_helpers import PASSWORD, make_user

        url = args.database or f"sqlite:///{folder}/bench.sqlite"
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            upgrade()
            consultation, _ = build_consultation()
            db.session.commit()
            question = next(q for q in consultation.questions if q.is_text)
            first = store_synthetic_run(consultation, question, responses=args.responses)
            second = copy_run(first)
            theme_numbers.note_same_themes(second)
            db.session.add(
                review.ThemeEdit(run_id=second.id, kind="reviewed", payload={"key": "T01"})
            )
            db.session.commit()
            first_id, second_id = first.id, second.id
            make_user("analyst")
            db.session.remove()
        client = app.test_client()
        page = client.get("/staff/sign-in")
        client.post(
            "/staff/sign-in",
            data={**hidden_fields(page), "email": "analyst@example.org", "password": PASSWORD},
        )
        report = f"/staff/reports/runs/{second_id}"

        def view(cold: bool) -> float:
            if cold:
                theme_numbers._SAME_CACHE.clear()
            started = time.perf_counter()
            assert client.get(report).status_code == 200
            return time.perf_counter() - started

        def compare(cold: bool) -> float:
            with app.app_context():
                run, earlier = (
                    db.session.get(AnalysisRun, second_id),
                    db.session.get(AnalysisRun, first_id),
                )
                if cold:
                    theme_numbers._SAME_CACHE.clear()
                started = time.perf_counter()
                assert theme_numbers.same_themes(run, earlier)
                return time.perf_counter() - started

        figures = {}
        for name, timing in (("page", view), ("same_themes", compare)):
            for cold in (True, False):
                for _ in range(2):
                    timing(cold)
                figures[(name, "before" if cold else "after")] = median_ms(
                    [timing(cold) for _ in range(args.repeat)]
                )
        backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        print(f"{backend}, {args.responses:,} answers, median of {args.repeat} (ms):")
        for name in ("page", "same_themes"):
            before, after = figures[(name, "before")], figures[(name, "after")]
            print(
                f"  {name:12} before {before:8.1f}  after {after:8.1f}  ratio {after / before:.3f}"
            )


if __name__ == "__main__":
    main()
