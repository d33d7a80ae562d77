"""Where a large split's in-request fit spends its time (reviewedrun, task 4 left undone):
``ThemeModel(n_themes=2)`` on the first N non-empty answers of NHS FFT phase 1, as
:func:`consult.reports.review.split_theme` refits a theme's own answers, each stage's wall
seconds (``ThemeModel.timings_``) and the whole fit's CPU seconds.

    CONSULT_DATA_DIR=/work/shared/data OMP_NUM_THREADS=1 nice -n 10 \\
        .venv/bin/python -m bench.split_stages [--rows 2000] [--engine fast semantic] [--write]

One fit per engine in this process (the first pays for loading the models: read the stages).
"""

from __future__ import annotations

import argparse
import csv
import time

from bench.common import data_dir, machine, write_section


def fit_stages(texts: list[str], engine: str) -> tuple[float, float, dict[str, float]]:
    """Wall and CPU seconds of a 2-theme fit of ``texts``, and its stages' wall seconds."""
    from analysis import ThemeModel

    clock, cpu = time.perf_counter(), time.process_time()
    model = ThemeModel(n_themes=2, engine=engine, seed=0)
    model.fit(texts, ids=[str(i) for i in range(len(texts))])
    return time.perf_counter() - clock, time.process_time() - cpu, dict(model.timings_)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--engine", nargs="+", default=["fast", "semantic"])
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    args = parser.parse_args(argv)
    with (data_dir() / "nhs_fft_phase1.csv").open(encoding="utf-8") as handle:
        texts = [row["feedback"] for row in csv.DictReader(handle) if row["feedback"].strip()]
    texts = texts[: args.rows]
    lines = [
        "| engine | wall s | CPU s | description s | other stages (wall s) |",
        "|---|---|---|---|---|",
    ]
    for engine in args.engine:
        wall, cpu, stages = fit_stages(texts, engine)
        described = stages.get("description", 0.0)
        rest = ", ".join(f"{k} {v:.1f}" for k, v in stages.items() if k != "description")
        lines.append(f"| {engine} | {wall:.1f} | {cpu:.1f} | {described:.1f} | {rest} |")
        print(lines[-1], flush=True)
    if args.write:
        write_section("reviewedrun", _section(args.rows, lines))


def _section(rows: int, lines: list[str]) -> str:
    return "\n".join(
        [
            "## A large split in the request: where the time goes (reviewedrun)",
            "",
            f"`ThemeModel(n_themes=2)` on the first {rows:,} NHS FFT phase 1 answers, as a "
            "reviewer's split of a theme that size refits it in the web request:",
            "",
            *lines,
            "",
            "    CONSULT_DATA_DIR=/work/shared/data OMP_NUM_THREADS=1 nice -n 10 \\",
            f"        .venv/bin/python -m bench.split_stages --rows {rows} --write",
            "",
            f"Machine: {machine()}, shared with other jobs (load about 20), so wall seconds are "
            "inflated; CPU seconds are the fit's own.",
            "",
            "Describing the two parts (labels, keywords, summaries) is about half of the wall "
            "time; the partition itself (cleaning, vectors, clustering) most of the rest. A "
            "worker could describe a large split's parts as it does a large merge "
            "(`describing` set to the split's edit id on each part, undo deleting the parts so "
            "the worker's compare-and-set finds nothing), but the split's fit gives its "
            "partition and its descriptions at once: that needs a partition-only fit in "
            "`analysis/`, the parts' quotes and stability from it, and the split edit's "
            "recorded labels (replayed on a rerun) updated by the worker. Not done in this "
            "round.",
        ]
    )


if __name__ == "__main__":
    main()
