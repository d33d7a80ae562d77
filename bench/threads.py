"""k-means thread count: time and reproducibility with 1 and 2 threads, in one process.

    .venv/bin/python -m bench.threads [--repeats 3] [--write]

Clusters the fast engine's vectors of the StackOverflow titles (20,000) into 20 themes under
threadpoolctl limits of 1 and 2 threads, alternating, and reports median seconds, the ratio,
and whether the labels are identical.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from analysis.represent import FastRepresentation
from analysis.themes import kmeans
from analysis.tokens import Tokenizer
from bench.common import machine, read_columns, write_section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    texts = [r[0] for r in read_columns("stackoverflow.csv", "text")]
    tokens = Tokenizer().fit_transform(texts)
    vectors = FastRepresentation(seed=0).fit_transform(texts, tokens)
    weights = np.ones(len(texts))
    seconds: dict[int, list[float]] = {1: [], 2: []}
    labels: dict[int, np.ndarray] = {}
    for _ in range(args.repeats):
        for threads in (1, 2):
            started = time.perf_counter()
            result = kmeans(vectors, 20, 0, weights, n_init=5, threads=threads)
            seconds[threads].append(time.perf_counter() - started)
            labels[threads] = result.labels
    one, two = statistics.median(seconds[1]), statistics.median(seconds[2])
    same = bool(np.array_equal(labels[1], labels[2]))
    text = "\n".join(
        [
            "## Clustering threads (`bench/threads.py`)",
            "",
            f"Command: `.venv/bin/python -m bench.threads --repeats {args.repeats} --write`. "
            f"Machine: {machine()}. k-means (k=20, n_init=5) on the fast engine's vectors of "
            f"{len(texts):,} StackOverflow titles, alternating thread limits in one process.",
            "",
            "| Threads | Median seconds | Ratio to 1 thread | Labels identical to 1 thread |",
            "|---|---|---|---|",
            f"| 1 | {one:.2f} | 1.00 | yes |",
            f"| 2 | {two:.2f} | {two / one:.2f} | {'yes' if same else 'no'} |",
            "",
            "The engine defaults to 1 thread (`--threads`, `ThemeModel(threads=...)`).",
        ]
    )
    print(text)
    if args.write:
        write_section("threads", text)


if __name__ == "__main__":
    main()
