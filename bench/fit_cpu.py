"""CPU seconds of one theme fit, this code against another copy of ``analysis/``, and
whether both give the same themes.

    CONSULT_DATA_DIR=/work/shared/data OMP_NUM_THREADS=1 \\
        .venv/bin/python -m bench.fit_cpu --code DIR [--rows 3000] [--repeats 3] [--write]

DIR holds another ``analysis/`` (e.g. ``git archive <commit> analysis | tar -x -C DIR``).
Each fit runs in a fresh process (one thread, after a 300-answer warm-up fit in that process)
on the first ROWS non-empty answers of NHS FFT phase 1, the two codes taking turns so that
the machine's load weighs on both alike; the figure is the median of the repeats, and the
ratio compares medians. The themes of both codes are compared as JSON: "same" means every
label, keyword, summary, quote and count is identical; else the fields that differ are named
("different (only in: keywords)").
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import data_dir, machine, write_section

ROOT = Path(__file__).resolve().parent.parent

# Run in the child process: time one fit and write its themes.
CHILD = """
import csv, json, sys, time
from analysis import ThemeModel
path, rows, engine, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path, encoding="utf-8") as handle:
    texts = [r["feedback"] for r in csv.DictReader(handle) if r["feedback"].strip()][:rows]
ThemeModel(engine=engine, seed=0).fit(texts[:300])
start = time.process_time()
model = ThemeModel(engine=engine, seed=0).fit(texts)
seconds = time.process_time() - start
with open(out, "w", encoding="utf-8") as handle:
    rows = [int(label) for label in model.labels_]
    json.dump({"seconds": seconds, "themes": model.themes_, "rows": rows}, handle,
              sort_keys=True, default=str)
"""


def fit_once(code: Path, rows: int, engine: str, out: Path) -> dict:
    """One fit in a fresh process importing ``analysis`` from ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code), "OMP_NUM_THREADS": "1"}
    source = data_dir() / "nhs_fft_phase1.csv"
    subprocess.run(
        [sys.executable, "-c", CHILD, str(source), str(rows), engine, str(out)],
        env=env,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    return json.loads(out.read_text(encoding="utf-8"))


def differing_fields(before: list[dict], now: list[dict]) -> list[str]:
    """The theme fields whose values differ between two fits' themes ("keywords"), or [] when
    the themes themselves differ in number."""
    if len(before) != len(now):
        return []
    return sorted(
        {
            key
            for old, new in zip(before, now, strict=True)
            for key in old.keys() | new.keys()
            if old.get(key) != new.get(key)
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", required=True, type=Path, help="a folder holding analysis/")
    parser.add_argument("--label", default="before", help="what to call that code")
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engine", default="fast", choices=["fast", "semantic"])
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    args = parser.parse_args(argv)
    if not (args.code / "analysis" / "__init__.py").exists():
        print(f"fit_cpu: error: {args.code} holds no analysis/", file=sys.stderr)
        return 2
    times: dict[str, list[float]] = {args.label: [], "now": []}
    themes: dict[str, str] = {}
    rows: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as work:
        for repeat in range(args.repeats):
            for name, code in ((args.label, args.code), ("now", ROOT)):
                result = fit_once(code, args.rows, args.engine, Path(work) / f"{name}.json")
                times[name].append(result["seconds"])
                themes[name] = json.dumps(result["themes"], sort_keys=True)
                rows[name] = result["rows"]
                print(f"{name} run {repeat + 1}: {result['seconds']:.2f} s", file=sys.stderr)
    before, now = (statistics.median(times[k]) for k in (args.label, "now"))
    same = "same" if themes[args.label] == themes["now"] else "different"
    if same == "different":
        fields = differing_fields(json.loads(themes[args.label]), json.loads(themes["now"]))
        same += f" (only in: {', '.join(fields)})" if fields else ""
    runs = {k: " / ".join(f"{t:.2f}" for t in v) for k, v in times.items()}
    text = (
        "## One fit's CPU, against another copy of the code (`bench/fit_cpu.py`)\n\n"
        f"Command: `OMP_NUM_THREADS=1 .venv/bin/python -m bench.fit_cpu --code DIR "
        f"--label {shlex.quote(args.label)} --rows {args.rows} --repeats {args.repeats} "
        f"--engine {args.engine} --write`. Machine: {machine()}; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end.\n\n"
        f"CPU seconds of `ThemeModel(engine='{args.engine}', seed=0).fit` on the first "
        f"{args.rows:,} non-empty answers of NHS FFT phase 1, each fit in a fresh process "
        "after a warm-up fit, the two codes taking turns.\n\n"
        f"| code | runs (s) | median (s) |\n|---|---|--:|\n"
        f"| {args.label} | {runs[args.label]} | {before:.2f} |\n"
        f"| now | {runs['now']} | {now:.2f} |\n\n"
        f"now ÷ {args.label}: {now / before:.2f}. Themes: {same}. Each answer's theme: "
        f"{'same' if rows[args.label] == rows['now'] else 'different'}.\n"
    )
    print(text)
    if args.write:
        write_section("fit-cpu", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
