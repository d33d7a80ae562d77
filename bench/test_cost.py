"""Wall and CPU seconds of test files, this tree against another checkout, alternating.

    .venv/bin/python -m bench.test_cost --compare DIR [--rounds 2] FILE [FILE ...]

Each round runs ``python -m pytest FILES -q -p no:cacheprovider`` once in DIR (e.g. a
``git archive`` of the commit before a change, with a ``.venv`` link) and once in this tree,
alternating which goes first, so both see about the same machine load. Every run is a fresh
process; its CPU seconds are its own and its waited-for children's (servers, workers and
browsers the tests start and stop), read with ``os.wait4``. On a shared, loaded machine the
CPU seconds are the steadier figure: wall seconds there mostly measure the other load. The
environment (database and Redis URLs, ports, ``OMP_NUM_THREADS``) is passed through as given.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def run(tree: Path, files: list[str]) -> dict[str, float | str]:
    """One pytest process in ``tree``: its wall and CPU seconds, the load, its last line."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(tree / ".venv" / "bin" / "python"), "-m", "pytest", *files, "-q"]
        + ["-p", "no:cacheprovider"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": "."},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = output.decode("utf-8", "replace").strip().splitlines()
    return {
        "wall": time.perf_counter() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "load": (load + os.getloadavg()[0]) / 2,
        "result": lines[-1] if lines else f"exit {process.returncode}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, required=True, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    trees = {"before": args.compare.resolve(), "after": HERE}
    seen: dict[str, list[dict]] = {"before": [], "after": []}
    for round_number in range(args.rounds):
        order = ["before", "after"] if round_number % 2 == 0 else ["after", "before"]
        for name in order:
            result = run(trees[name], args.files)
            seen[name].append(result)
            print(
                f"round {round_number + 1} {name}: wall {result['wall']:.1f} s, "
                f"CPU {result['cpu']:.1f} s, load {result['load']:.1f} :: {result['result']}",
                flush=True,
            )
    for measure in ("wall", "cpu"):
        before = statistics.median(r[measure] for r in seen["before"])
        after = statistics.median(r[measure] for r in seen["after"])
        print(f"median {measure}: before {before:.1f} s, after {after:.1f} s, {after / before:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
