"""What the fast engine's label-point count (count18) costs: seconds on 10,000 answers.

    .venv/bin/python -m bench.fast_label_points [--size 10000]

The answers are bench.scale's (NHS FFT, StackOverflow and Banking77 resampled and perturbed);
the fast engine themes them (automatic number of themes, seed 0) and the time spent in
:func:`analysis.stages._label_point_counts` (the static word-piece vectors of every distinct
answer mentioning a theme and of each of its separate points, compared with every label and
summary sentence) is measured inside the same fit, beside the fit's own time.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from bench.common import machine
from bench.scale import make_input


def measure(size: int) -> dict:
    """Fit the fast engine on ``size`` answers; the label count's and the fit's seconds."""
    from analysis import ThemeModel, stages

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        make_input(path, size)
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    texts = [row["text"] for row in rows]
    spent: list[float] = []
    counted: list[list[int] | None] = []
    original = stages._label_point_counts

    def timed(run):
        started = time.perf_counter()
        found = original(run)
        spent.append(time.perf_counter() - started)
        counted.append(found)
        return found

    stages._label_point_counts = timed
    try:
        started = time.perf_counter()
        model = ThemeModel(n_themes="auto", engine="fast", seed=0).fit(
            texts, ids=[row["id"] for row in rows]
        )
        total = time.perf_counter() - started
    finally:
        stages._label_point_counts = original
    few = sum(
        t["label_point"] is not None and 2 * t["label_point"] < t["mentions"] for t in model.themes_
    )
    return {
        "size": size,
        "fit": total,
        "count": sum(spent),
        "calls": len(spent),
        "themes": len(model.themes_),
        "fewer_than_half": few,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    found = measure(args.size)
    print(
        f"{found['size']:,} answers, fast engine: fit {found['fit']:.1f} s, of which the "
        f"label-point count {found['count']:.2f} s ({found['calls']} call(s)); "
        f"{found['themes']} themes, {found['fewer_than_half']} with fewer than half making "
        f"the label's point. Machine: {machine()}."
    )


if __name__ == "__main__":
    main()
