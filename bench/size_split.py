"""The organisation-size breakdown's "Not given" split at scale: the query that splits the
answers giving no size into "not asked (not a business)" and "a business that did not say",
per theme (:func:`consult.reports.pages._size_not_given`), and the pages that show it.

    .venv/bin/python -m bench.size_split [--responses 100000] [--themes 12] [--repeat 5]
        [--database-url URL] [--write]

Builds the demo consultation and a stored, succeeded run of N assignments segmented by
partner type and size band, the size given by businesses only (a business in seven gives
none), in a throwaway SQLite database, or in the PostgreSQL database ``--database-url``
names (its tables are dropped and made again: give it a database of your own). Times the
split's query alone (a fresh run object each time, so nothing is cached) and whole requests
through Flask's test client as a signed-in analyst: the report page and a theme's page (each
shows the size table with the split). Medians of ``--repeat`` after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from bench.common import machine, read_section, write_section

SECTION = "left26-size-split"


def median_seconds(call, repeat: int) -> float:
    """The median wall time of ``call`` over ``repeat`` runs, after one warm-up."""
    call()
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def measure(url: str, responses: int, themes: int, repeat: int) -> dict[str, float]:
    """Build the run in the database at ``url`` and time the split and its pages."""
    from flask_migrate import upgrade

    from consult import create_app
    from consult.demo import build_consultation
    from consult.extensions import db
    from consult.reports import pages
    from consult.reports.models import AnalysisRun
    from tests.helpers import hidden_fields
    from tests.reports.stored_runs import store_synthetic_run
    from tests.staff_helpers import PASSWORD, make_user

    app = create_app({"DATABASE_URL": url})
    figures: dict[str, float] = {}
    with app.app_context():
        if url.startswith("postgresql"):
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()
        consultation, _ = build_consultation()
        db.session.commit()
        question = next(q for q in consultation.questions if q.is_text)
        started = time.perf_counter()
        run = store_synthetic_run(
            consultation,
            question,
            responses=responses,
            themes=themes,
            segments=("partner_type", "size_band"),
            size_of_businesses_only=True,
        )
        figures["build"] = time.perf_counter() - started
        run_id = run.id
        if url.startswith("postgresql"):
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        make_user("analyst")

        def split() -> None:
            db.session.expire_all()
            fresh = db.session.get(AnalysisRun, run_id)
            fresh.__dict__.pop("_size_not_given", None)  # its once-per-session cache
            found = pages._size_not_given(fresh)
            assert sum(found["of"].values()) > 0
            db.session.rollback()

        figures["split query"] = median_seconds(split, repeat)
        found = pages._size_not_given(db.session.get(AnalysisRun, run_id))
        figures["not asked"] = found["of"]["not_asked"]
        figures["business not given"] = found["of"]["business_not_given"]
        db.session.remove()
    client = app.test_client()
    page = client.get("/staff/sign-in")
    client.post(
        "/staff/sign-in",
        data={**hidden_fields(page), "email": "analyst@example.org", "password": PASSWORD},
    )
    for name, path in (
        ("report page", f"/staff/reports/runs/{run_id}"),
        ("theme page", f"/staff/reports/runs/{run_id}/themes/T02"),
    ):

        def get(path=path) -> None:
            response = client.get(path)
            assert response.status_code == 200, path
            assert b"a business that did not say" in response.data, path

        figures[name] = median_seconds(get, repeat)
    with app.app_context():
        if url.startswith("postgresql"):
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100000)
    parser.add_argument("--themes", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--label", default="", help="what this measures (before, after)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_INSTANCE_PATH"] = folder
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
        load = os.getloadavg()[0]
        figures = measure(url, args.responses, args.themes, args.repeat)
        load = max(load, os.getloadavg()[0])
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    row = (
        f"| {args.label or '-'} | {backend} | {args.responses:,} | "
        f"{figures['split query'] * 1000:.0f} | {figures['report page'] * 1000:.0f} | "
        f"{figures['theme page'] * 1000:.0f} | {load:.1f} |"
    )
    print(
        f"built in {figures['build']:.0f} s; not asked {figures['not asked']:,}, "
        f"business not given {figures['business not given']:,}"
    )
    print(row, flush=True)
    if args.write:
        write_rows(row, args)


def write_rows(row: str, args: argparse.Namespace) -> None:
    """Add ``row`` to this bench's table (between its markers, inside the left26 section,
    wherever it lives: BENCHMARKS.md or a history file), replacing an earlier row of the same
    code, database and size."""
    block = read_section(SECTION) or ""
    rows = [line for line in block.splitlines() if line.startswith("| ")]
    rows = [line for line in rows if not line.startswith("| code |")]
    same = row.split("|")[1:4]
    rows = [line for line in rows if line.split("|")[1:4] != same] + [row]
    write_section(
        SECTION,
        "\n".join(
            [
                f"Command: `.venv/bin/python -m bench.size_split --responses {args.responses} "
                f"--themes {args.themes} --repeat {args.repeat} --label CODE "
                "[--database-url URL] --write`. Machine: " + machine() + ".",
                "",
                "| code | database | responses | split query ms | report page ms | "
                "theme page ms | load |",
                "|---|---|---|---|---|---|---|",
                *rows,
            ]
        ),
    )


if __name__ == "__main__":
    main()
