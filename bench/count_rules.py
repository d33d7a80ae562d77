"""Count rules tried for issue 12 on ArgKP's even motions: stability-based choice of k and
rules anchored on sqrt(n), beside the current rule measured in the same run.

    .venv/bin/python -m bench.count_rules [--held-out] [--write]

Per ArgKP motion (the arguments matching exactly one key point; k = the key points they
match; the motion given as the question's wording), for the fast and semantic engines:

* the count rule alone (seed 0; NMI of :func:`analysis.themes.find_themes` at the count
  chosen, as ``bench.theme_count`` scores it) for the current rule, sqrt(n) / 1.2 alone,
  and two stability-based choices within the current band (25 % either side of
  sqrt(n) / 1.2): the k whose themes are most stable (Ben-Hur et al. 2002; stability as the
  tool measures it, :func:`analysis.themes.stability`, weighted by theme size), and the k
  whose stability rises most from k - 1;
* the whole fit (``ThemeModel``, "auto", median over seeds 0-2, as ``bench.quality``
  scores it) for the current rule and two rules anchored on sqrt(n) with the merge count
  as a small adjustment.

Only the even motions are scored unless ``--held-out`` is given (the odd ones, held aside:
score them once, for a rule chosen on the even ones).
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from functools import partial

import numpy as np
from scipy.stats import spearmanr

import analysis.themes as themes
from analysis import stages
from analysis.api import ThemeModel
from analysis.themes import choose_theme_count, find_themes, size_prior, stability
from bench.common import machine, scores, write_section
from bench.quality import load_argkp

# choose_theme_count settings anchored on sqrt(n): the merge count only moves the count
# within a narrow band (or not at all) around the prior.
ANCHORED = {
    "within 10 % of sqrt(n) / 1.3": {"prior_band": 0.1, "prior_scale": 1.3},
    "sqrt(n) / 1.2 alone": {"prior_band": 0.0},
}


def band(weights: np.ndarray) -> range:
    """The current rule's band: 25 % either side of sqrt(n) / 1.2, at least 5 themes."""
    prior = size_prior(float(np.sum(weights)))
    return range(max(5, int(np.ceil(0.75 * prior))), int(np.floor(1.25 * prior)) + 1)


def stability_curve(vectors: np.ndarray, weights: np.ndarray, ks: range) -> dict[int, float]:
    """Per k, the size-weighted mean stability of the themes found with k given (seed 0)."""
    curve = {}
    for k in range(ks.start - 1, ks.stop):
        found = find_themes(vectors, weights, k, 0)
        mass = np.bincount(found.labels, weights=weights, minlength=k)
        curve[k] = float(np.average(stability(vectors, weights, found, 0), weights=mass))
    return curve


def nmi(run: stages.FitRun, truth: list[str], k: int) -> float:
    found = find_themes(run.vectors, run.weights, k, 0)
    rows = [found.labels[r] if r >= 0 else -1 for r in run.rep_of_row]
    return scores(truth, rows)["nmi"]


def summary(rows: list[tuple[int, int, float, float]]) -> str:
    """rows: (experts' k, count chosen, NMI with k given, NMI at the count chosen)."""
    ks = [r[0] for r in rows]
    counts = [r[1] for r in rows]
    within = sum(abs(c - k) <= 0.25 * k for k, c in zip(ks, counts, strict=True))
    given = statistics.mean(r[2] for r in rows)
    auto = statistics.mean(r[3] for r in rows)
    rho = spearmanr(counts, ks).correlation if len(set(counts)) > 1 else float("nan")
    return (
        f"{statistics.mean(counts):.1f} ({min(counts):g}-{max(counts):g}; {within}/{len(rows)} "
        f"within 25 %; Spearman {rho:+.2f}) | {auto:.1f} ({100 * (auto - given) / given:+.1f} %)"
    )


def whole_fit(
    motions: list, engine: str, rule: Callable[..., int] | None
) -> list[tuple[int, float, float, float]]:
    """Per motion: k, median count and NMI of the auto fit over seeds 0-2 under ``rule``
    (None: the current one), and the median NMI with k given."""
    found = []
    current = themes.choose_theme_count
    try:
        if rule is not None:
            themes.choose_theme_count = rule
        for topic, texts, truth, _multi, _all in motions:
            counts, auto = [], []
            for seed in range(3):
                model = ThemeModel(n_themes="auto", engine=engine, seed=seed)
                model.fit(texts, question=topic)
                counts.append(model.n_themes_)
                auto.append(scores(truth, model.labels_)["nmi"])
            found.append((statistics.median(counts), statistics.median(auto)))
    finally:
        themes.choose_theme_count = current
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="score the odd motions")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    parity = 1 if args.held_out else 0
    name = "12 odd (held aside)" if parity else "12 even (tuned on)"
    motions = [m for i, m in enumerate(load_argkp()) if i % 2 == parity]
    alone_rules = ["Current rule", "sqrt(n) / 1.2 alone", "Most stable k", "Largest rise"]
    fit_rules = ["Current rule", *ANCHORED]
    alone_lines, fit_lines = [], []
    for engine in ("fast", "semantic"):
        alone: dict[str, list] = {rule: [] for rule in alone_rules}
        given_fit = []
        for topic, texts, truth, _multi, _all in motions:
            run = stages.start(texts, None, None, None, None, question=topic)
            stages.cleaning(run, 0)
            stages.representation(run, engine, 0)
            k = len(set(truth))
            given = nmi(run, truth, k)
            curve = stability_curve(run.vectors, run.weights, band(run.weights))
            ks = band(run.weights)
            chosen = {
                "Current rule": choose_theme_count(run.vectors, run.weights, 0),
                "sqrt(n) / 1.2 alone": choose_theme_count(
                    run.vectors, run.weights, 0, **ANCHORED["sqrt(n) / 1.2 alone"]
                ),
                "Most stable k": max(ks, key=lambda c: (curve[c], -c)),
                "Largest rise": max(ks, key=lambda c: (curve[c] - curve[c - 1], -c)),
            }
            for rule, count in chosen.items():
                alone[rule].append((k, count, given, nmi(run, truth, count)))
            given_fit.append(
                statistics.median(
                    scores(
                        truth,
                        ThemeModel(n_themes=k, engine=engine, seed=seed)
                        .fit(texts, question=topic)
                        .labels_,
                    )["nmi"]
                    for seed in range(3)
                )
            )
            print(engine, topic[:40], k, chosen, flush=True)
        for rule in alone_rules:
            alone_lines.append(f"| {engine} | {rule} | {summary(alone[rule])} |")
        for rule in fit_rules:
            setting = None if rule == "Current rule" else partial_rule(ANCHORED[rule])
            found = whole_fit(motions, engine, setting)
            rows = [
                (len(set(m[2])), f[0], g, f[1])
                for m, f, g in zip(motions, found, given_fit, strict=True)
            ]
            fit_lines.append(f"| {engine} | {rule} | {summary(rows)} |")
            print(fit_lines[-1], flush=True)
    held = " --held-out" if args.held_out else ""
    lines = [
        "## Count rules tried (`bench/count_rules.py`)"
        + (", held-out motions" if args.held_out else ""),
        "",
        f"Command: `.venv/bin/python -m bench.count_rules{held} --write`. Machine: "
        f"{machine()}, shared and under load. ArgKP, {name} motions only, each given as the "
        "question's wording. Current rule: merge closer than 0.8 of the answers' mean "
        "pairwise distance, kept within 25 % of sqrt(n) / 1.2 (on these motions the merge "
        "count mostly falls below the band, so the count is its lower edge). In brackets: "
        "range of counts, how many came within 25 % of the experts' count, and the rank "
        "correlation of the counts with the experts'; NMI's change relative to k given. "
        "All rules measured in this run.",
        "",
        "Count rule alone (seed 0; NMI of `find_themes` at the count chosen). Stability: "
        "`analysis.themes.stability` (five k-means++ refits on 80 % samples, pair-counting "
        "F1), weighted by theme size, for each k in the current band (Ben-Hur et al. 2002: "
        "the most stable k; or the k whose stability rises most from k - 1):",
        "",
        "| Engine | Rule | Themes | NMI |",
        "|---|---|---|---|",
        *alone_lines,
        "",
        "Whole fit (`ThemeModel`, auto, median over seeds 0-2; after the count rule the fit "
        "dissolves combination themes and, semantic engine, joins themes that say one "
        "point), rules anchored on sqrt(n) with the merge count as a small adjustment:",
        "",
        "| Engine | Rule | Themes | NMI |",
        "|---|---|---|---|",
        *fit_lines,
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("count-rules-held-out" if args.held_out else "count-rules", text)


def partial_rule(settings: dict[str, float]) -> Callable[..., int]:
    """choose_theme_count with these settings, called as find_themes calls it."""
    return partial(choose_theme_count, **settings)


if __name__ == "__main__":
    main()
