"""Cold start (nothing coded): how the coding model codes from the codebook alone, before and
after the misfit rule (:data:`analysis.coding.COLD_FIT_RATIO`), with the right codebook and with
a codebook that plainly does not fit (each ArgKP motion's arguments against the next motion's
key points in the same half; the NHS answers against the first motion's key points).

Per data set, one fit (no coded rows, so no seed): sample F1 on every row; the share of rows
left "not coded: the model is unsure" (below the cold-start floor,
:func:`analysis.coding_floor.floor_for` with nothing coded); the sample F1 of the rest (the
rows counted as the model's codes); and the share the misfit rule alone leaves so.

    python -m bench.coding_cold --motions even|odd [--nhs 2000 --nhs-part 0]

``--sets`` measures how well the model codes with the right codebook and nothing coded, as it
is (``--set`` changes a ``CodingModel`` option, such as ``describe=sentences``): sample F1,
sample precision and recall, the share coded "no theme" and the share left unsure, per set:

    python -m bench.coding_cold --sets v6,argkp --v6 v6.csv --rows 3000 --v6-codebook BOOK
    python -m bench.coding_cold --sets trustc,fresh --fresh /work/extra/fresh   # held out

``v6``: ``--v6`` (``bench.pxtextmining_v6``'s output), a seeded sample of ``--rows``, its themes
as ``--v6-codebook`` has them (``bench.qdc_codebook``: the framework's names and descriptions);
``argkp``: ArgKP's 24 train motions (``$CONSULT_DATA_DIR``), each with its key points; ``trustc``:
2,000 NHS phase 1 answers of Trust C with its sub-themes' names; ``fresh``: the ArgKP motions
of ``--fresh``'s ``argkp`` folder. A set of several motions gives the mean over its motions.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from analysis import coding as coding_module
from analysis.coding import CodingModel, sample_f1
from analysis.coding_floor import floor_for
from analysis.features import CodingFeatures

from . import coding as bench
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


def cold_figures(texts: list[str], truth: list[frozenset], book, options: dict) -> dict[str, float]:
    """One cold-start fit with the right codebook (``options``: ``CodingModel`` settings):
    sample F1 on every row; sample precision (over the rows given a theme) and recall (over
    the rows with a true theme); the shares coded "no theme" and left unsure (below the
    cold-start floor)."""
    settings = {"engine": "semantic", **options}  # ``--set engine=fast`` for the word features
    model = CodingModel(**settings).fit(texts, [None] * len(texts), book)
    coded = model.coded_
    hits = np.array([len(t & c) for t, c in zip(truth, coded, strict=True)], float)
    given = np.array([len(c) for c in coded], float)
    true = np.array([len(t) for t in truth], float)
    return {
        "f1": float(sample_f1(truth, coded).mean()),
        "precision": float((hits / np.maximum(given, 1))[given > 0].mean()),
        "recall": float((hits / np.maximum(true, 1))[true > 0].mean()),
        "none": float(np.mean(given == 0)),
        "unsure": float(np.mean(model.confidence_ < floor_for(0, len(book.ids)))),
    }


def right_sets(args: argparse.Namespace) -> list[tuple[str, list, list, object]]:
    """(set, texts, truth, codebook) for each of ``--sets``, each motion on its own."""
    found = []
    for name in args.sets.split(","):
        if name == "v6":
            if not (args.v6 and args.v6_codebook):
                raise SystemExit("--sets v6 needs --v6 and --v6-codebook")
            texts, truth, book = bench.labelled_csv(args.v6, "text", "labels", args.rows, 0)
            found.append(("v6", texts, truth, bench.with_codebook(book, args.v6_codebook)))
        elif name == "trustc":
            found.append(("NHS Trust C", *nhs(2000, 0, 0, "Trust C")))
        elif name in ("argkp", "fresh"):
            if name == "fresh" and not args.fresh:
                raise SystemExit("--sets fresh needs --fresh DIR")
            keep = os.environ.get("CONSULT_DATA_DIR")
            if name == "fresh":
                os.environ["CONSULT_DATA_DIR"] = str(args.fresh)
            try:
                motions = argkp()
            finally:
                if name == "fresh":
                    os.environ.pop("CONSULT_DATA_DIR", None)
                    if keep is not None:
                        os.environ["CONSULT_DATA_DIR"] = keep
            label = "ArgKP train motions" if name == "argkp" else "ArgKP fresh motions"
            found += [(label, t, truth, b) for t, truth, _, b in motions.values()]
        else:
            raise SystemExit(f"unknown set {name} (use v6, argkp, trustc, fresh)")
    return found


def options_of(settings: list[str]) -> dict:
    """``--set key=value`` as ``CodingModel`` keyword arguments, typed as its defaults."""
    defaults = CodingModel().get_params()
    options = {}
    for setting in settings:
        key, value = setting.split("=", 1)
        if key not in defaults:
            raise SystemExit(f"unknown CodingModel setting {key}")
        kind = type(defaults[key])
        if defaults[key] is None:  # a number where one is given (cold_margin), else the text
            kind = float if value.replace(".", "", 1).isdigit() else str
        options[key] = value in ("1", "True", "true") if kind is bool else kind(value)
    return options


def right_main(args: argparse.Namespace) -> None:
    """The ``--sets`` table: cold-start figures with the right codebook."""
    started = time.time()
    options = options_of(args.settings)
    groups: dict[str, list[dict]] = {}
    for group, texts, truth, book in right_sets(args):
        groups.setdefault(group, []).append(cold_figures(texts, truth, book, options))
    lines = [
        f"Cold start, right codebook, {' '.join(args.settings) or 'defaults'}:",
        "",
        "| Set | sets | sample F1 | precision | recall | coded no theme | left unsure |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    means = {}
    for group, results in groups.items():
        mean = {k: float(np.mean([r[k] for r in results])) for k in results[0]}
        means[group] = round(mean["f1"], 4)
        lines.append(
            f"| {group} | {len(results)} | {mean['f1']:.4f} | {mean['precision']:.4f} "
            f"| {mean['recall']:.4f} | {mean['none']:.1%} | {mean['unsure']:.1%} |"
        )
    print("\n".join(lines) + f"\n\n{machine()}; {time.time() - started:.0f} s.")
    print(json.dumps({"settings": args.settings, "f1": means}), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--motions", default="even", choices=["even", "odd", "none"])
    parser.add_argument("--nhs", type=int, default=0, help="NHS phase 1 rows (0: none)")
    parser.add_argument("--nhs-part", type=int, default=0)
    parser.add_argument("--sets", help="right-codebook figures: v6, argkp, trustc, fresh")
    parser.add_argument("--v6", type=Path, help="multi-label feedback in the code layout")
    parser.add_argument("--rows", type=int, default=3000, help="a seeded sample of --v6")
    parser.add_argument("--v6-codebook", type=Path, help="a codebook file for --v6's themes")
    parser.add_argument("--fresh", type=Path, help="a data folder with held-out ArgKP motions")
    parser.add_argument("--set", action="append", default=[], dest="settings")
    args = parser.parse_args(argv)
    if args.sets:
        right_main(args)
        return
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
