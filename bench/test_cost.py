"""Wall and CPU seconds of test files, this tree against another checkout, alternating.

    .venv/bin/python -m bench.test_cost --compare DIR [--rounds 2] FILE [FILE ...]

Each round runs ``python -m pytest FILES -q -p no:cacheprovider`` once in DIR (e.g. a
``git archive`` of the commit before a change, with a ``.venv`` link) and once in this tree,
alternating which goes first, so both see about the same machine load. Every run is a fresh
process; its CPU seconds are its own and its waited-for children's (servers, workers and
browsers the tests start and stop), read with ``os.wait4``. On a shared, loaded machine the
CPU seconds are the steadier figure: wall seconds there mostly measure the other load. The
environment (database and Redis URLs, ports, ``OMP_NUM_THREADS``) is passed through as given.

Where a run's time goes, test by test (the module is also a pytest plugin)::

    CONSULT_TEST_COST_OUT=/tmp/cost.jsonl .venv/bin/python -m pytest -p bench.test_cost ...
    .venv/bin/python -m bench.test_cost --summary /tmp/cost.jsonl [--top 30]

appends one JSON line a test (its node id, wall seconds and CPU seconds of setup, call and
teardown, the process's own and its waited-for children's) and then sums them by file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pytest_runtest_protocol(item, nextitem):
    """As a pytest plugin (``-p bench.test_cost``): time each test, fixtures included, and
    append it to the file ``CONSULT_TEST_COST_OUT`` names (nothing when it is unset)."""
    out = os.environ.get("CONSULT_TEST_COST_OUT")
    if not out:
        return None
    from _pytest.runner import runtestprotocol

    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    started, cpu = time.perf_counter(), _cpu()
    reports = runtestprotocol(item, nextitem=nextitem)
    record = {
        "test": item.nodeid,
        "wall": round(time.perf_counter() - started, 3),
        "cpu": round(_cpu() - cpu, 3),
        "outcome": "failed" if any(r.failed for r in reports) else reports[-1].outcome,
        "worker": os.environ.get("PYTEST_XDIST_WORKER", ""),
    }
    with open(out, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def summary(path: Path, top: int) -> None:
    """Print the files of a ``CONSULT_TEST_COST_OUT`` record by CPU seconds, dearest first,
    and the dearest tests."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    files: dict[str, list[dict]] = {}
    for record in records:
        files.setdefault(record["test"].split("::", 1)[0], []).append(record)
    total_cpu = sum(r["cpu"] for r in records)
    total_wall = sum(r["wall"] for r in records)
    print(
        f"{len(records)} tests, {len(files)} files: CPU {total_cpu:.0f} s, wall {total_wall:.0f} s"
    )
    print(f"{'CPU s':>8} {'share':>6} {'wall s':>8} {'tests':>6}  file")
    ranked = sorted(files.items(), key=lambda kv: -sum(r["cpu"] for r in kv[1]))
    for name, group in ranked[:top]:
        cpu = sum(r["cpu"] for r in group)
        wall = sum(r["wall"] for r in group)
        print(f"{cpu:8.1f} {cpu / total_cpu:6.1%} {wall:8.1f} {len(group):6d}  {name}")
    print(f"\n{'CPU s':>8} {'wall s':>8}  test")
    for record in sorted(records, key=lambda r: -r["cpu"])[:top]:
        print(f"{record['cpu']:8.1f} {record['wall']:8.1f}  {record['test']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--summary", type=Path, help="sum a CONSULT_TEST_COST_OUT record")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    if args.summary:
        summary(args.summary, args.top)
        return 0
    if not args.compare or not args.files:
        parser.error("--compare DIR and test files are needed (or --summary FILE)")
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
