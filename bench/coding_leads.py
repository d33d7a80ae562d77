"""Quick same-run comparisons of coding-model options on subsets (a few minutes, not the
full ``bench.coding`` run): the mean sample F1 on the model-coded rows at 5, 10 and 20 %
coded, with a simulated coder as in ``bench.coding``.

    python -m bench.coding_leads --motions all --nhs 2000 --v6 PATH --rows 3000 \\
        --set none_rule=1 --set explore=0.25 --strategies active

``--set`` takes ``CodingModel`` options (``none_rule``, ``reweight``, ``combine``: 0 or 1)
and ``analysis.suggest`` settings (``explore``: a share; ``doubt``: ``confidence`` or
``expected_f1``). Prints one JSON line: ``data/strategy/share`` to F1.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from pathlib import Path

import numpy as np

import analysis.coding as coding
import analysis.suggest as suggest

from . import coding as bench

BOOLEAN = ("none_rule", "reweight", "combine")
_DATA: list[tuple] = []  # (name, texts, truth, codebook): read by the forked workers
_UNTIL = [0.2]


def _run(job: tuple[int, str]) -> tuple[str, str, dict]:
    index, strategy = job
    name, texts, truth, book = _DATA[index]
    fit, score, pick = bench.theme_task(texts, truth, book, "semantic", 0)
    return name, strategy, bench.simulate(len(texts), fit, score, pick, strategy, 0, _UNTIL[0])


def apply(settings: list[str]) -> None:
    """Change the defaults of ``CodingModel`` and the settings of ``analysis.suggest``."""
    init = coding.CodingModel.__init__
    defaults = list(init.__defaults__)
    names = init.__code__.co_varnames[1 : 1 + len(defaults)]
    for setting in settings:
        key, value = setting.split("=", 1)
        if key in BOOLEAN:
            defaults[names.index(key)] = value == "1"
        elif key == "explore":
            suggest.EXPLORE = float(value)
        elif key == "doubt":
            suggest.DOUBT = value
        else:
            raise SystemExit(f"unknown setting {key}")
    init.__defaults__ = tuple(defaults)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motions", default="all", choices=["even", "odd", "all", "none"])
    parser.add_argument("--nhs", type=int, default=0, help="NHS phase 1 rows (0: none)")
    parser.add_argument("--v6", type=Path, help="multi-label feedback in the code layout")
    parser.add_argument("--rows", type=int, default=0, help="a seeded sample of --v6 (0: all)")
    parser.add_argument("--strategies", default="active")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--until", type=float, default=0.2)
    parser.add_argument("--set", action="append", default=[], dest="settings")
    args = parser.parse_args()
    apply(args.settings)
    data = _DATA
    _UNTIL[0] = args.until
    if args.motions != "none":
        motions = list(bench.argkp().items())
        chosen = {"even": motions[::2], "odd": motions[1::2], "all": motions}[args.motions]
        data += [("argkp", t, truth, book) for _, (t, truth, _, book) in chosen]
    if args.nhs:
        data.append(("nhs", *bench.nhs(args.nhs, 0, 0)))
    if args.v6:
        data.append(("v6", *bench.labelled_csv(args.v6, "text", "labels", args.rows, 0)))
    jobs = [(i, s) for i in range(len(data)) for s in args.strategies.split(",")]
    jobs.sort(key=lambda job: -len(data[job[0]][1]))  # the largest first

    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        results = pool.map(_run, jobs, chunksize=1)
    merged: dict[str, list[float]] = {}
    for name, strategy, by_share in results:
        for share, value in by_share.items():
            merged.setdefault(f"{name}/{strategy}/{share:g}", []).append(value[0])
    figures = {key: round(float(np.mean(v)), 4) for key, v in sorted(merged.items())}
    minutes = (time.perf_counter() - started) / 60
    print(" ".join(args.settings), json.dumps(figures), f"{minutes:.1f} min", flush=True)


if __name__ == "__main__":
    main()
