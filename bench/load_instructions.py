"""Instructions a journey request costs: the same in-process journeys as
``bench/load_profile.py``, counted by valgrind's callgrind instead of timed.

CPU time a request drifts by a fifth or more on a shared machine (other work competes for
caches and cores); the number of instructions the CPU runs does not. Each code (this one
and, with ``--compare``, another copy such as ``git archive main``) gets a fresh copy of one
prepared SQLite database, walks two journeys to warm up, then ``--journeys`` journeys with
callgrind's instrumentation switched on only for them (``callgrind_control -i on/off``).
Both run at the same time; ``PYTHONHASHSEED=0`` makes a rerun count the same.

    python -m bench.load_instructions --compare /tmp/main-copy --journeys 6
    python -m bench.load_instructions --compare /tmp/main-copy --write

Needs ``valgrind`` (``apt-get install valgrind``); exits 2 without it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
MARKER = "load-instructions"
SECTION = "## Instructions a journey request costs (`bench/load_instructions.py`)"
REQUESTS_A_JOURNEY = 15


def child(workdir: Path, journeys: int) -> None:
    """Inside valgrind: warm up, say READY, walk the journeys once told to, say DONE."""
    import logging

    from bench.load_profile import SLUG, walk
    from bench.load_server import app_for, consultation_definition

    app = app_for(f"sqlite:///{workdir / 'profile.sqlite'}", workdir / "instance")
    logging.getLogger("consult").setLevel(logging.INFO)
    definition = consultation_definition(app, SLUG)
    for number in range(2):
        walk(app.test_client(), definition, 1000 + number)
    clients = [app.test_client() for _ in range(journeys)]
    _signal("READY", workdir / "go")
    for number, client in enumerate(clients):
        walk(client, definition, 2000 + number)
    _signal("DONE", workdir / "stop")


def _signal(word: str, wait_for: Path) -> None:
    print(word, flush=True)
    while not wait_for.exists():
        time.sleep(0.05)


def count(root: Path, database: Path, journeys: int, label: str) -> int:
    """Instructions run by ``journeys`` journeys of the code at ``root``."""
    workdir = Path(tempfile.mkdtemp(prefix=f"consult-instructions-{label}-"))
    shutil.copytree(database, workdir, dirs_exist_ok=True)
    # This file is run by path, so ``bench`` and ``consult`` come from ``root``.
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONHASHSEED="0")
    process = subprocess.Popen(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={workdir / 'callgrind.out'}",
            sys.executable,
            str(HERE),
            "--child",
            "--workdir",
            str(workdir),
            "--journeys",
            str(journeys),
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True)
    reader.start()
    for line in process.stdout:
        if line.strip() == "READY":
            _control(process.pid, "on")
            (workdir / "go").touch()
        elif line.strip() == "DONE":
            _control(process.pid, "off")
            (workdir / "stop").touch()
    process.wait()
    reader.join()
    found = re.search(r"Collected : (\d+)", "".join(errors))
    if process.returncode != 0 or not found:
        raise RuntimeError(f"{label} failed:\n{''.join(errors)[-2000:]}")
    shutil.rmtree(workdir, ignore_errors=True)
    return int(found.group(1))


def _control(pid: int, state: str) -> None:
    subprocess.run(
        ["callgrind_control", "-i", state, str(pid)], check=True, capture_output=True, timeout=120
    )


def write_section(body: str) -> None:
    """Replace (or add) this benchmark's own section of BENCHMARKS.md (between its
    ``<!-- load-instructions:start -->`` and ``<!-- load-instructions:end -->`` markers)."""
    from bench.common import write_section as write_marked_section

    write_marked_section(MARKER, f"{SECTION}\n\n{body.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--journeys", type=int, default=6)
    parser.add_argument("--compare", type=Path, help="another copy of the code to count too")
    parser.add_argument("--compare-label", default="before")
    parser.add_argument("--label", default="now")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.workdir, args.journeys)
        return 0
    if args.journeys < 1:
        parser.error("--journeys must be at least 1")
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    codes = [(args.label, ROOT)] + ([(args.compare_label, args.compare)] if args.compare else [])
    results: dict[str, int] = {}
    failures: list[BaseException] = []
    from bench.load_server import prepare_database

    # One database (this code's migrations and demo), a fresh copy for each code.
    database = Path(tempfile.mkdtemp(prefix="consult-instructions-db-"))
    prepare_database(f"sqlite:///{database / 'profile.sqlite'}", database / "instance")

    def run(label: str, root: Path) -> None:
        try:
            results[label] = count(root, database, args.journeys, label)
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=run, args=code) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shutil.rmtree(database, ignore_errors=True)
    if failures:
        raise failures[0]
    requests = args.journeys * REQUESTS_A_JOURNEY
    lines = [
        "| code | instructions | requests | million instructions a request |",
        "|---|--:|--:|--:|",
    ]
    for label, _ in reversed(codes):
        lines.append(
            f"| {label} | {results[label]:,} | {requests} | {results[label] / requests / 1e6:.2f} |"
        )
    body = "\n".join(lines)
    if args.compare:
        ratio = results[args.compare_label] / results[args.label]
        body += f"\n\n{args.compare_label} ÷ {args.label}: {ratio:.2f}"
    print(body)
    if args.write:
        given = list(argv if argv is not None else sys.argv[1:])
        write_section(
            f"Command: `python -m bench.load_instructions {' '.join(given)}`. In-process "
            "(Flask's test client), SQLite, the demo consultation; instructions counted by "
            "valgrind's callgrind over the measured journeys only (after two warm-up "
            f"journeys), {REQUESTS_A_JOURNEY} requests a journey, `PYTHONHASHSEED=0`. Unlike "
            "CPU time, the count does not change with what else the machine is doing.\n\n" + body
        )
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv and sys.path and Path(sys.path[0]).resolve() == HERE.parent:
        sys.path.pop(0)  # run by path: take ``bench`` and ``consult`` from PYTHONPATH
    sys.exit(main())
