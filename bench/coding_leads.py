"""Quick same-run comparisons of coding-model options on subsets (a few minutes, not the
full ``bench.coding`` run): the mean sample F1 on the model-coded rows at 5, 10 and 20 %
coded, with a simulated coder as in ``bench.coding``.

    python -m bench.coding_leads --motions all --nhs 2000 --v6 PATH --rows 3000 \\
        --set C=8 --set DENSITY=0.5 --strategies active

``--v6-codebook FILE`` codes ``--v6``'s themes with what a codebook file says of them (names,
descriptions, examples; ``bench.qdc_codebook`` writes one from pxtextmining's published
framework) instead of their ids alone.

``--trust 'Trust C'`` takes the NHS answers of that trust only (Trust C: the part no coding
encoder was trained on).

``--set`` takes ``CodingModel`` options (``combine``, ``clauses``, ``length`` and
``cardinality``: 0 or 1; numeric ones such as ``C=8`` or ``propagate=0``, code34's label
spreading off; text ones such as
``decision=thresholds`` or ``stance_themes=combine``, read only where stance is coded, as by
``bench.grader``) and ``analysis.suggest`` settings (any of its upper-case settings by name,
such as ``DENSITY=0`` or ``SHARE=max``). A setting measured, not adopted and taken out of the
product since (:data:`TAKEN_OUT`) stops the run, naming the commit that still has it. Prints
one JSON line: ``data/strategy/share`` to F1 (on the model-coded rows; with ``--all-rows`` also
``data/strategy/share/all``, on all rows with the human codes as given).

``--representation LEAD`` installs one of :mod:`bench.coding_representation`'s leads (code33:
other coding vectors or feature columns, bench-only) before the run; ``--labels LEAD`` one of
:mod:`bench.coding_labels`' (code34: label propagation over every answer, label co-occurrence).

``--fixed CACHE`` is quicker still, for options of the model alone: the rows the default
model's active selection coded up to ``--until`` from ``--seed``'s random start are recorded
once in ``CACHE`` (a pickle, made on the first run), and each run fits the model with
``--set`` once on those rows and scores the rest (``data/fixed/share``). It leaves out how
an option would change which rows get coded, so confirm a lead with a full run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pickle
import time
from pathlib import Path

import numpy as np

import analysis.coding as coding
import analysis.suggest as suggest

from . import coding as bench

BOOLEAN = ("combine", "clauses", "length", "cardinality")
# Settings measured, not adopted and taken out (tidy32): the BENCHMARKS.md section that
# measured each; commit 9a94d502 still has them all, to reproduce those figures.
TAKEN_OUT = {
    "clause_scores": "ml31",
    "NOVELTY": "al31",
    "MARGIN": "al31",
    "KCENTER": "al31",
    "QUOTA": "al31",
    "QUOTA_SHARE": "al31",
}
TAKEN_OUT_AT = "9a94d502"
ENGINE = "semantic"
_DATA: list[tuple] = []  # (name, texts, truth, codebook): read by the forked workers
_UNTIL = [0.2]
_SEED = [0]  # the simulated coder's random start (``--seed``)


def _run(job: tuple[int, str]) -> tuple[str, str, dict]:
    index, strategy = job
    name, texts, truth, book = _DATA[index]
    fit, score, pick = bench.theme_task(texts, truth, book, ENGINE, 0)
    return (
        name,
        strategy,
        bench.simulate(len(texts), fit, score, pick, strategy, _SEED[0], _UNTIL[0]),
    )


def _record(job: tuple[int, str]) -> tuple[int, list[int]]:
    """The rows coded at ``_UNTIL`` by ``strategy`` with the model as it is, the simulated
    coder starting from ``--seed``'s random rows."""
    index, strategy = job
    _, texts, truth, book = _DATA[index]
    fit, score, pick = bench.theme_task(texts, truth, book, ENGINE, 0)
    last: list[int] = []

    def recording(coded: set[int]):
        last[:] = sorted(coded)
        return fit(coded)

    bench.simulate(len(texts), recording, score, pick, strategy, _SEED[0], _UNTIL[0])
    return index, last


def _fit_fixed(job: tuple[int, list[int]]) -> tuple[str, str, dict]:
    """The model fitted once on the recorded coded rows, scored on the rest."""
    index, rows = job
    name, texts, truth, book = _DATA[index]
    fit, score, _ = bench.theme_task(texts, truth, book, ENGINE, 0)
    coded = set(rows)
    return name, "fixed", {_UNTIL[0]: score(fit(coded), coded)}


def fixed_jobs(cache: Path, pool, strategy: str = "active") -> list[tuple[int, list[int]]]:
    """The recorded coded rows per data set (recorded now, with the current defaults, when
    ``cache`` does not exist yet or was made for other data)."""
    key = [(name, len(texts), _UNTIL[0], strategy) for name, texts, _, _ in _DATA]
    if _SEED[0]:  # the simulated coder's random start (seed 0: the key as before)
        key = [(*part, _SEED[0]) for part in key]
    if cache.exists():
        saved = pickle.loads(cache.read_bytes())
        if saved["key"] == key:
            return saved["rows"]
    rows = pool.map(_record, [(i, strategy) for i in range(len(_DATA))], chunksize=1)
    cache.write_bytes(pickle.dumps({"key": key, "rows": rows}))
    return rows


def refuse_taken_out(settings: list[str]) -> None:
    """Stop, naming the commit that still has it, at a setting in :data:`TAKEN_OUT`."""
    for setting in settings:
        key = setting.split("=", 1)[0]
        if key in TAKEN_OUT:
            raise SystemExit(
                f"{key} was measured (BENCHMARKS.md {TAKEN_OUT[key]}), not adopted and taken "
                f"out; to reproduce its figures, run this at commit {TAKEN_OUT_AT}"
            )


def apply(settings: list[str]) -> None:
    """Change the defaults of ``CodingModel`` and the settings of ``analysis.suggest``."""
    init = coding.CodingModel.__init__
    defaults = list(init.__defaults__)
    names = init.__code__.co_varnames[1 : 1 + len(defaults)]
    refuse_taken_out(settings)
    for setting in settings:
        key, value = setting.split("=", 1)
        if key in BOOLEAN:
            defaults[names.index(key)] = value == "1"
        elif key in names and isinstance(defaults[names.index(key)], float):
            defaults[names.index(key)] = float(value)
        elif key in names and defaults[names.index(key)] is None:  # e.g. cold_margin=0
            defaults[names.index(key)] = _value(value)
        elif key in names and isinstance(defaults[names.index(key)], str):
            defaults[names.index(key)] = value  # e.g. stance_themes=combine
        elif key.isupper() and hasattr(suggest, key):  # a setting of analysis.suggest
            suggest.__dict__[key] = _value(value)
        else:
            raise SystemExit(f"unknown setting {key}")
    init.__defaults__ = tuple(defaults)


def _value(text: str):
    """A setting's value: None, True/False, a number or the text itself."""
    if text in ("None", "True", "False"):
        return {"None": None, "True": True, "False": False}[text]
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motions", default="all", choices=["even", "odd", "all", "none"])
    parser.add_argument("--nhs", type=int, default=0, help="NHS phase 1 rows (0: none)")
    parser.add_argument("--nhs-part", type=int, default=0, help="0: tuning part, 1: held aside")
    parser.add_argument(
        "--trust", help="NHS answers of this trust only, such as 'Trust C' (default: all)"
    )
    parser.add_argument("--seed", type=int, default=0, help="the simulated coder's random start")
    parser.add_argument("--v6", type=Path, help="multi-label feedback in the code layout")
    parser.add_argument("--rows", type=int, default=0, help="a seeded sample of --v6 (0: all)")
    parser.add_argument(
        "--v6-codebook",
        type=Path,
        help="a codebook file for --v6's themes (CSV or JSON, as `code --codebook` reads it; "
        "default: each theme named by its id)",
    )
    parser.add_argument("--strategies", default="active")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--until", type=float, default=0.2)
    parser.add_argument("--set", action="append", default=[], dest="settings")
    parser.add_argument(
        "--representation",
        help="a lead of bench.coding_representation, such as ownlda:0.5 (default: none)",
    )
    parser.add_argument(
        "--labels",
        help="a lead of bench.coding_labels, such as prop:0.8 or cooc (default: none)",
    )
    parser.add_argument("--fixed", type=Path, help="fit once on recorded coded rows (a cache)")
    parser.add_argument(
        "--all-rows",
        action="store_true",
        help="also the mean over all rows, human codes as given (keys ending /all)",
    )
    args = parser.parse_args()
    refuse_taken_out(args.settings)  # before any data is read or --fixed's rows recorded
    if args.representation:
        from . import coding_representation

        coding_representation.apply(args.representation)
    if args.labels:
        from . import coding_labels

        coding_labels.apply(args.labels)
    if not args.fixed:
        apply(args.settings)
    data = _DATA
    _UNTIL[0] = args.until
    _SEED[0] = args.seed
    if args.motions != "none":
        motions = list(bench.argkp().items())
        chosen = {"even": motions[::2], "odd": motions[1::2], "all": motions}[args.motions]
        data += [("argkp", t, truth, book) for _, (t, truth, _, book) in chosen]
    if args.nhs:
        data.append(("nhs", *bench.nhs(args.nhs, 0, args.nhs_part, args.trust)))
    if args.v6:
        texts, truth, book = bench.labelled_csv(args.v6, "text", "labels", args.rows, 0)
        if args.v6_codebook:
            book = bench.with_codebook(book, args.v6_codebook)
        data.append(("v6", texts, truth, book))
    jobs = [(i, s) for i in range(len(data)) for s in args.strategies.split(",")]
    jobs.sort(key=lambda job: -len(data[job[0]][1]))  # the largest first

    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        if args.fixed:
            recorded = fixed_jobs(args.fixed, pool)
    if args.fixed:
        apply(args.settings)  # after recording: the workers fork with the settings
        recorded.sort(key=lambda job: -len(data[job[0]][1]))
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        if args.fixed:
            results = pool.map(_fit_fixed, recorded, chunksize=1)
        else:
            results = pool.map(_run, jobs, chunksize=1)
    merged: dict[str, list[float]] = {}
    for name, strategy, by_share in results:
        for share, value in by_share.items():
            merged.setdefault(f"{name}/{strategy}/{share:g}", []).append(value[0])
            if args.all_rows and len(value) > 1:
                merged.setdefault(f"{name}/{strategy}/{share:g}/all", []).append(value[1])
    figures = {key: round(float(np.mean(v)), 4) for key, v in sorted(merged.items())}
    minutes = (time.perf_counter() - started) / 60
    print(" ".join(args.settings), json.dumps(figures), f"{minutes:.1f} min", flush=True)


if __name__ == "__main__":
    main()
