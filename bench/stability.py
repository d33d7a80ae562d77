"""Does a theme's stability tell good themes from bad? Stability against expert themes.

    .venv/bin/python -m bench.stability [--seeds 3] [--nhs-rows 2000] [--timing-rows 40000]
        [--write]

Per ArgKP motion (the arguments matching exactly one expert key point, the motion given as
the question's wording, as :mod:`bench.quality` does) and per NHS feedback part (a seeded
shuffle of the answers with their 44 human sub-themes: part 0 tuned on, part 1 held aside),
the real fit (``ThemeModel``, semantic engine, automatic count) is run once per seed. Each
final theme's quality is its best F1 (and purity) against one expert key point or human
sub-theme, over its rows' primary themes; a theme with best F1 below 0.4 is "poor". Each
theme's stability is measured twice on the fit's final themes, in the same process: the old
measure (three k-means++ refits on 80 % samples, mean best Jaccard overlap) and the current
:func:`analysis.themes.stability`. Reports, per group, the Spearman correlation of stability
with best F1 and purity, the AUC of low stability for a poor theme, and the share flagged
with the threshold each was used with (0.6 old, :data:`analysis.report.STABLE_ENOUGH` new).
The even motions and NHS part 0 were tuned on; the odd motions and NHS part 1 were held
aside and scored once at the end. Timing: both measures on one fast-engine fit of
``--timing-rows`` answers drawn from NHS, StackOverflow and Banking77.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from analysis import stages
from analysis.api import ThemeModel
from analysis.parallel import map_side_by_side
from analysis.report import STABLE_ENOUGH, below
from analysis.themes import Clustering, kmeans, resample_key, stability
from bench.coding import nhs
from bench.common import machine, read_columns, write_section
from bench.quality import load_argkp

# Measured by hand beside this script's table (kept in the section when it is rewritten).
NOTES = """\
**What was tried (tuned on the even motions and NHS part 0 only; the same 3 seeds' fits,
AUC of low stability for a poor theme, ArgKP / NHS):** the old measure 0.66 / 0.62; three
refits scored by pair-counting F1 0.67 / 0.70; five refits by best Jaccard 0.70 / 0.58; five
by pair F1 (kept) 0.70 / 0.68; eight by pair F1 0.70 / 0.68; five on 50 % samples 0.66 /
0.66; refits started from the final centres themselves (seed 0 only) 0.47 / 0.88, no theme
scoring below 0.6 (a refit started there finds the same themes again); started from those
centres shaken by a random direction six times their length 0.71 / 0.76, dropped because
clearly separated toy groups then scored 0.78 (the refit's own bad starts, the noise the
issue suspected); the better of a k-means++ start and a shaken one per refit (twice the
cost) 0.71 / 0.69; Ward's start on each sample (seed 0) 0.59 / 0.64; three k-means++ starts
per refit (seed 0, three times the cost) 0.67 / 0.60. Not resampling at all: theme size
(seed 0) 0.69 / 0.13, mean cosine to the centre 0.51 / 0.45, mean margin over the next
theme 0.48 / 0.88. Every variant ranked ArgKP's themes about equally weakly (AUC 0.66-0.72);
the threshold matters more than the measure: the old measure cut at its own lowest quarter
(0.43) would flag 25 % of the even motions' themes with 36 % of them poor, the new one at
0.5 flags 26 % with 40 % poor.

**Reading of the held-aside figures:** on ArgKP's odd motions the new measure ranks about
as the old did (AUC 0.65 against 0.64) but flags 37 % of the themes instead of 69 %, and
a flagged theme is poor 53 % of the time against 30 % for the others (old: 45 % against
25 %). On NHS feedback stability does not tell themes that match a human sub-theme from
those that do not (part 1's AUC is below 0.5 for both: its few good themes are among the
less stable), so "unstable grouping" says that another run could cut the answers
differently, not that the theme is wrong; a theme not flagged can still be poor.

**Demo** (`flask --app consult demo load` on a fresh database, then `flask --app consult
reports run --consultation trailblazer-devolution-deal --question N --segments
partner_type --wait` for each free-text question, semantic engine, seed 0; the themes are
the same before and after, only their stability changes): themes flagged "unstable
grouping", before (old measure, below 0.6) / after (new, below 0.5, as shown to two
places): Q2 7 / 1 of 9, Q3 4 / 3 of 8, Q6 5 / 2 of 9, Q8 5 / 2 of 7, Q10 5 / 1 of 7, Q12 2 / 0
of 7, Q13 2 / 0 of 7; in all, 30 / 9 of 54. Seven of the nine read by hand: six deserve
it, being one point cut in two or a grab-bag. Q2's "Annual funding rounds stop us signing
long contracts" (0.33) makes the point of the larger "Multi-year funding would give councils
the certainty..." theme; Q3's "One shared data platform..." (0.43) and "Agree data-sharing
rules once..." (0.37) are one point; Q6's "Spending decisions must stay with elected
members..." (0.44) is the point of its "Public money should be decided by people voters can
remove...", and its "Businesses create the jobs..." (0.49) that of "A formal role would give
chambers and employers a real voice..."; Q10's "Courses could be matched to local jobs..."
(0.40, 54 answers) mixes protecting English and maths, ending the national/local split and
quicker course changes. The seventh, Q8's "Grants for insulation, solar panels and heat
pumps..." (0.23, 9 answers), is a real point, but each of its answers also makes another
theme's, so refits hand them to those themes. Q2's "Accountability to residents is
unclear..." (0.4979, shown 0.50, so not flagged) gathers several different complaints
(shire districts paying in, sums too small, conditions attached) and would have deserved it.
"""

OLD_THRESHOLD = 0.6
POOR = 0.4  # a theme whose best F1 against any expert theme is below this is poor


def old_stability(
    vectors: np.ndarray, weights: np.ndarray, result: Clustering, seed: int, runs: int = 3
) -> np.ndarray:
    """The measure before issue 12's change: per theme, the mean best Jaccard overlap with
    the themes of three k-means++ refits (n_init=1) on random 80 % samples."""
    k = result.centers.shape[0]
    count = vectors.shape[0]
    if count < 10 or k < 2:
        return np.ones(k)
    rng = np.random.default_rng(seed + 7919)
    samples = [
        np.sort(rng.choice(count, size=max(k, int(count * 0.8)), replace=False))
        for _ in range(runs)
    ]
    refits = map_side_by_side(
        lambda run: kmeans(
            vectors[samples[run]], k, seed + run + 1, weights[samples[run]], n_init=1
        ),
        range(runs),
        2,
        1,
    )
    scores = np.zeros(k)
    for chosen, again in zip(samples, refits, strict=True):
        original = result.labels[chosen]
        for theme in range(k):
            members = original == theme
            if not members.any():
                continue
            best = 0.0
            for other in np.unique(again.labels[members]):
                found = again.labels == other
                union = np.sum(weights[chosen][members | found])
                overlap = np.sum(weights[chosen][members & found])
                best = max(best, overlap / union if union else 0.0)
            scores[theme] += best
    return scores / runs


def fitted(
    texts: list[str], seed: int, engine: str = "semantic", question: str | None = None
) -> tuple[ThemeModel, stages.FitRun]:
    """A fit and its run as the stability stage last saw it (the final themes)."""
    seen: list[stages.FitRun] = []
    original = stages.stability_stage

    def keep(run: stages.FitRun, seed: int, threads: int) -> None:
        original(run, seed, threads)
        seen.append(run)

    stages.stability_stage = keep
    try:
        model = ThemeModel(n_themes="auto", engine=engine, seed=seed).fit(texts, question=question)
    finally:
        stages.stability_stage = original
    return model, seen[-1]


def theme_quality(labels: np.ndarray, truth: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per theme, its best F1 against one expert theme and its purity (rows' primary
    themes; rows with no theme count only in the expert themes' sizes)."""
    truth_array = np.asarray(truth)
    names = sorted(set(truth))
    f1, purity = np.zeros(k), np.zeros(k)
    for theme in range(k):
        members = labels == theme
        if not members.any():
            continue
        for name in names:
            expert = truth_array == name
            both = np.sum(members & expert)
            f1[theme] = max(f1[theme], 2 * both / (members.sum() + expert.sum()))
            purity[theme] = max(purity[theme], both / members.sum())
    return f1, purity


def themes_of(texts: list[str], truth: list[str], seed: int, question: str) -> list[tuple]:
    """(best F1, purity, old stability, new stability) for each theme of one fit."""
    model, run = fitted(texts, seed, question=question)
    stored = np.array([theme["stability"] for theme in model.themes_])
    key = resample_key(run.rep_texts, run.weights, run.k)
    new = stability(run.vectors, run.weights, run.clustering, seed, key=key)
    assert np.allclose(stored, np.round(new, 4)), "the fit's stability is not the measure here"
    old = old_stability(run.vectors, run.weights, run.clustering, seed)
    f1, purity = theme_quality(np.asarray(model.labels_), truth, run.k)
    return list(zip(f1, purity, old, new, strict=True))


def summary(rows: list[tuple]) -> dict[str, float]:
    """Spearman with F1 and purity, AUC for poor themes, share flagged and how many of the
    flagged are poor, for the old (index 2) and new (index 3) measures."""
    table = np.array(rows)
    f1, purity = table[:, 0], table[:, 1]
    poor = f1 < POOR
    found = {"themes": len(rows), "poor": float(poor.mean())}
    for name, column, threshold in (("old", 2, OLD_THRESHOLD), ("new", 3, STABLE_ENOUGH)):
        value = table[:, column]
        # The old code compared the raw figure; the new one compares it as shown.
        flagged = (
            value < threshold if name == "old" else np.array([below(v, threshold) for v in value])
        )
        found[f"{name} rho"] = spearmanr(value, f1).statistic
        found[f"{name} rho purity"] = spearmanr(value, purity).statistic
        found[f"{name} auc"] = (
            roc_auc_score(poor, -value) if 0 < poor.sum() < len(poor) else float("nan")
        )
        found[f"{name} flagged"] = float(flagged.mean())
        found[f"{name} poor flagged"] = float(poor[flagged].mean()) if flagged.any() else 0.0
        found[f"{name} poor kept"] = float(poor[~flagged].mean()) if (~flagged).any() else 0.0
    return found


def timing(rows: int, seed: int) -> tuple[int, int, float, float]:
    """Seconds for the old and new measures on one fast-engine fit of ``rows`` answers."""
    pool = [r[0] for r in read_columns("nhs_fft_phase1.csv", "feedback")]
    pool += [r[0] for r in read_columns("stackoverflow.csv", "text")]
    pool += [r[0] for r in read_columns("banking77_train.csv", "text")]
    random.Random(seed).shuffle(pool)
    _model, run = fitted(pool[:rows], seed, engine="fast")
    seconds: list[list[float]] = [[], []]
    for _ in range(3):  # interleaved, the median of three each: the machine is shared
        for index, measure in enumerate((old_stability, stability)):
            clock = time.perf_counter()
            measure(run.vectors, run.weights, run.clustering, seed)
            seconds[index].append(time.perf_counter() - clock)
    return rows, run.vectors.shape[0], float(np.median(seconds[0])), float(np.median(seconds[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--nhs-rows", type=int, default=2000)
    parser.add_argument("--timing-rows", type=int, default=40000)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    groups: dict[str, list[tuple]] = {}
    runs: list[tuple[str, Callable[[], tuple[list[str], list[str], str]]]] = []
    for index, (topic, texts, truth, _multi, _all) in enumerate(load_argkp()):
        name = (
            "ArgKP, even motions (tuned on)"
            if index % 2 == 0
            else "ArgKP, odd motions (held aside)"
        )
        runs.append((name, lambda t=texts, y=truth, q=topic: (t, y, q)))
    for part, name in (
        (0, "NHS feedback, part 0 (tuned on)"),
        (1, "NHS feedback, part 1 (held aside)"),
    ):

        def load(part: int = part) -> tuple[list[str], list[str], str]:
            texts, truth, _book = nhs(args.nhs_rows, 0, part)
            return texts, [next(iter(t)) for t in truth], "What could we do better?"

        runs.append((name, load))
    for seed in seeds:
        for name, load in runs:
            texts, truth, question = load()
            groups.setdefault(name, []).extend(themes_of(texts, truth, seed, question))
        print("seed", seed, "done", flush=True)
    found = {name: summary(rows) for name, rows in groups.items()}
    rows, distinct, old_s, new_s = timing(args.timing_rows, 0)

    lines = [
        "## Theme stability (`bench/stability.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.stability --seeds {args.seeds} --nhs-rows "
        f"{args.nhs_rows} --timing-rows {args.timing_rows} --write`. Machine: {machine()}. "
        f"Seeds {seeds}; per seed, one real fit (semantic engine, automatic count, the motion "
        "or question as the question's wording) of each ArgKP motion (arguments matching "
        f"exactly one key point) and of two NHS feedback parts ({args.nhs_rows} answers each, "
        "44 human sub-themes). Each final theme's quality is its best F1 against one expert "
        f'key point or sub-theme; below {POOR} it is "poor". Old: three k-means++ refits '
        "on 80 % samples, mean best Jaccard overlap, flagged below 0.6. New "
        "(`analysis.themes.stability`): five refits, mean pair-counting F1 of the theme's "
        f"answers, flagged below {STABLE_ENOUGH} as shown to two places. Both on the same "
        "fits, in the same process. "
        "The even motions and NHS part 0 were tuned on; the odd motions and NHS part 1 were "
        "held aside and scored once at the end.",
        "",
        "| Themes of | n | poor | Spearman with F1 old / new | with purity old / new | "
        "AUC for poor old / new | flagged old / new | poor among flagged old / new | "
        "poor among the rest old / new |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, f in found.items():
        lines.append(
            f"| {name} | {f['themes']} | {f['poor']:.0%} | {f['old rho']:.2f} / "
            f"{f['new rho']:.2f} | {f['old rho purity']:.2f} / {f['new rho purity']:.2f} | "
            f"{f['old auc']:.2f} / {f['new auc']:.2f} | {f['old flagged']:.0%} / "
            f"{f['new flagged']:.0%} | {f['old poor flagged']:.0%} / "
            f"{f['new poor flagged']:.0%} | {f['old poor kept']:.0%} / "
            f"{f['new poor kept']:.0%} |"
        )
    lines += [
        "",
        f"Timing, the stability measure alone on one fast-engine fit of {rows:,} answers "
        f"({distinct:,} distinct; NHS, StackOverflow and Banking77 shuffled), one thread per "
        f"refit, two refits side by side, median of three runs each: old {old_s:.1f} s, new "
        f"{new_s:.1f} s (five refits instead of three; each theme's score is now one table "
        "of counts rather than a pass over the sample per cluster it touches).",
        "",
        NOTES,
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("stability", text)


if __name__ == "__main__":
    main()
