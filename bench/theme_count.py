"""The automatic number of themes against the experts' count on ArgKP: the rule before
issue 12, the current one, and a retune tried and not adopted.

    .venv/bin/python -m bench.theme_count [--write]

Per ArgKP motion (the arguments matching exactly one key point; k = the key points they
match; the motion given as the question's wording, as the app gives a question's), for the
fast and semantic engines: NMI with k given, and the count and NMI of "auto" under the rule
before issue 12 (merge over-clustered centroids closer than 0.4 cosine distance, 5-30
themes; reproduced here), the current one (:func:`analysis.themes.choose_theme_count`) and
the same function with the retuned settings tried after the question was taken out of
answer vectors (:data:`RETUNED`), on the same vectors in the same process, seed 0. Both
settings were tuned on the even motions; the odd ones were held aside.
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from analysis import stages
from analysis.themes import choose_theme_count, find_themes, kmeans
from bench.common import machine, scores, write_section
from bench.quality import baseline, load_argkp, minilm_baseline


def previous_rule(vectors: np.ndarray, weights: np.ndarray, seed: int) -> int:
    """The rule before issue 12: over-cluster, merge centroids closer than 0.4 (cosine
    distance, average linkage), kept within [5, 30]."""
    count = vectors.shape[0]
    upper = max(1, min(30, count // 3 or 1))
    lower = max(1, min(5, upper))
    over = max(upper, min(90, count // 5 or 1))
    fine = kmeans(vectors, over, seed, weights, n_init=1)
    mass = np.bincount(fine.labels, weights=weights, minlength=over)
    centers = fine.centers[mass > 0]
    if centers.shape[0] <= lower:
        return centers.shape[0]
    tree = linkage(centers, method="average", metric="cosine")
    groups = fcluster(tree, t=0.4, criterion="distance")
    found = len(np.unique(groups))
    if found > upper:
        groups = fcluster(tree, t=upper, criterion="maxclust")
    elif found < lower:
        groups = fcluster(tree, t=lower, criterion="maxclust")
    return int(groups.max())


# choose_theme_count's settings retuned on the even motions once the question was taken out
# of answer vectors; not adopted (held-out NMI fell for the semantic engine).
RETUNED = {"merge_threshold": 0.7, "prior_band": 0.1, "prior_scale": 1.5}


def nmi(run: stages.FitRun, truth: list[str], k: int) -> float:
    found = find_themes(run.vectors, run.weights, k, 0)
    rows = [found.labels[r] if r >= 0 else -1 for r in run.rep_of_row]
    return scores(truth, rows)["nmi"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    motions = load_argkp()
    lines = [
        "## Automatic number of themes (`bench/theme_count.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.theme_count --write`. Machine: {machine()}, "
        "shared and under load. ArgKP, per motion the arguments matching exactly one key "
        "point (k = the key points they match: 3-11, mean 8.6), each motion given as the "
        "question's wording (as the app gives a question's: the engines take its direction "
        "out of the answer vectors), seed 0, means over 12 motions. Rule before issue 12: "
        "merge over-clustered centroids closer than 0.4 cosine distance, 5-30 themes. "
        "Current rule (tuned before the question was taken out): merge closer than 0.8 of "
        "the answers' mean pairwise distance, kept within 25 % of sqrt(n) / 1.2 unless the "
        "tree shows clearly separated groups. Retune tried (with the question taken out; not "
        "adopted): merge closer than 0.7 of that distance, kept within 10 % of sqrt(n) / "
        "1.5, the same exception. Both were tuned on the even motions, the retune for both "
        "engines at once; the odd ones were held aside. In brackets: the range of counts, "
        "and how many motions came within 25 % of k; NMI's change relative to k given. "
        "Baseline, in the same process: TF-IDF + k-means beside "
        "the fast engine, all-MiniLM-L6-v2 + k-means beside the semantic engine "
        "(scikit-learn `KMeans(k)` defaults).",
        "",
        "| Engine | Motions | k (experts) | Baseline NMI, k given | Engine NMI, k given "
        "| Rule before issue 12: themes | NMI | Current rule: themes | NMI "
        "| Retune tried, not adopted: themes | NMI |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for engine in ("fast", "semantic"):
        found = []
        for index, (topic, texts, truth, _multi, _all) in enumerate(motions):
            # The motion is the question's wording, as the app and bench.quality give it.
            run = stages.start(texts, None, None, None, None, question=topic)
            stages.cleaning(run, 0)
            stages.representation(run, engine, 0)
            k = len(set(truth))
            base_fn = baseline if engine == "fast" else minilm_baseline
            base = scores(truth, base_fn(texts, k, 0))["nmi"]
            old = previous_rule(run.vectors, run.weights, 0)
            new = choose_theme_count(run.vectors, run.weights, 0)
            tried = choose_theme_count(run.vectors, run.weights, 0, **RETUNED)
            found.append(
                (
                    index % 2,
                    k,
                    nmi(run, truth, k),
                    old,
                    nmi(run, truth, old),
                    new,
                    nmi(run, truth, new),
                    tried,
                    nmi(run, truth, tried),
                    base,
                )
            )
            print(engine, found[-1], flush=True)
        for parity, name in ((0, "12 even (tuned on)"), (1, "12 odd (held aside)")):
            rows = [f[1:] for f in found if f[0] == parity]

            def counts(column: int, rows=rows) -> str:
                values = [r[column] for r in rows]
                within = sum(
                    abs(v - r[0]) <= 0.25 * r[0] for v, r in zip(values, rows, strict=True)
                )
                return (
                    f"{statistics.mean(values):.1f} ({min(values)}-{max(values)}; "
                    f"{within}/{len(rows)} within 25 %)"
                )

            def score(column: int, rows=rows) -> str:
                value = statistics.mean(r[column] for r in rows)
                given = statistics.mean(r[1] for r in rows)
                return f"{value:.1f} ({100 * (value - given) / given:+.1f} %)"

            base = statistics.mean(r[8] for r in rows)
            given = statistics.mean(r[1] for r in rows)
            lines.append(
                f"| {engine} | {name} | {statistics.mean(r[0] for r in rows):.1f} | "
                f"{base:.1f} | {given:.1f} ({given - base:+.1f}) | {counts(2)} | {score(3)} | "
                f"{counts(4)} | {score(5)} | {counts(6)} | {score(7)} |"
            )
    lines += [
        "",
        "Targets (issue 12, checked on held-out motions): auto within 25 % of the experts' "
        "count, and auto's NMI within 5 % of k given. Two odd motions have 3 and 4 key "
        "points among these arguments, below the floor of 5 themes.",
        "",
        "The retune was chosen on the even motions alone, on a grid of merge threshold "
        "(0.6-1.0 of the spread), scale (1.0-1.6) and band (5-50 %) for both engines at "
        "once, preferring settings whose neighbours scored alike; there the merge count did "
        "not follow the experts' count (Spearman -0.3 to +0.2 merging at 0.5-0.9 of the "
        "spread, against +0.5 for sqrt(n)), "
        "so the band narrowed around the prior. The odd motions were scored once, after. It "
        "was not adopted: on the held-out motions it brought one more count within 25 % for "
        "both engines and lifted the fast engine's NMI, but the semantic engine's (the "
        "default) fell, here and in the whole fit (below).",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("theme-count", text)


if __name__ == "__main__":
    main()
