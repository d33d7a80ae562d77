"""Does a theme's stability hold when a rerun with another seed finds the same grouping?

    .venv/bin/python -m bench.stability_reruns [--seeds 5] [--engine semantic]
        [--motions 6] [--nhs-rows 1000] [--cpu-code DIR] [--cpu-rows 3000] [--write]

Issue 12, smoke7 #6: a demo question rerun with seed 1 found the same groups and counts as
seed 0, yet stability moved by up to 0.3 and the "unstable grouping" flag (below
:data:`analysis.report.STABLE_ENOUGH` as shown) hopped between themes. Per data set (the
demo's free-text questions as the workspace themes them, ``--motions`` ArgKP motions with the
motion as the question, and a seeded NHS feedback sample of ``--nhs-rows``), the real fit
(``ThemeModel``, automatic count) is run with seeds 0 to ``--seeds`` - 1, and every seed's
final themes are measured by each variant of the stability measure, on the same fits:

- ``run seed``: the measure before this change (samples and refits seeded by the run's seed);
- ``from data``: :func:`analysis.themes.stability` today (seeded from the answers);
- ``from data, 10``: the same with ten refits (twice the cost).

Each theme of seed 0 is matched to its best Jaccard overlap (answers' primary themes) in
every other seed's fit. "Identical": the same members in every seed; "nearly": Jaccard at
least 0.9 in every seed. For those, the spread (max - min) of a variant's figure across
seeds and how often its flag differs from seed 0's (flips per theme and other seed). A theme
"breaks up" when its mean best Jaccard over the other seeds is below 0.6: the flag should
fire on it (share flagged) and stability should agree with the across-seed overlap
(Spearman, all themes). ``--cpu-code DIR``: process CPU seconds of a fast-engine fit of
``--cpu-rows`` NHS answers with this code and with the copy in DIR (``git archive`` of
main's ``analysis/``), median of three, interleaved.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from analysis import stages
from analysis.api import ThemeModel
from analysis.report import STABLE_ENOUGH, below
from analysis.themes import stability
from bench.common import machine, measure_in, write_section

# Read by hand beside the table (kept in the section when it is rewritten).
NOTES = """\
**Reading (issue 12, smoke7 #6):** with samples and refits seeded by the run's seed, a theme
whose members were identical in all five seeds moved by 0.17 on average (up to 0.42) and its
flag flipped in 16 % of seed pairs (15 of 58 such themes flipped at least once): the hopping
smoke7 saw. Seeding them from the answers (``analysis.themes.resample_key``, kept) brings the
mean spread to 0.05 and the flips to 1.7 % (2 of 58 themes) at no cost (the same five refits;
the fast fit of 3,000 NHS answers within noise of main). The spread left is the seed's effect
on the vectors' term part (a randomized SVD), which steers a refit now and then (one demo
theme still spread 0.43). Ten refits (twice the stability CPU) cut the largest spread to 0.15
but not the flips (3.4 %) and would add about 1 s to the 7 s fast NHS fit, past the +10 %
budget: not adopted. The flag still fires on themes that break up across seeds (5 of 8,
against 24 % of the others; run seed: 6 of 8, 25 %); only 8 themes broke up (mean overlap
below 0.6), so that share is loose. Not done: a band ("check" between two cuts) for the flips
left; the reports would need a third verdict throughout (page, Word, Excel, CLI).
"""


SAME = 0.9  # best Jaccard at least this in every other seed: nearly the same theme
BREAKS = 0.6  # mean best Jaccard below this over the other seeds: the theme breaks up


def _key(run: Any, runs: int = 5) -> np.ndarray:
    """Today's measure (:func:`analysis.themes.stability` keyed by the answers)."""
    from analysis.themes import resample_key  # not in main's copy (``--cpu-code``)

    key = resample_key(run.rep_texts, run.weights, run.k)
    return stability(run.vectors, run.weights, run.clustering, 0, runs=runs, key=key)


VARIANTS: dict[str, Callable[[Any, int], np.ndarray]] = {
    "run seed": lambda run, seed: stability(run.vectors, run.weights, run.clustering, seed),
    "from data": lambda run, seed: _key(run),
    "from data, 10": lambda run, seed: _key(run, 10),
}


def fit_capturing(seed: int, engine: str, texts: list[str], **options: Any) -> tuple:
    """A fit and its run as the stability stage last saw it (the final themes)."""
    seen: list[stages.FitRun] = []
    original = stages.stability_stage

    def keep(run: stages.FitRun, seed: int, threads: int) -> None:
        original(run, seed, threads)
        seen.append(run)

    stages.stability_stage = keep
    try:
        model = ThemeModel(n_themes="auto", engine=engine, seed=seed).fit(texts, **options)
    finally:
        stages.stability_stage = original
    return model, seen[-1]


def datasets(motions: int, nhs_rows: int) -> Iterator[tuple[str, list[str], dict[str, Any]]]:
    """(name, texts, fit options) for the demo's questions, ArgKP motions and an NHS sample."""
    from bench.demo_report import demo_questions
    from bench.quality import load_argkp
    from bench.summary_repeats import nhs_sample

    with demo_questions() as questions:
        found = [
            (
                f"demo Q{index + 1}",
                answers.texts,
                {
                    "ids": answers.references,
                    "segments": {"partner_type": answers.segments["partner_type"]},
                    "agreement": answers.agreement,
                    "question": wording,
                },
            )
            for index, (wording, answers) in enumerate(questions)
        ]
    yield from found
    for topic, texts, _truth, _multi, _all in load_argkp()[:motions]:
        yield f"ArgKP {topic[:30]}", texts, {"question": topic}
    texts, ids = nhs_sample(nhs_rows, 5)
    yield f"NHS {nhs_rows}", texts, {"ids": ids}


def best_jaccard(members: np.ndarray, labels: np.ndarray) -> float:
    """The best Jaccard overlap of a set of answers (a mask) with one theme of ``labels``."""
    best = 0.0
    for other in np.unique(labels[members]):
        found = labels == other
        best = max(best, np.sum(members & found) / np.sum(members | found))
    return float(best)


def measure_set(texts: list[str], options: dict, seeds: list[int], engine: str) -> dict:
    """Per theme of seed 0's fit: its overlap with each other seed's best match, and each
    variant's figure in every seed's fit (for that match)."""
    fits, figures, seconds = [], [], {name: 0.0 for name in VARIANTS}
    for seed in seeds:
        model, run = fit_capturing(seed, engine, texts, **options)
        labels = np.asarray(model.labels_)
        got = {}
        for name, variant in VARIANTS.items():
            clock = time.process_time()
            got[name] = variant(run, seed)
            seconds[name] += time.process_time() - clock
        fits.append(labels)
        figures.append(got)
    themes = []
    first = fits[0]
    for theme in range(int(first.max()) + 1 if len(first) else 0):
        members = first == theme
        if not members.any() or theme >= len(figures[0]["from data"]):
            continue
        overlaps, values = [], {name: [figures[0][name][theme]] for name in VARIANTS}
        for index in range(1, len(seeds)):
            other = fits[index]
            match = max(np.unique(other[members]), key=lambda o: best_key(members, other, o))
            overlaps.append(best_jaccard(members, other))
            for name in VARIANTS:
                found = figures[index][name]
                values[name].append(found[match] if 0 <= match < len(found) else np.nan)
        themes.append({"overlaps": overlaps, "values": values, "size": int(members.sum())})
    return {"themes": themes, "seconds": seconds}


def best_key(members: np.ndarray, labels: np.ndarray, other: int) -> float:
    """The Jaccard overlap of ``members`` with theme ``other`` of ``labels``."""
    found = labels == other
    return float(np.sum(members & found) / np.sum(members | found))


def flagged(value: float) -> bool:
    """The report's flag: below STABLE_ENOUGH as shown to two places."""
    return below(float(value), STABLE_ENOUGH)


def summarise(themes: list[dict]) -> dict[str, dict[str, float]]:
    """Per variant: spread and flips on identical and nearly identical themes, the share
    flagged among themes that break up and among the rest, and Spearman with overlap."""
    out: dict[str, dict[str, float]] = {}
    identical = [t for t in themes if min(t["overlaps"]) >= 1.0]
    nearly = [t for t in themes if min(t["overlaps"]) >= SAME]
    breaks = [t for t in themes if np.mean(t["overlaps"]) < BREAKS]
    holds = [t for t in themes if np.mean(t["overlaps"]) >= BREAKS]
    for name in VARIANTS:
        row: dict[str, float] = {}
        for label, group in (("identical", identical), ("nearly", nearly)):
            spreads = [np.nanmax(t["values"][name]) - np.nanmin(t["values"][name]) for t in group]
            flips = [
                flagged(v) != flagged(t["values"][name][0])
                for t in group
                for v in t["values"][name][1:]
            ]
            row[f"{label} n"] = len(group)
            row[f"{label} spread"] = float(np.mean(spreads)) if spreads else float("nan")
            row[f"{label} max spread"] = float(np.max(spreads)) if spreads else float("nan")
            row[f"{label} flips"] = float(np.mean(flips)) if flips else float("nan")
            row[f"{label} flip themes"] = sum(
                any(flagged(v) != flagged(t["values"][name][0]) for v in t["values"][name][1:])
                for t in group
            )
        row["breaks n"] = len(breaks)
        row["breaks flagged"] = (
            float(np.mean([flagged(t["values"][name][0]) for t in breaks])) if breaks else 0.0
        )
        row["holds flagged"] = (
            float(np.mean([flagged(t["values"][name][0]) for t in holds])) if holds else 0.0
        )
        row["rho"] = float(
            spearmanr(
                [t["values"][name][0] for t in themes], [np.mean(t["overlaps"]) for t in themes]
            ).statistic
        )
        out[name] = row
    return out


def nhs_fit_cpu(rows: int) -> float:
    """Process CPU seconds of one fast-engine fit of ``rows`` NHS answers (this code)."""
    from bench.summary_repeats import nhs_sample

    texts, ids = nhs_sample(rows, 5)
    clock = time.process_time()
    ThemeModel(n_themes="auto", engine="fast", seed=0).fit(texts, ids=ids)
    return time.process_time() - clock


def cpu_compare(code: str, rows: int, repeats: int = 3) -> tuple[float, float]:
    """Median CPU seconds of the fast NHS fit: this code, then the copy in ``code``,
    interleaved, each in its own process."""
    from pathlib import Path

    from bench.common import ROOT

    mine, theirs = [], []
    for _ in range(repeats):
        mine.append(measure_in(ROOT, __file__, f"nhs_fit_cpu({rows})"))
        theirs.append(measure_in(Path(code), __file__, f"nhs_fit_cpu({rows})"))
    return float(np.median(mine)), float(np.median(theirs))


def table(found: dict[str, dict[str, float]], seconds: dict[str, float] | None) -> list[str]:
    """The markdown table of :func:`summarise`'s figures."""
    lines = [
        "| Variant | identical themes: mean / max spread | flips | themes flipping | "
        "nearly same (J >= 0.9): mean / max spread | flips | themes flipping | "
        "flagged, breaking up / holding | Spearman with overlap | stability CPU s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, f in found.items():
        lines.append(
            f"| {name} | {f['identical spread']:.3f} / {f['identical max spread']:.2f} | "
            f"{f['identical flips']:.1%} | {f['identical flip themes']} of "
            f"{f['identical n']} | {f['nearly spread']:.3f} / {f['nearly max spread']:.2f} | "
            f"{f['nearly flips']:.1%} | {f['nearly flip themes']} of {f['nearly n']} | "
            f"{f['breaks flagged']:.0%} of {f['breaks n']} / {f['holds flagged']:.0%} | "
            f"{f['rho']:.2f} | {f'{seconds[name]:.1f}' if seconds else '-'} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--engine", default="semantic")
    parser.add_argument("--motions", type=int, default=6)
    parser.add_argument("--nhs-rows", type=int, default=1000)
    parser.add_argument("--cpu-code", default=None)
    parser.add_argument("--cpu-rows", type=int, default=3000)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    groups: dict[str, list[dict]] = {"demo": [], "ArgKP": [], "NHS": []}
    seconds = {name: 0.0 for name in VARIANTS}
    for name, texts, options in datasets(args.motions, args.nhs_rows):
        random.seed(0)
        result = measure_set(texts, options, seeds, args.engine)
        groups[name.split()[0]].extend(result["themes"])
        for variant, spent in result["seconds"].items():
            seconds[variant] += spent
        print(name, len(result["themes"]), "themes", flush=True)
    every = [t for group in groups.values() for t in group]
    lines = [
        "## Stability across reruns (`bench/stability_reruns.py`)",
        "",
        f"Command: `nice -n 10 OMP_NUM_THREADS=1 .venv/bin/python -m bench.stability_reruns "
        f"--seeds {args.seeds} --engine {args.engine} --motions {args.motions} --nhs-rows "
        f"{args.nhs_rows}{' --cpu-code DIR' if args.cpu_code else ''} --write`. "
        f"Machine: {machine()}. Seeds {seeds}, {args.engine} engine, automatic count; the "
        f"demo's free-text questions, the first {args.motions} ArgKP motions, "
        f"{args.nhs_rows} NHS answers. Themes of seed 0 matched to their best Jaccard "
        f"overlap in each other seed; flips: the flag (below {STABLE_ENOUGH} as shown) "
        f"differing from seed 0's, per theme and other seed; breaking up: mean overlap below "
        f"{BREAKS}.",
        "",
        *table(summarise(every), seconds),
        "",
    ]
    for name, group in groups.items():
        lines += [f"{name} ({len(group)} themes):", "", *table(summarise(group), None), ""]
    if args.cpu_code:
        mine, theirs = cpu_compare(args.cpu_code, args.cpu_rows)
        lines.append(
            f"Fast-engine fit of {args.cpu_rows:,} NHS answers, process CPU, median of three "
            f"interleaved: main {theirs:.1f} s, this branch {mine:.1f} s "
            f"({mine / theirs - 1:+.1%})."
        )
    text = "\n".join([*lines, "", NOTES])
    print(text)
    if args.write:
        write_section("stability-reruns", text)


if __name__ == "__main__":
    main()
