"""Load: simulated partners walk the whole journey against gunicorn, beside a hello world.

For each database (SQLite, PostgreSQL) a fresh database is migrated and the demo loaded;
then for each level (50, 100, 200 partners at once) the same client first drives a minimal
Flask "hello world" on the same gunicorn settings, then the partners' journeys, each phase
for ``--duration`` seconds (journeys under way at the end are finished). Partners do not
pause between pages: every seat always has a request in flight, the harshest case
(``--think 1,5`` makes each partner pause 1-5 seconds, seeded, before sending each form, as
people reading and typing do: the latency a partner feels at a realistic pace). Each
fresh server first gets ``--warmup`` seconds of journeys that are not counted (a new
gunicorn process compiles its templates on its first pages), so the figures are a running
server's.

Afterwards every acknowledged submission is checked in the database: stored exactly once,
with every answer as sent. ``--compare DIR`` serves a second copy of the code (e.g. an older
commit from ``git archive``) in the same run, for before-and-after figures.

``--kill-after S`` is the fault mode used by ``tests/test_load_kill.py``: ``kill -9`` of
gunicorn's master and workers S seconds into the load, then a restart; partners retry a
lost request until the server is back, and the verdict must still be clean.

    python -m bench.load                       # full run, prints a table
    python -m bench.load --write               # and writes the BENCHMARKS.md section
    python -m bench.load --backends sqlite --levels 20 --duration 5 --kill-after 2

Rate limits (Flask-Limiter, if configured) are relaxed with ``CONSULT_RATELIMIT_ENABLED=false``
because every simulated partner comes from 127.0.0.1; ``--env KEY=VALUE`` sets others.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .common import write_section as write_marked_section
from .load_client import Outcome, Plan, Stats, make_plan, run_hello, run_partners
from .load_server import (
    ROOT,
    Gunicorn,
    add_invitations,
    app_for,
    consultation_definition,
    machine_busy,
    prepare_database,
    server_env,
)
from .load_verify import verify

MARKER = "load"
SECTION = "## Load (`bench/load.py`)"
PACED_MARKER = "load-paced"
PACED_SECTION = "## Load at a reading pace (`bench/load.py --think`)"
DEMO_SLUG = "trailblazer-devolution-deal"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test_load"


@dataclass
class Phase:
    """The figures of one phase: one server, one number of partners."""

    backend: str
    code: str  # "hello", "now" or the --compare label
    partners: int
    seconds: float  # the --duration window in which new journeys start
    wall: float = 0.0  # the phase's whole length, until its last journey finished
    requests: int = 0
    requests_per_s: float = 0.0
    journeys_per_s: float = 0.0
    journeys: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    error_kinds: dict = field(default_factory=dict)
    client_cpu: float = 0.0  # share of one vCPU used by this client process
    server_cpu: float = 0.0  # share of one vCPU used by gunicorn's master and workers
    machine_cpu: float = 0.0  # share of one vCPU busy on the whole machine (2 = all of it)
    ratio: float | None = None  # requests a second over the hello world's at this level
    verdict: dict | None = None
    killed_processes: int = 0  # gunicorn processes killed with SIGKILL in this phase
    think: str = ""  # "1-5 s" when partners pause before each form (--think), else ""


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(phase: Phase, server: Gunicorn, work) -> tuple[Stats, object]:
    """Run ``work(stats)`` (a coroutine factory) and fill ``phase`` with its figures."""
    stats = Stats()
    client0, server0, (busy0, _) = time.process_time(), server.cpu(), machine_busy()
    started = time.perf_counter()
    result = asyncio.run(work(stats))
    wall = time.perf_counter() - started
    client1, server1, (busy1, _) = time.process_time(), server.cpu(), machine_busy()
    # Rates over the whole phase: under a busy machine one journey can outlast the
    # --duration window, so journeys begun in it are finished and counted too.
    phase.wall = wall
    phase.requests = len(stats.finished)
    phase.requests_per_s = phase.requests / wall
    phase.journeys = len(stats.journeys)
    phase.journeys_per_s = phase.journeys / wall
    phase.p50_ms, phase.p95_ms, phase.p99_ms = (
        1000 * percentile(stats.latencies, q) for q in (0.50, 0.95, 0.99)
    )
    phase.errors = sum(stats.errors.values())
    phase.error_kinds = dict(stats.errors.most_common(8))
    phase.client_cpu = (client1 - client0) / wall
    phase.server_cpu = (server1 - server0) / wall
    phase.machine_cpu = (busy1 - busy0) / wall
    return stats, result


def partner_plans(
    definition: dict, label: str, tokens: list[str], every: int, drafts_every: int = 0
) -> Iterator[Plan]:
    """Endless distinct partners; every ``every``-th comes by invitation while tokens last,
    and every ``drafts_every``-th leaves a draft part of the way through."""
    pool = iter(tokens)
    pages = 1 + len(definition["sections"])
    for number in itertools.count():
        token = next(pool, None) if every and number % every == 0 else None
        stop = 1 + number % pages if drafts_every and number % drafts_every == 1 else None
        yield make_plan(definition, f"Load {label} partner {number}", number, token, stop)


@dataclass
class Target:
    """One database with its app for setup/verification, and the servers on it."""

    backend: str
    url: str
    instance: Path
    app: object = None
    definition: dict | None = None


def run_journeys(
    target: Target, server: Gunicorn, code: str, partners: int, args, kill_after=None
) -> tuple[Phase, list[Outcome]]:
    """One journey phase, then the database check of every partner in it."""
    label = f"{target.backend}-{code}-{partners}-{int(time.time())}"
    invited = int(partners * 8 / max(args.invite_every, 1)) if args.invite_every else 0
    tokens = add_invitations(target.app, DEMO_SLUG, invited, label) if invited else []
    plans = partner_plans(target.definition, label, tokens, args.invite_every, args.drafts_every)
    phase = Phase(target.backend, code, partners, args.duration)
    think = None
    if args.think:
        think = args.think
        phase.think = f"{think[0]:g}-{think[1]:g} s"
    retry_until = None
    if kill_after is not None:
        retry_until = time.monotonic() + args.duration + 120

    def work(stats: Stats):
        return run_partners(
            "127.0.0.1",
            server.port,
            DEMO_SLUG,
            plans,
            partners,
            args.duration,
            stats,
            retry_until,
            think,
        )

    killer = None
    if kill_after is not None:
        killer = threading.Thread(target=kill_and_restart, args=(server, kill_after, phase))
        killer.start()
    _, outcomes = measure(phase, server, work)
    if killer is not None:
        killer.join()
    verdict = verify(target.app, target.definition, outcomes)
    phase.verdict = asdict(verdict) | {"ok": verdict.ok, "journeys_begun": len(outcomes)}
    phase.verdict["problems"] = verdict.problems[:10]
    failed = Counter(o.error.split(":")[0] for o in outcomes if o.error)
    phase.verdict["journeys_failed"] = dict(failed)
    return phase, outcomes


def warm_up(target: Target, server: Gunicorn, seconds: float, partners: int = 10) -> None:
    """Journeys for ``seconds`` before the measured phases, not counted: a fresh gunicorn
    process compiles its templates and reads the consultation on its first pages (about a
    second of CPU each), which a long-running server has long done."""
    if seconds <= 0:
        return
    plans = partner_plans(target.definition, f"warm-up-{server.port}-{int(time.time())}", [], 0)
    asyncio.run(
        run_partners("127.0.0.1", server.port, DEMO_SLUG, plans, partners, seconds, Stats())
    )


def kill_and_restart(server: Gunicorn, after: float, phase: Phase) -> None:
    """``kill -9`` gunicorn (master and workers) ``after`` seconds in, then start it again."""
    time.sleep(after)
    pids = server.kill9()
    time.sleep(0.5)
    server.start()
    phase.killed_processes = len(pids)


def hello_phase(server: Gunicorn, backend: str, partners: int, args) -> Phase:
    phase = Phase(backend, "hello", partners, args.duration)

    def work(stats: Stats):
        return run_hello("127.0.0.1", server.port, partners, args.duration, stats)

    measure(phase, server, work)
    return phase


def machine() -> str:
    """One line about this machine and its load when the run started."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = Path("/proc/loadavg").read_text().split()[:3]
    import gunicorn

    return (
        f"{os.cpu_count()} vCPU {cpu}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, gunicorn {gunicorn.__version__}; "
        f"load average {' '.join(load)} at the start"
    )


def per_cpu(phase: Phase) -> str:
    """Requests served per CPU-second gunicorn used: what a request costs the server,
    whatever share of the machine the server was given."""
    seconds = phase.server_cpu * phase.wall
    return f"{phase.requests / seconds:,.0f}" if seconds > 0 else "—"


def table(phases: list[Phase]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| database | code | partners | journeys | seconds | journeys/s | requests/s | × hello "
        "| p50 ms | p95 ms | p99 ms | errors | client CPU | gunicorn CPU | machine CPU "
        "| requests per gunicorn CPU-second |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for p in phases:
        ratio = f"{100 * p.ratio:.0f} %" if p.ratio is not None else "—"
        journeys = f"{p.journeys_per_s:.2f}" if p.code != "hello" else "—"
        count = str(p.journeys) if p.code != "hello" else "—"
        code = f"{p.code}, paced {p.think}" if p.think else p.code
        lines.append(
            f"| {p.backend} | {code} | {p.partners} | {count} | {p.wall:.0f} | {journeys} "
            f"| {p.requests_per_s:,.0f} "
            f"| {ratio} | {p.p50_ms:.0f} | {p.p95_ms:.0f} | {p.p99_ms:.0f} | {p.errors} "
            f"| {100 * p.client_cpu:.0f} % | {100 * p.server_cpu:.0f} % "
            f"| {100 * p.machine_cpu:.0f} % | {per_cpu(p)} |"
        )
    return "\n".join(lines)


def verdict_lines(phases: list[Phase]) -> list[str]:
    lines = []
    for p in phases:
        if p.verdict:
            v = p.verdict
            state = "ok" if v["ok"] else "PROBLEMS: " + "; ".join(v["problems"])
            lines.append(
                f"- {p.backend} {p.code} {p.partners}: {v['acknowledged']} acknowledged, "
                f"{v['stored_once']} stored exactly once with every answer as sent, "
                f"{v['submitted_rows']} submitted rows, {v['drafts_checked']} drafts checked, "
                f"integrity {v['integrity']}: {state}"
            )
    return lines


def write_section(body: str, paced: bool = False) -> None:
    """Replace (or add) this benchmark's own section of BENCHMARKS.md (between its
    ``<!-- load:start -->`` and ``<!-- load:end -->`` markers; with ``paced``, runs with
    ``--think``, between ``<!-- load-paced:... -->``)."""
    if paced:
        write_marked_section(PACED_MARKER, f"{PACED_SECTION}\n\n{body.strip()}")
    else:
        write_marked_section(MARKER, f"{SECTION}\n\n{body.strip()}")


def think_range(text: str) -> tuple[float, float]:
    """``--think LOW,HIGH`` as two seconds, 0 <= LOW <= HIGH <= 60."""
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("give two numbers of seconds, e.g. 1,5") from None
    if not 0 <= low <= high <= 60:
        raise argparse.ArgumentTypeError("need 0 <= LOW <= HIGH <= 60 seconds")
    return low, high


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--levels", default="50,100,200")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per phase")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn processes (gunicorn.conf.py's default: one a CPU)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads a process (gthread worker above 1; 1: sync worker)",
    )
    parser.add_argument("--port", type=int, default=5150, help="app; hello on +1, compare +2")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("CONSULT_LOAD_DATABASE_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument(
        "--invite-every",
        type=int,
        default=4,
        help="every n-th partner comes by invitation link (0: none)",
    )
    parser.add_argument("--compare", type=Path, help="another copy of the code to serve too")
    parser.add_argument("--compare-label", default="before")
    parser.add_argument("--label", default="now", help="name of this code in the table")
    parser.add_argument(
        "--drafts-every",
        type=int,
        default=0,
        help="every n-th partner leaves a draft part of the way (0: none)",
    )
    parser.add_argument(
        "--demo-responses", type=int, default=300, help="synthetic responses the demo loads first"
    )
    parser.add_argument("--no-hello", action="store_true")
    parser.add_argument(
        "--warmup",
        type=float,
        default=3.0,
        help="seconds of unmeasured journeys on each fresh server first (0: none)",
    )
    parser.add_argument(
        "--think",
        type=think_range,
        metavar="LOW,HIGH",
        help="partners pause LOW-HIGH seconds (seeded) before each form, as "
        "people reading and typing do; the default is no pause",
    )
    parser.add_argument("--kill-after", type=float, help="kill -9 gunicorn after S seconds")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the app")
    parser.add_argument("--json", type=Path, help="write every figure here too")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    parser.add_argument(
        "--note",
        default="",
        help="a paragraph written above the figures (e.g. what else the machine was doing)",
    )
    parser.add_argument("--workdir", type=Path, help="folder for databases and logs")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the load benchmark; exit status 1 when any verdict found a problem."""
    args = parse_args(argv)
    levels = [int(n) for n in args.levels.split(",")]
    extra = dict(item.split("=", 1) for item in args.env)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="consult-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    about = machine()
    print(about, file=sys.stderr)
    codes = [(args.label, ROOT)] + ([(args.compare_label, args.compare)] if args.compare else [])
    phases: list[Phase] = []
    hello = Gunicorn(
        "bench.hello:create_app()",
        args.port + 1,
        server_env("sqlite://", workdir),
        workers=args.workers,
        threads=args.threads,
        log=workdir / "hello.log",
    )
    if not args.no_hello:
        hello.start()
    try:
        for backend in args.backends.split(","):
            url = (
                f"sqlite:///{workdir / 'load.sqlite'}" if backend == "sqlite" else args.postgres_url
            )
            target = Target(backend, url, workdir / f"instance-{backend}")
            summary = prepare_database(url, target.instance, extra, args.demo_responses)
            print(f"{backend}: {summary}", file=sys.stderr)
            target.app = app_for(url, target.instance)
            target.definition = consultation_definition(target.app, DEMO_SLUG)
            servers = [
                Gunicorn(
                    "consult:create_app()",
                    args.port + 2 * index,
                    server_env(url, target.instance, extra, root),
                    root=root,
                    workers=args.workers,
                    threads=args.threads,
                    log=workdir / f"{backend}-{code}.log",
                )
                for index, (code, root) in enumerate(codes)
            ]
            for server in servers:
                server.start()
            for server in servers:
                warm_up(target, server, args.warmup)
            try:
                for partners in levels:
                    base = None
                    if not args.no_hello:
                        base = hello_phase(hello, backend, partners, args)
                        phases.append(base)
                        print(table([base]).splitlines()[-1], file=sys.stderr)
                    for (code, _), server in reversed(list(zip(codes, servers, strict=True))):
                        phase, _ = run_journeys(
                            target, server, code, partners, args, args.kill_after
                        )
                        if base is not None:
                            phase.ratio = phase.requests_per_s / base.requests_per_s
                        phases.append(phase)
                        print(table([phase]).splitlines()[-1], file=sys.stderr)
                        print("\n".join(verdict_lines([phase])), file=sys.stderr)
            finally:
                for server in servers:
                    server.stop()
    finally:
        hello.stop()
    given = list(argv if argv is not None else sys.argv[1:])
    if "--note" in given:  # the note is written above the figures, not in the command
        index = given.index("--note")
        del given[index : index + 2]
    command = "python -m bench.load " + " ".join(given)
    report = "\n".join([table(phases), "", *verdict_lines(phases)])
    print(report)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": about, "command": command, "phases": [asdict(p) for p in phases]},
                indent=1,
            )
        )
    if args.write:
        note = f"{args.note.strip()}\n\n" if args.note.strip() else ""
        write_section(
            f"{note}Command: `{command.strip()}`. Machine: {about}.\n\n{report}",
            paced=args.think is not None,
        )
    return 0 if all(p.verdict is None or p.verdict["ok"] for p in phases) else 1


if __name__ == "__main__":
    raise SystemExit(main())
