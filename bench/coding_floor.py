"""The coding model's confidence floor: below which confidence an answer is left "not coded:
the model is unsure" instead of counted with the model's themes.

For each dataset (NHS phase 1 sub-themes, a seeded sample; ArgKP key points per motion) a
seeded share of the rows (seeds 0 to N-1, pooled) is revealed as people's codes, the model
(``analysis.coding``) codes the rest, and for each floor the rows it coded are split at the
floor: the share left uncoded, and sample-averaged F1 (per-response F1, 1 when both are
empty) of the codes kept above the floor and of those left below it.

    python -m bench.coding_floor [--engine auto] [--nhs-rows 1000] [--motions 8] [--seeds 3]
                                 [--write]
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from analysis.coding import CodingModel, sample_f1
from analysis.features import CodingFeatures

from .coding import argkp, nhs
from .common import machine, write_section

FLOORS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
SHARES = (4, 0.05, 0.10, 0.20)  # an int: that many rows coded (the smoke walk's 4)


def measure(texts, truth, book, engine: str, shares, seed: int) -> dict:
    """share -> (scores of the model's rows, their confidences)."""
    features = CodingFeatures(engine=engine).fit(texts + [c.text() for c in book.codes])
    found = {}
    for share in shares:
        count = share if isinstance(share, int) else max(2, round(share * len(texts)))
        coded = set(random.Random(seed).sample(range(len(texts)), count))
        labels = [truth[i] if i in coded else None for i in range(len(texts))]
        model = CodingModel(engine=engine, seed=seed).fit(texts, labels, book, features=features)
        rest = np.array([i for i in range(len(texts)) if i not in coded], int)
        scores = sample_f1(truth, model.coded_)[rest]
        found[share] = (scores, np.asarray(model.confidence_)[rest])
    return found


def _add(pool: dict, found: dict) -> None:
    for share, (scores, confidence) in found.items():
        pool[share][0].append(scores)
        pool[share][1].append(confidence)


def _pooled(pool: dict) -> dict:
    return {s: (np.concatenate(a), np.concatenate(b)) for s, (a, b) in pool.items()}


def table(pooled: dict) -> str:
    """One row per (coded share, floor)."""
    lines = [
        "| coded | floor | left uncoded | F1 kept (above) | F1 left (below) | F1 all, no floor |",
        "|---|---|---|---|---|---|",
    ]
    for share, (scores, confidence) in pooled.items():
        coded = f"{share} rows" if isinstance(share, int) else f"{100 * share:.0f} %"
        for floor in FLOORS:
            below = confidence < floor
            kept = scores[~below].mean() if (~below).any() else float("nan")
            left = scores[below].mean() if below.any() else float("nan")
            lines.append(
                f"| {coded} | {floor:.2f} | {100 * below.mean():.1f} % | {kept:.3f} | "
                f"{'-' if np.isnan(left) else f'{left:.3f}'} | {scores.mean():.3f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto", choices=["auto", "fast", "semantic"])
    parser.add_argument("--nhs-rows", type=int, default=1000)
    parser.add_argument("--motions", type=int, default=8)
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1, pooled")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seeds = list(range(args.seeds))
    nhs_pool: dict = {share: ([], []) for share in SHARES}
    argkp_pool: dict = {share: ([], []) for share in SHARES}
    motions = list(argkp().items())[: args.motions]
    for seed in seeds:
        texts, truth, book = nhs(args.nhs_rows, seed)
        _add(nhs_pool, measure(texts, truth, book, args.engine, SHARES, seed))
        for _topic, (m_texts, m_truth, _stance, m_book) in motions:
            _add(argkp_pool, measure(m_texts, m_truth, m_book, args.engine, SHARES, seed))
    sections = [
        (f"NHS phase 1, {args.nhs_rows} answers, 44 sub-themes", _pooled(nhs_pool)),
        (f"ArgKP, {len(motions)} motions pooled", _pooled(argkp_pool)),
    ]
    seconds = time.perf_counter() - started
    command = (
        f"nice -n 10 OMP_NUM_THREADS=1 python -m bench.coding_floor --engine {args.engine} "
        f"--nhs-rows {args.nhs_rows} --motions {args.motions} --seeds {args.seeds}"
    )
    text = "\n\n".join(f"**{name}**\n\n{table(found)}" for name, found in sections)
    print(text)
    print(f"{seconds:.0f} s")
    if args.write:
        write_section(
            "coding-floor",
            f"## Coding: the model's confidence floor (`bench/coding_floor.py`, issue 13)\n\n"
            f"`{command}` ({seconds:.0f} s; {machine()}).\n\n{text}\n",
        )


if __name__ == "__main__":
    main()
