"""Two more signals for the automatic number of themes, on ArgKP's even motions (issue 12,
autok4): the eigengap of a kNN cosine graph of the answers' vectors, and a count from each
side's size (key points belong to one side).

    .venv/bin/python -m bench.count_signals [--engine fast|semantic]

Per even motion (the arguments matching exactly one key point, the motion given as the
question's wording, seed 0; the odd motions are not read): n, k, each side's arguments and key
points (the stance column of ``arguments_train.csv`` / ``key_points_train.csv``), and the
eigengap count of the run's vectors for kNN graphs of 5, 10 and 20 neighbours (symmetrised,
weights the positive cosine similarities; normalised Laplacian; the count j in [2, 20] or
[5, 20] with the largest gap between the j-th and (j+1)-th smallest eigenvalues). Then each
signal's Spearman correlation with k and how many motions it brings within 25 % of k; for the
size rules, c sqrt(n) against c (sqrt(n_for) + sqrt(n_against)), the most motions within 25 %
over c in 0.40-0.95 and the range of c that reaches it. Writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import math

import numpy as np
from scipy.stats import spearmanr

from bench.common import data_dir
from bench.count_misses import prepared, window
from bench.quality import load_argkp

NEIGHBOURS = (5, 10, 20)
LOWEST = (2, 5)


def eigenvalues(vectors: np.ndarray, neighbours: int) -> np.ndarray:
    """Ascending eigenvalues of the normalised Laplacian of the kNN cosine graph."""
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argsort(-similarity, axis=1, kind="stable")[:, :neighbours]
    graph = np.zeros_like(similarity)
    rows = np.arange(len(similarity))[:, None]
    graph[rows, nearest] = np.maximum(similarity[rows, nearest], 0.0)
    graph = np.maximum(graph, graph.T)
    scale = 1.0 / np.sqrt(np.maximum(graph.sum(axis=1), 1e-12))
    laplacian = np.eye(len(graph)) - scale[:, None] * graph * scale[None, :]
    return np.sort(np.linalg.eigvalsh(laplacian))


def eigengap_count(values: np.ndarray, lowest: int, highest: int = 20) -> int:
    """The j in [lowest, highest] with the largest gap values[j] - values[j - 1]."""
    gaps = np.diff(values[: highest + 1])  # gaps[j - 1] = values[j] - values[j - 1]
    return lowest + int(np.argmax(gaps[lowest - 1 : highest]))


def stances() -> tuple[dict[str, str], dict[str, str]]:
    """Each argument's side (by its text) and each key point's side, by id."""
    root = data_dir() / "argkp"
    with (root / "arguments_train.csv").open(encoding="utf-8", newline="") as handle:
        arguments = {row["argument"]: row["stance"] for row in csv.DictReader(handle)}
    with (root / "key_points_train.csv").open(encoding="utf-8", newline="") as handle:
        points = {row["key_point_id"]: row["stance"] for row in csv.DictReader(handle)}
    return arguments, points


def hits(counts: list[float], ks: list[int]) -> int:
    """How many rounded counts lie within 25 % of their k."""
    return sum(
        window(k)[0] <= int(round(c)) <= window(k)[1] for c, k in zip(counts, ks, strict=True)
    )


def best_constant(sizes: list[float], ks: list[int]) -> tuple[int, float, float]:
    """The most motions c * size brings within 25 % over c in 0.40-0.95, and the c range."""
    grid = np.round(np.arange(0.40, 0.9501, 0.001), 3)
    found = [hits([c * s for s in sizes], ks) for c in grid]
    top = max(found)
    reaching = [c for c, h in zip(grid, found, strict=True) if h == top]
    return top, float(min(reaching)), float(max(reaching))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("fast", "semantic"), default="fast")
    options = parser.parse_args()
    side_of, point_side = stances()
    ks, sqrt_n, per_side, signals = [], [], [], {}
    for index, (topic, texts, truth, _multi, _all) in enumerate(load_argkp()):
        if index % 2:
            continue
        k = len(set(truth))
        sides = [sum(side_of[t] == s for t in texts) for s in ("1", "-1")]
        points = [len({p for p in set(truth) if point_side[p] == s}) for s in ("1", "-1")]
        vectors = np.asarray(prepared(texts, options.engine, topic).vectors, dtype=np.float64)
        found = {}
        for neighbours in NEIGHBOURS:
            values = eigenvalues(vectors, neighbours)
            for lowest in LOWEST:
                found[(neighbours, lowest)] = eigengap_count(values, lowest)
        for key, count in found.items():
            signals.setdefault(key, []).append(count)
        ks.append(k)
        sqrt_n.append(math.sqrt(len(texts)))
        per_side.append(math.sqrt(sides[0]) + math.sqrt(sides[1]))
        gaps = " ".join(f"{m}/{low}:{c}" for (m, low), c in found.items())
        print(
            f"{topic[:34]:34} n {len(texts):3} k {k:2} sides {sides[0]}/{sides[1]} "
            f"points {points[0]}/{points[1]} eigengap {gaps}",
            flush=True,
        )
    for (neighbours, lowest), counts in signals.items():
        rho = spearmanr(counts, ks)[0]
        print(
            f"eigengap, {neighbours} neighbours, from {lowest}: Spearman {rho:.2f}, "
            f"within 25 % {hits(counts, ks)}/{len(ks)}, counts {counts}"
        )
    for name, sizes in (("c sqrt(n)", sqrt_n), ("c (sqrt(n_for) + sqrt(n_against))", per_side)):
        top, low, high = best_constant(sizes, ks)
        rho = spearmanr(sizes, ks)[0]
        print(f"{name}: Spearman {rho:.2f}; best {top}/{len(ks)} within 25 % for c {low}-{high}")


if __name__ == "__main__":
    main()
