"""Where a journey's time goes: per page, CPU milliseconds, SQL queries, template rendering
and session saving, and a profile of the whole journey grouped by library.

Runs the app in this process (no server, no client competing for the CPU) on a fresh
SQLite database with the demo loaded, walks ``--journeys`` partners through the journey with
Flask's test client, and measures only inside the app (the test client's own work is
outside the measured WSGI call). CPU time, not wall time, so other work on the machine
changes the figures less.

    python -m bench.load_profile --journeys 40
    python -m bench.load_profile --journeys 40 --top 30     # the slowest functions too
"""

from __future__ import annotations

import argparse
import cProfile
import html
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from flask import template_rendered
from flask.signals import before_render_template
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from .common import write_section as write_marked_section
from .load_client import CSRF, REFERENCE, SEEN, make_plan
from .load_server import ROOT, app_for, consultation_definition, prepare_database

SLUG = "trailblazer-devolution-deal"


class Meter:
    """Per-request counters, filled by SQLAlchemy events and Flask signals."""

    def __init__(self) -> None:
        self.queries = 0
        self.render = 0.0
        self.session = 0.0
        self._render_started = 0.0
        self.pages: dict[str, list[tuple[float, int, float, float]]] = defaultdict(list)
        self.profile = cProfile.Profile(time.process_time)
        self.profiling = False
        self.only = ""  # profile only pages whose name contains this
        self.statements: list[str] = []
        self.last_statements: dict[str, list[str]] = {}

    def install(self, app) -> None:
        from consult.extensions import db

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._query)
        before_render_template.connect(self._render_start, app)
        template_rendered.connect(self._render_end, app)
        interface = app.session_interface
        save = interface.save_session

        def timed_save(*args, **kwargs):
            started = time.process_time()
            try:
                return save(*args, **kwargs)
            finally:
                self.session += time.process_time() - started

        interface.save_session = timed_save
        inner = app.wsgi_app

        def measured(environ, start_response):
            self.queries, self.render, self.session = 0, 0.0, 0.0
            self.statements = []
            started = time.process_time()
            page = environ["REQUEST_METHOD"] + " " + _page_name(environ["PATH_INFO"])
            profiled = self.profiling and self.only in page
            if profiled:
                self.profile.enable()
            try:
                return list(inner(environ, start_response))
            finally:
                if profiled:
                    self.profile.disable()
                if not self.profiling:  # profiled requests are slower, so they are not timed
                    self.last_statements[page] = self.statements
                    self.pages[page].append(
                        (time.process_time() - started, self.queries, self.render, self.session)
                    )

        app.wsgi_app = measured

    def _query(self, _conn, _cursor, statement, *_args, **_kwargs) -> None:
        self.queries += 1
        self.statements.append(" ".join(statement.split())[:160])

    def _render_start(self, *_args, **_kwargs) -> None:
        self._render_started = time.process_time()

    def _render_end(self, *_args, **_kwargs) -> None:
        self.render += time.process_time() - self._render_started


def _page_name(path: str) -> str:
    parts = path.strip("/").split("/")
    if parts[0] == "i":
        return "invitation"
    if len(parts) == 2:
        return "start"
    return parts[2] if parts[2] != "section" else f"section {parts[3]}"


def walk(client, definition: dict, number: int) -> str:
    """One partner's whole journey through the test client; returns the reference."""
    plan = make_plan(definition, f"Profile partner {number} {time.time()}", number, None)
    base = f"/c/{SLUG}"

    def token(page) -> str:
        return CSRF.search(page.data).group(1).decode()

    page = client.get(base)
    reply = client.post(base, data={"csrf_token": token(page)})
    target = reply.headers["Location"]
    pages = [list(plan.organisation.items())] + [pairs for _, pairs in plan.sections]
    for pairs in pages:
        page = client.get(target)
        seen = html.unescape(SEEN.search(page.data).group(1).decode())
        data = [("csrf_token", token(page)), ("seen", seen), *pairs, ("action", "continue")]
        reply = client.post(target, data=MultiDict(data))
        assert reply.status_code == 302, (target, reply.status_code)
        target = reply.headers["Location"]
    page = client.get(target)
    reply = client.post(target, data={"csrf_token": token(page)})
    assert reply.headers["Location"].endswith("/confirmation")
    page = client.get(reply.headers["Location"])
    return REFERENCE.search(page.data).group(1).decode()


def by_library(profile: cProfile.Profile) -> list[tuple[str, float]]:
    """Own (self) time grouped by the library each function lives in."""
    stats = pstats.Stats(profile)
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():
        totals[_library(filename, name)] += tottime
    return sorted(totals.items(), key=lambda item: -item[1])


def _library(filename: str, name: str) -> str:
    if filename == "~":
        return "builtins: " + name.split(" of ")[0].strip("<>").replace("built-in method ", "")
    path = filename.replace("\\", "/")
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/consult/" in path:
        return "consult (our code)"
    if path.startswith("<template>") or path.endswith(".html"):
        return "templates (compiled Jinja)"
    return "stdlib: " + Path(path).stem


def report(meter: Meter, journeys: int, top: int) -> str:
    lines = [
        "| page | CPU ms (median) | SQL queries | rendering ms | session save ms |",
        "|---|--:|--:|--:|--:|",
    ]
    total_cpu = total_queries = 0.0
    requests = 0
    for page, samples in meter.pages.items():
        samples = samples[1:] or samples  # the first one compiles templates
        cpu = sorted(s[0] for s in samples)[len(samples) // 2]
        queries = max(s[1] for s in samples)
        render = sorted(s[2] for s in samples)[len(samples) // 2]
        session = sorted(s[3] for s in samples)[len(samples) // 2]
        lines.append(
            f"| {page} | {1000 * cpu:.1f} | {queries} | {1000 * render:.1f} "
            f"| {1000 * session:.2f} |"
        )
        total_cpu += sum(s[0] for s in samples)
        total_queries += sum(s[1] for s in samples)
        requests += len(samples)
    lines.append(
        f"\nMean over {requests} requests ({journeys} journeys): "
        f"{1000 * total_cpu / requests:.2f} ms CPU and {total_queries / requests:.1f} queries "
        "a request."
    )
    groups = by_library(meter.profile)
    whole = sum(t for _, t in groups)
    lines.append("\n| library (own time) | share |\n|---|--:|")
    lines += [f"| {name} | {100 * t / whole:.1f} % |" for name, t in groups[:14]]
    if top:
        stream = __import__("io").StringIO()
        pstats.Stats(meter.profile, stream=stream).sort_stats("cumulative").print_stats(top)
        lines.append("\n```\n" + stream.getvalue()[-8000:] + "\n```")
    return "\n".join(lines)


MARKER = "load-profile"
SECTION = "## Where a journey's time goes (`bench/load_profile.py`)"


def run_other(root: Path, journeys: int) -> str:
    """The same measurement run on another copy of the code (its own process, its own
    ``bench`` package), for before-and-after figures; its printed report."""
    return run_together([root], journeys)[0]


def run_together(roots: list[Path], journeys: int) -> list[str]:
    """The measurement run on each copy of the code at the same time, one process each, so
    that whatever else the machine is doing weighs on them alike; their printed reports."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.load_profile", "--journeys", str(journeys)],
            cwd=root,
            env=dict(os.environ, PYTHONPATH=str(root)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for root in roots
    ]
    reports = []
    for root, process in zip(roots, processes, strict=True):
        out, err = process.communicate(timeout=1800)
        if process.returncode != 0:
            raise RuntimeError(f"the profile of {root} failed:\n{err[-2000:]}")
        reports.append(out.strip())
    return reports


def _mean(report_text: str) -> float:
    """The mean CPU milliseconds a request from a printed report."""
    found = re.search(r"requests \(\d+ journeys\): ([0-9.]+) ms CPU", report_text)
    return float(found.group(1)) if found else float("nan")


def write_section(body: str) -> None:
    """Replace (or add) this benchmark's own section of BENCHMARKS.md (between its
    ``<!-- load-profile:start -->`` and ``<!-- load-profile:end -->`` markers)."""
    write_marked_section(MARKER, f"{SECTION}\n\n{body.strip()}")


def measure_here(args) -> str:
    """Profile this copy of the code; its report."""
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="consult-profile-"))
    url = f"sqlite:///{workdir / 'profile.sqlite'}"
    prepare_database(url, workdir / "instance")
    app = app_for(url, workdir / "instance")
    definition = consultation_definition(app, SLUG)
    meter = Meter()
    meter.install(app)
    client = app.test_client()
    walk(client, definition, 0)  # compile templates and warm caches before measuring
    meter.pages.clear()
    for number in range(1, args.journeys + 1):
        walk(app.test_client(), definition, number)
    meter.only = args.only
    meter.profiling = True  # a second pass, profiled (cProfile slows every call down)
    for number in range(args.journeys + 1, 2 * args.journeys + 1):
        walk(app.test_client(), definition, number)
    text = report(meter, args.journeys, args.top)
    for page, statements in meter.last_statements.items():
        if args.queries and args.queries in page:
            text += f"\n\n{page}:\n" + "\n".join(f"  {s}" for s in statements)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--journeys", type=int, default=40)
    parser.add_argument("--top", type=int, default=0, help="also print the N slowest calls")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--queries", default="", help="print one request's SQL for this page")
    parser.add_argument("--only", default="", help="profile only pages named like this")
    parser.add_argument("--compare", type=Path, help="another copy of the code to profile too")
    parser.add_argument("--compare-label", default="before")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="with --compare: turns each code takes, one after the other",
    )
    parser.add_argument(
        "--together",
        action="store_true",
        help="with --compare: run both codes at the same time in each round",
    )
    parser.add_argument("--label", default="now", help="name of this code in the report")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    parser.add_argument("--note", default="", help="a paragraph written above the figures")
    args = parser.parse_args(argv)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    if not args.compare:
        body = measure_here(args)
    else:
        # Both codes in their own processes, taking turns, so that other work on the machine
        # weighs on both alike; each one's round with its median mean is shown in full.
        runs: dict[str, list[str]] = {args.compare_label: [], args.label: []}
        for _ in range(args.rounds):
            if args.together:
                before, now = run_together([args.compare, ROOT], args.journeys)
            else:
                before = run_other(args.compare, args.journeys)
                now = run_other(ROOT, args.journeys)
            runs[args.compare_label].append(before)
            runs[args.label].append(now)
        means = {label: [_mean(text) for text in texts] for label, texts in runs.items()}
        first, second = runs
        lines = [
            "| round | "
            + " | ".join(f"{label} ms CPU a request" for label in runs)
            + f" | {first} ÷ {second} |",
            "|--:|" + "--:|" * (len(runs) + 1),
        ]
        lines += [
            f"| {n + 1} | "
            + " | ".join(f"{means[label][n]:.2f}" for label in runs)
            + f" | {means[first][n] / means[second][n]:.2f} |"
            for n in range(args.rounds)
        ]
        parts = ["\n".join(lines)]
        for label, texts in runs.items():
            ordered = sorted(range(len(texts)), key=lambda n: means[label][n])
            median = ordered[len(ordered) // 2]
            parts.append(f"**{label}** (round {median + 1}, its median)\n\n{texts[median]}")
        body = "\n\n".join(parts)
    print(body)
    if args.write:
        given = list(argv if argv is not None else sys.argv[1:])
        if "--note" in given:
            index = given.index("--note")
            del given[index : index + 2]
        command = "python -m bench.load_profile " + " ".join(given)
        note = f"{args.note.strip()}\n\n" if args.note.strip() else ""
        write_section(
            f"{note}Command: `{command}`; load average {load} at the start. In-process (Flask's "
            "test client, no server or client competing), on SQLite; CPU time a request, "
            "median per page, first pass unprofiled; library shares from a second, profiled "
            f"pass.\n\n{body}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
