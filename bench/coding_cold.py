"""Cold start (nothing coded): how the coding model codes from the codebook alone, before and
after the misfit rule (:data:`analysis.coding.COLD_FIT_RATIO`), with the right codebook and with
a codebook that plainly does not fit (each ArgKP motion's arguments against the next motion's
key points in the same half; the NHS answers against the first motion's key points).

Per data set, one fit (no coded rows, so no seed): sample F1 on every row; the share of rows
left "not coded: the model is unsure" (below the cold-start floor,
:func:`analysis.coding_floor.floor_for` with nothing coded); the sample F1 of the rest (the
rows counted as the model's codes); and the share the misfit rule alone leaves so.

    python -m bench.coding_cold --motions even|odd [--nhs 2000 --nhs-part 0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from analysis import coding as coding_module
from analysis.coding import CodingModel, sample_f1
from analysis.coding_floor import floor_for
from analysis.features import CodingFeatures

from .coding import argkp, nhs
from .common import machine


def measure(texts: list[str], truth: list[frozenset], book, ratio: float) -> dict[str, float]:
    """One cold-start fit with the misfit bar at ``ratio`` (0: off, the earlier rule)."""
    features = CodingFeatures(engine="semantic").fit(texts + [c.text() for c in book.codes])
    keep = coding_module.COLD_FIT_RATIO
    coding_module.COLD_FIT_RATIO = ratio
    try:
        model = CodingModel(engine="semantic").fit(
            texts, [None] * len(texts), book, features=features
        )
    finally:
        coding_module.COLD_FIT_RATIO = keep
    f1 = sample_f1(truth, model.coded_)
    unsure = model.confidence_ < floor_for(0, len(book.ids))
    return {
        "f1": float(f1.mean()),
        "unsure": float(unsure.mean()),
        "f1_counted": float(f1[~unsure].mean()) if (~unsure).any() else float("nan"),
        "misfit": float(np.mean(model.misfit_)) if len(model.misfit_) else 0.0,
    }


def data_sets(motions: str, rows: int, part: int) -> list[tuple[str, list, list, object]]:
    """(group, texts, truth, codebook) for every data set measured."""
    found = argkp()
    names = list(found)
    chosen = names[0::2] if motions == "even" else names[1::2] if motions == "odd" else []
    sets = []
    for i, name in enumerate(chosen):
        texts, truth, _, book = found[name]
        sets.append((f"ArgKP {motions}, right codebook", texts, truth, book))
        other = found[chosen[(i + 1) % len(chosen)]][3]
        sets.append(
            (
                f"ArgKP {motions}, another motion's codebook",
                texts,
                [frozenset()] * len(texts),
                other,
            )
        )
    if rows:
        texts, truth, book = nhs(rows, 0, part=part)
        sets.append((f"NHS part {part}, right codebook", texts, truth, book))
        if chosen:
            other = found[chosen[0]][3]
            sets.append(
                (
                    f"NHS part {part}, a motion's key points",
                    texts,
                    [frozenset()] * len(texts),
                    other,
                )
            )
    return sets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--motions", default="even", choices=["even", "odd", "none"])
    parser.add_argument("--nhs", type=int, default=0, help="NHS phase 1 rows (0: none)")
    parser.add_argument("--nhs-part", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.time()
    groups: dict[str, dict[str, list[dict]]] = {}
    for group, texts, truth, book in data_sets(args.motions, args.nhs, args.nhs_part):
        for rule, ratio in (("before", 0.0), ("after", coding_module.COLD_FIT_RATIO)):
            groups.setdefault(group, {}).setdefault(rule, []).append(
                measure(texts, truth, book, ratio)
            )
    lines = [
        "| Data (cold start) | sets | rule | sample F1, every row | left unsure "
        "| F1 of the rest | misfits |",
        "|---|---|---|---|---|---|---|",
    ]
    for group, rules in groups.items():
        for rule, results in rules.items():
            mean = {k: float(np.nanmean([r[k] for r in results])) for k in results[0]}
            lines.append(
                f"| {group} | {len(results)} | {rule} | {mean['f1']:.4f} | {mean['unsure']:.1%} "
                f"| {mean['f1_counted']:.4f} | {mean['misfit']:.1%} |"
            )
    text = "\n".join(lines) + f"\n\n{machine()}; {time.time() - started:.0f} s.\n"
    print(text)


if __name__ == "__main__":
    main()
