"""Answers that fit no theme: are planted off-topic answers told apart from real ones?

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python -m bench.fits_no_theme [--engine semantic]
        [--odd] [--write]

Plants known off-topic answers and themes the set as the workspace does (automatic count,
seed 0): into each free-text question of a freshly loaded demo, 10 NHS feedback answers and
the smoke walk's bus answer (finding 3 of smoke7); into each ArgKP motion (every argument,
including the 28 % that match no key point), 8 arguments of the next motion and 4 NHS
answers. For each candidate fit measure it reports the planted answers caught when at most 3
% of the real (demo; ArgKP key-point matched) answers are flagged, and the rule's own figures
(:data:`analysis.fit.FIT_FLOOR`): planted flagged, real answers wrongly flagged, and ArgKP's
arguments matching no key point flagged. ``--odd`` runs ArgKP's odd motions (held aside).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import normalize

from analysis import fit as fitmod
from analysis import stages
from bench.common import data_dir, machine, read_columns, write_section
from bench.demo_report import demo_questions, fit_demo_question

BUS = (
    "Buses in Erdington are unreliable after 7pm, so carers cannot get to evening shifts. "
    "Fund evening bus services first."
)
MAX_FALSE = 0.03  # share of real answers a candidate may flag when compared


def _nhs(count: int, seed: int) -> list[str]:
    """``count`` NHS feedback answers of 8 words or more, drawn with ``seed``."""
    rows = [r[0] for r in read_columns("nhs_fft_phase1.csv", "feedback") if len(r[0].split()) >= 8]
    return random.Random(seed).sample(rows, count)


def capture_runs():
    """Record the last run :func:`analysis.stages.assign` mapped (the run's state after any
    joining), so the candidates can be read from it."""
    seen = []
    original = stages.assign

    def spy(run):
        original(run)
        seen.append(run)

    stages.assign = spy
    return seen, original


def candidates(run) -> dict[str, np.ndarray]:
    """Per distinct answer, each candidate fit measure (higher: fits better)."""
    primary, weights, k = run.member.primary, run.weights, run.k
    own = normalize(fitmod.unsmoothed(run.representation, run.vectors))
    own_sim = fitmod.own_similarity(own, primary, weights, k)
    near = own @ own.T
    np.fill_diagonal(near, -1)
    top = np.argsort(-near, axis=1)[:, :10]
    ranked = -np.sort(-near, axis=1)
    centre = normalize((own * weights[:, None]).sum(axis=0, keepdims=True))[0]
    return {
        "confidence (now)": run.member.confidence,
        "own-vector similarity": own_sim,
        "own-vector fit (z in theme)": fitmod.theme_scores(own_sim, primary, weights, k),
        "smoothed fit (z in theme)": fitmod.theme_scores(
            run.member.confidence, primary, weights, k
        ),
        "nearest answer similarity": near.max(axis=1),
        "3rd nearest answer similarity": ranked[:, 2],
        "mean of 10 nearest": ranked[:, :10].mean(axis=1),
        "similarity to all answers' centre": own @ centre,
        "the rule: mean of 10 nearest, z in run": run.fit_reps,
        "10 neighbours in same theme": (primary[top] == primary[:, None]).mean(axis=1),
    }


def _rows_of_reps(run, kinds: list[str]) -> list[str]:
    """The kind of each distinct answer (its first row's)."""
    return [kinds[row] for row in run.rep_rows]


def demo(engine: str) -> list[dict]:
    found = []
    with demo_questions() as questions:
        for index, (wording, answers) in enumerate(questions):
            planted = [*_nhs(10, index), BUS]
            answers.texts = [*answers.texts, *planted]
            answers.references = [*answers.references, *(f"PLANT-{i}" for i in range(11))]
            answers.segments = {
                name: [*values, *["Charity"] * 11] for name, values in answers.segments.items()
            }
            if answers.agreement is not None:
                answers.agreement = [*answers.agreement, *[None] * 11]
            kinds = ["real"] * (len(answers.texts) - 11) + ["planted"] * 11
            seen, original = capture_runs()
            try:
                model = fit_demo_question(wording, answers, engine)
            finally:
                stages.assign = original
            found.append(_measure(f"demo {index + 1}", seen[-1], model, kinds))
    return found


def _argkp_motions() -> dict[str, list[tuple[str, bool]]]:
    """Per motion (sorted), every argument and whether it matches some key point."""
    root = data_dir() / "argkp"
    matched = set()
    with (root / "labels_train.csv").open(encoding="utf-8", newline="") as handle:
        matched = {r["arg_id"] for r in csv.DictReader(handle) if r["label"] == "1"}
    motions: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    with (root / "arguments_train.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            motions[row["topic"]].append((row["argument"], row["arg_id"] in matched))
    return dict(sorted(motions.items()))


def argkp(engine: str, parity: int) -> list[dict]:
    from analysis import ThemeModel

    motions = _argkp_motions()
    names = list(motions)
    found = []
    for index, topic in enumerate(names):
        if index % 2 != parity:
            continue
        other = motions[names[(index + 1) % len(names)]]
        guests = [a for a, _ in random.Random(index).sample(other, 8)] + _nhs(4, 100 + index)
        texts = [a for a, _ in motions[topic]] + guests
        kinds = ["real" if m else "unmatched" for _, m in motions[topic]]
        kinds += ["planted"] * len(guests)
        seen, original = capture_runs()
        try:
            model = ThemeModel(n_themes="auto", engine=engine, seed=0).fit(texts, question=topic)
        finally:
            stages.assign = original
        found.append(_measure(f"ArgKP {index}", seen[-1], model, kinds))
    return found


def _measure(name: str, run, model, kinds: list[str]) -> dict:
    rep_kinds = _rows_of_reps(run, kinds)
    flagged = [fitmod.FIT_FLAG in model.flags_[row] for row in range(len(kinds))]
    counts = {
        kind: (sum(f for f, k in zip(flagged, kinds, strict=True) if k == kind), kinds.count(kind))
        for kind in ("planted", "real", "unmatched")
    }
    print(name, run.k, counts, flush=True)
    return {
        "name": name,
        "themes": run.k,
        "kinds": rep_kinds,
        "measures": {m: v.tolist() for m, v in candidates(run).items()},
        "flagged": counts,
    }


def compare(found: list[dict]) -> list[str]:
    """Per candidate: AUC (planted vs real) and planted caught at <= MAX_FALSE real flagged,
    the cut chosen per set (its own quantile) and pooled."""
    lines = [
        "| Measure | AUC planted vs real | Planted caught (3 % of real flagged, per set) "
        "| Unmatched ArgKP flagged then |",
        "|---|---:|---:|---:|",
    ]
    for measure in found[0]["measures"]:
        caught = total = loose = loose_total = 0
        pool_score, pool_truth = [], []
        for entry in found:
            values = np.array(entry["measures"][measure])
            kinds = np.array(entry["kinds"])
            real = values[kinds == "real"]
            cut = np.quantile(real, MAX_FALSE)
            caught += int((values[kinds == "planted"] < cut).sum())
            total += int((kinds == "planted").sum())
            loose += int((values[kinds == "unmatched"] < cut).sum())
            loose_total += int((kinds == "unmatched").sum())
            keep = kinds != "unmatched"
            pool_score += (-values[keep]).tolist()
            pool_truth += (kinds[keep] == "planted").tolist()
        auc = roc_auc_score(pool_truth, pool_score)
        unmatched = f"{loose}/{loose_total}" if loose_total else "–"
        lines.append(f"| {measure} | {auc:.3f} | {caught}/{total} | {unmatched} |")
    return lines


def rule_table(found: list[dict]) -> list[str]:
    lines = [
        "| Set | Themes | Planted flagged | Real flagged | ArgKP no-key-point flagged |",
        "|---|---:|---:|---:|---:|",
    ]
    totals = defaultdict(lambda: [0, 0])
    for entry in found:
        cells = []
        for kind in ("planted", "real", "unmatched"):
            got, of = entry["flagged"][kind]
            totals[kind][0] += got
            totals[kind][1] += of
            cells.append(f"{got}/{of}" if of else "–")
        lines.append(f"| {entry['name']} | {entry['themes']} | " + " | ".join(cells) + " |")
    cells = [
        f"{totals[k][0]}/{totals[k][1]} ({100 * totals[k][0] / max(totals[k][1], 1):.1f} %)"
        for k in ("planted", "real", "unmatched")
    ]
    lines.append("| **All** | | " + " | ".join(f"**{c}**" for c in cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="semantic")
    parser.add_argument("--odd", action="store_true", help="ArgKP's odd motions only")
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument("--dump", help="also write the per-answer measures to this JSON file")
    args = parser.parse_args(argv)
    clock = time.perf_counter()
    found = [] if args.no_demo or args.odd else demo(args.engine)
    found += argkp(args.engine, 1 if args.odd else 0)
    which = "odd (held aside)" if args.odd else "even"
    if args.dump:
        Path(args.dump).write_text(json.dumps(found), encoding="utf-8")
    text = "\n".join(
        [
            f"Command: `OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python -m bench.fits_no_theme "
            f"--engine {args.engine}{' --odd' if args.odd else ''}`; {machine()}; "
            f"{time.perf_counter() - clock:.0f} s.",
            "",
            f"Sets: {'the demo questions and ' if not args.odd else ''}ArgKP's {which} motions, "
            f"engine {args.engine}, automatic count. Rule: an answer's mean similarity to "
            f"its {fitmod.NEIGHBOURS} most similar other answers (own vectors, before "
            f"neighbour averaging) more than {-fitmod.FIT_FLOOR:g} median absolute deviations "
            "below the run's median is flagged fits_no_theme. Counts are rows; the candidate "
            "table counts distinct answers.",
            "",
            *rule_table(found),
            "",
            "Candidate measures (distinct answers; lower means fits worse):",
            "",
            *compare(found),
        ]
    )
    print(text)
    if args.write:
        write_section("fits-no-theme", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
