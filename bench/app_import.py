"""Seconds a fresh process spends importing the web app and calling ``create_app``.

    .venv/bin/python -m bench.app_import [--repeats 7] [--compare DIR]

Every ``flask ...`` command, gunicorn worker and job worker pays this before doing anything,
so the test suite pays it for every such process it starts. Each repeat is a new Python
process timing ``import consult; consult.create_app()`` from inside (interpreter start-up not
counted) and listing which heavy libraries (NumPy, SciPy, scikit-learn, NLTK, pandas) it
loaded; then it builds the app ``--builds`` more times (as every test does, in one process)
and times the median later build. With ``--compare DIR`` (another checkout, e.g. the commit
before a change), the two trees alternate process by process so both see the same machine
load; the medians and their ratios are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HEAVY = ("numpy", "scipy", "sklearn", "nltk", "pandas")

PROBE = f"""
import json, statistics, sys, time
started = time.perf_counter()
import consult
config = {{"DATABASE_URL": "sqlite://", "TESTING": True}}
consult.create_app(config)
seconds = time.perf_counter() - started
heavy = [name for name in {HEAVY!r} if name in sys.modules]
modules = len(sys.modules)
later = []
for _ in range(int(sys.argv[1])):
    started = time.perf_counter()
    consult.create_app(config)
    later.append(time.perf_counter() - started)
print(json.dumps({{"seconds": seconds, "heavy": heavy, "modules": modules,
                  "later": statistics.median(later) if later else None}}))
"""


def one_run(tree: Path, builds: int) -> dict:
    """One fresh process's import and ``create_app`` in ``tree`` (seconds, heavy libraries),
    and the median of ``builds`` later builds in that process."""
    env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(builds)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Time the app import here (and in ``--compare``'s tree, alternating) and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--builds", type=int, default=10, help="later builds timed a process")
    parser.add_argument("--compare", type=Path, help="another checkout to alternate with")
    args = parser.parse_args()
    trees = {"this tree": Path.cwd()}
    if args.compare:
        trees = {"compared": args.compare.resolve(), **trees}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.repeats):
        for name, tree in trees.items():
            runs[name].append(one_run(tree, args.builds))
    medians, later = {}, {}
    for name, done in runs.items():
        seconds = [run["seconds"] for run in done]
        medians[name] = statistics.median(seconds)
        print(
            f"{name} ({trees[name]}): first import and build: median {medians[name]:.2f} s "
            f"over {len(seconds)} processes (min {min(seconds):.2f}, max {max(seconds):.2f}); "
            f"{done[-1]['modules']} modules; heavy libraries loaded: "
            f"{', '.join(done[-1]['heavy']) or 'none'}"
        )
        if args.builds:
            later[name] = statistics.median(run["later"] for run in done)
            print(f"  a later build in the same process: median {later[name] * 1000:.1f} ms")
    if args.compare:
        print(f"ratio this/compared, first: {medians['this tree'] / medians['compared']:.2f}")
        if args.builds:
            print(f"ratio this/compared, later: {later['this tree'] / later['compared']:.3f}")


if __name__ == "__main__":
    main()
