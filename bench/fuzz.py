"""Fuzz every route: 10,000+ hypothesis-drawn requests on SQLite and on PostgreSQL, counting
statuses and every 500 (issue 11, section 7).

    .venv/bin/python -m bench.fuzz [--requests 10000] [--seed 20261202]
        [--backends sqlite postgresql] [--write]

PostgreSQL is the database named by ``CONSULT_TEST_DATABASE_URL`` (its schema is dropped and
migrated again). The requests come from :mod:`tests.fuzz.routes`: anonymous visitors, a
partner mid-journey and staff of every role, on every rule of ``app.url_map``, with fuzzed
path segments, query strings and form fields (with valid CSRF tokens). Exits 1 when any
request gave a 500 or a traceback, listing them.

Other fuzzers (the file readers) can add their runs beside :func:`run_routes` in ``main``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.common import machine, write_section

SECTION = "fuzz-routes"


def _app(url: str, instance: Path):
    from flask import g

    from consult import create_app

    os.environ["CONSULT_INSTANCE_PATH"] = str(instance)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SERVER_NAME": "localhost"})

    @app.before_request
    def _fresh_request_globals():
        for key in list(vars(g)):
            delattr(g, key)

    return app


def run_routes(backend: str, requests: int, seed: int, pg_url: str | None):
    """Fuzz the routes on one backend; returns the outcome."""
    from flask_migrate import upgrade

    from consult.extensions import db
    from tests.conftest import reset_postgres
    from tests.fuzz.routes import build_world, fuzz

    with tempfile.TemporaryDirectory(prefix="consult-fuzz-") as folder:
        if backend == "postgresql":
            if not pg_url:
                raise SystemExit("CONSULT_TEST_DATABASE_URL is not set: cannot fuzz PostgreSQL")
            reset_postgres(pg_url)
            url = pg_url
        else:
            url = f"sqlite:///{folder}/fuzz.sqlite"
        app = _app(url, Path(folder) / "instance")
        with app.app_context():
            upgrade()
            world = build_world(app)
            outcome = fuzz(world, requests, seed)
            db.session.remove()
            db.engine.dispose()
    return outcome


def _timed(backend: str, requests: int, seed: int, pg_url: str | None):
    started = time.perf_counter()
    outcome = run_routes(backend, requests, seed, pg_url)
    return outcome, time.perf_counter() - started


def _statuses(statuses: Counter) -> str:
    return ", ".join(f"{code}: {count:,}" for code, count in sorted(statuses.items()))


def _lost_paths(reached: Counter) -> str:
    """How often the lost-answers paths were taken, in a few words."""

    def count(test) -> int:
        return sum(n for path, n in reached.items() if test(path))

    kept = count(lambda p: p.startswith("POST survey page by lost (") and p.endswith("303"))
    staff = count(lambda p: p.startswith("POST survey page by partner-staff"))
    return (
        f"{count(lambda p: p == 'GET what-you-typed.txt 200'):,} downloads of what was typed "
        f"(of {count(lambda p: p.startswith('GET what-you-typed.txt')):,} asked for), "
        f"{kept:,} pages posted without their session answered by the dead end's 303, "
        f"{staff:,} pages posted after a staff sign-in in the same browser"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.seed < 0:
        print("--requests must be at least 1 and --seed at least 0", file=sys.stderr)
        return 2
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    pg_url = os.environ.get("CONSULT_TEST_DATABASE_URL")
    rows = []
    failures: list[str] = []
    # Each backend in a process of its own, side by side (they share nothing).
    with ProcessPoolExecutor(max_workers=len(args.backends)) as pool:
        started = time.perf_counter()
        futures = [
            pool.submit(_timed, backend, args.requests, args.seed, pg_url)
            for backend in args.backends
        ]
        results = [future.result() for future in futures]
    wall = time.perf_counter() - started
    for backend, (outcome, seconds) in zip(args.backends, results, strict=True):
        fives = outcome.statuses.get(500, 0)
        print(
            f"{backend}: {outcome.requests:,} requests in {seconds:.0f} s; "
            f"statuses {_statuses(outcome.statuses)}; 500s and tracebacks: "
            f"{len(outcome.failures)}",
            flush=True,
        )
        failures += [f"[{backend}] {line}" for line in outcome.failures]
        rows.append(
            f"| {backend} | {outcome.requests:,} | {_statuses(outcome.statuses)} | "
            f"{fives} | {len(outcome.failures)} | {args.seed} | {seconds:.0f} s "
            f"({outcome.requests / seconds:.0f} requests/s) |"
        )
    for backend, (outcome, _) in zip(args.backends, results, strict=True):
        print(f"{backend}: the lost-answers paths reached (issue 11)")
        for path, count in sorted(outcome.reached.items()):
            print(f"  {count:6,}  {path}")
    for line in failures[:50]:
        print(line)
    if args.write:
        command = (
            f".venv/bin/python -m bench.fuzz --requests {args.requests} --seed {args.seed} "
            f"--backends {' '.join(args.backends)} --write"
        )
        text = "\n".join(
            [
                "## Fuzzing routes (`bench/fuzz.py`)",
                "",
                f"Command: `{command}` (`make fuzz`). Machine: {machine()}, shared with other "
                "work (figures taken under load; the times are not a speed benchmark). The "
                f"backends ran side by side in {wall:.0f} s.",
                "",
                "Hypothesis draws each request: a visitor (anonymous, a partner mid-journey, or "
                "staff signed in as admin, editor, analyst or viewer), a rule of `app.url_map` "
                "(every partner and staff route), a method, path segments (ids that exist, huge "
                "or odd numbers, hostile text), a query string and, for POSTs, the form's own "
                "fields (valid values read from the pages, or hostile text) with a valid CSRF "
                "token nine times in ten. Two visitors take the lost-answers paths (issue 11): "
                "one whose session cookie expired or whose session the server forgot whenever "
                "it posts (its 303 and the dead end's what-you-typed.txt followed as a browser "
                "would), and a partner's browser a member of staff signed in on (posting the "
                "old page's token); POSTs carry any `Sec-Fetch-Site` and `Origin`, and a "
                "page's `draft` field is often another draft's key or junk. The data: an open "
                "and a draft consultation, an "
                "invitation, a submitted response and a stored theme analysis (so the report "
                "and review routes run). Through the Flask test client with `TESTING` on, so "
                "any unhandled error is raised and counted as a 500.",
                "",
                "| Backend | Requests | Statuses seen | 500s | 500s or tracebacks | Seed | Time |",
                "|---|---|---|---|---|---|---|",
                *rows,
                "",
                "The lost-answers paths reached: "
                + "; ".join(
                    f"{backend}: {_lost_paths(outcome.reached)}"
                    for backend, (outcome, _) in zip(args.backends, results, strict=True)
                )
                + ".",
            ]
        )
        write_section(SECTION, text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
