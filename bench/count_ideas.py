"""More count rules tried for issue 12 (autok, 5 December 2026), none adopted: choosing the
number of themes by subsample agreement (ARI), by silhouette, and a floor below 5 themes.

    .venv/bin/python -m bench.count_ideas [--held-out] [RULE ...]

Per ArgKP motion (the arguments matching exactly one key point; k = the key points they
match; the motion given as the question's wording), for the fast and semantic engines, the
count each rule picks (seed 0) and the NMI of :func:`analysis.themes.find_themes` at that
count, as ``bench.theme_count`` scores it, beside the current rule in the same run. Only
the even motions are scored unless ``--held-out`` is given (the odd ones: score them once,
for a rule chosen on the even ones). Prints one line per engine and rule; writes nothing.

Rules (the band is the k within ``width`` of round(sqrt(n) / 1.2), at least ``floor``):

* ``stab``: per k in the band (width 3), six k-means fits on 80 % subsamples (at most
  2,000 answers); the k whose partitions agree best (mean ARI over pairs of fits, on the
  answers both hold), ties to the prior; ``stab_w2`` width 2; ``stab_cur02`` / ``_cur05``:
  among the k within 0.02 / 0.05 of the best ARI, the nearest the current rule's count;
* ``sil``: per k in the band, k-means (three starts) and the mean cosine silhouette (on at
  most 2,000 answers); the best k, ties to the prior; ``sil_curE``: among the k within E
  of the best, the nearest the current rule's count; ``sil_cur02w2``: the same, width 2;
* ``sil_c2`` / ``ari_c2``: silhouette / subsample ARI for the k within 2 of the current
  rule's count (at least 5), ties (``_e01``, ``_e02``: within 0.01 / 0.02 of the best) to
  the current count;
* ``floor_g2``: the current rule, but up to 200 answers a count of 3-4 when the merge tree
  has a gap there (next merge at least twice as far as the one before).
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import adjusted_rand_score, silhouette_score

from analysis import stages
from analysis.themes import (
    choose_theme_count,
    distinct_count,
    find_themes,
    kmeans,
    merge_tree,
    size_prior,
)
from bench.common import scores
from bench.quality import load_argkp

CAP = 2000


def band(total: float, count: int, width: int, floor: int = 5) -> tuple[float, list[int]]:
    """The prior sqrt(n) / 1.2 and the k within ``width`` of it (at least ``floor``, at
    most a third of the answers and 30)."""
    prior = size_prior(total, 1.2)
    centre = int(round(prior))
    upper = max(1, min(30, count // 3 or 1))
    return prior, list(range(max(2, floor, centre - width), min(upper, centre + width) + 1))


def nearest(score: dict[int, float], reference: float, eps: float) -> int:
    """Among the k scoring within ``eps`` of the best, the one nearest ``reference``."""
    best = max(score.values())
    return min((k for k in score if score[k] >= best - eps), key=lambda k: (abs(k - reference), k))


def subsample(vectors: np.ndarray, weights: np.ndarray, seed: int):
    """At most CAP answers (seeded), so the choice costs the same past that."""
    if vectors.shape[0] <= CAP:
        return vectors, weights
    pick = np.sort(np.random.default_rng(seed + 104729).choice(vectors.shape[0], CAP, False))
    return vectors[pick], weights[pick]


def stab_ari(
    vectors: np.ndarray,
    weights: np.ndarray,
    width: int = 3,
    anchor: int | None = None,
    eps: float = 0.0,
    runs: int = 6,
) -> int:
    """The k in the band whose fits on 80 % subsamples agree best (mean pairwise ARI)."""
    prior, ks = band(float(weights.sum()), vectors.shape[0], width)
    if not ks:
        return choose_theme_count(vectors, weights, 0)
    vectors, weights = subsample(vectors, weights, 0)
    count = vectors.shape[0]
    rng = np.random.default_rng(104729)
    samples = [np.sort(rng.choice(count, int(count * 0.8), replace=False)) for _ in range(runs)]
    score = {}
    for k in ks:
        labels = []
        for run, chosen in enumerate(samples):
            fit = kmeans(vectors[chosen], k, 1000 * k + run, weights[chosen], n_init=1)
            full = np.full(count, -1)
            full[chosen] = fit.labels
            labels.append(full)
        agree = []
        for i in range(runs):
            for j in range(i + 1, runs):
                shared = (labels[i] >= 0) & (labels[j] >= 0)
                agree.append(adjusted_rand_score(labels[i][shared], labels[j][shared]))
        score[k] = float(np.mean(agree))
    return nearest(score, prior if anchor is None else anchor, eps)


def silhouette_pick(
    vectors: np.ndarray,
    weights: np.ndarray,
    width: int = 3,
    anchor: int | None = None,
    eps: float = 0.0,
) -> int:
    """The k in the band with the best mean cosine silhouette of its k-means themes."""
    prior, ks = band(float(weights.sum()), vectors.shape[0], width)
    if not ks:
        return choose_theme_count(vectors, weights, 0)
    vectors, weights = subsample(vectors, weights, 0)
    score = {}
    for k in ks:
        fit = kmeans(vectors, k, 0, weights, n_init=3)
        many = len(np.unique(fit.labels)) > 1
        score[k] = float(silhouette_score(vectors, fit.labels, metric="cosine")) if many else -1
    return nearest(score, prior if anchor is None else anchor, eps)


def floor_rule(vectors: np.ndarray, weights: np.ndarray, small: int = 200, gap: float = 2.0):
    """The current rule, or 3-4 themes for small sets whose merge tree has a clear gap there."""
    current = choose_theme_count(vectors, weights, 0)
    count = vectors.shape[0]
    if float(weights.sum()) > small:
        return current
    upper = max(1, min(30, count // 3 or 1))
    over = min(max(upper, min(90, count // 5 or 1)), distinct_count(vectors))
    tree = merge_tree(vectors, weights, min(over, count), 0)
    found = None if tree is None else tree.clear_count(3, 4, gap)
    return current if found is None else found


def around_current(
    vectors: np.ndarray, weights: np.ndarray, measure: str, width: int = 2, eps: float = 0.0
) -> int:
    """The k within ``width`` of the current rule's count (at least 5) scoring best on
    ``measure`` ("silhouette" or "ari"); among those within ``eps`` of the best, the
    nearest the current count."""
    current = choose_theme_count(vectors, weights, 0)
    upper = max(1, min(30, vectors.shape[0] // 3 or 1))
    ks = list(range(max(5, current - width), min(upper, current + width) + 1))
    vectors, weights = subsample(vectors, weights, 0)
    count = vectors.shape[0]
    score = {}
    if measure == "silhouette":
        for k in ks:
            fit = kmeans(vectors, k, 0, weights, n_init=3)
            many = len(np.unique(fit.labels)) > 1
            score[k] = float(silhouette_score(vectors, fit.labels, metric="cosine")) if many else -1
        return nearest(score, current, eps)
    rng = np.random.default_rng(104729)
    samples = [np.sort(rng.choice(count, int(count * 0.8), replace=False)) for _ in range(6)]
    for k in ks:
        labels = []
        for run, chosen in enumerate(samples):
            full = np.full(count, -1)
            full[chosen] = kmeans(
                vectors[chosen], k, 1000 * k + run, weights[chosen], n_init=1
            ).labels
            labels.append(full)
        agree = [
            adjusted_rand_score(a[(a >= 0) & (b >= 0)], b[(a >= 0) & (b >= 0)])
            for i, a in enumerate(labels)
            for b in labels[i + 1 :]
        ]
        score[k] = float(np.mean(agree))
    return nearest(score, current, eps)


def _anchored(pick: Callable, **settings) -> Callable[[np.ndarray, np.ndarray], int]:
    def rule(vectors: np.ndarray, weights: np.ndarray) -> int:
        anchor = choose_theme_count(vectors, weights, 0)
        return pick(vectors, weights, anchor=anchor, **settings)

    return rule


RULES: dict[str, Callable[[np.ndarray, np.ndarray], int]] = {
    "current": lambda v, w: choose_theme_count(v, w, 0),
    "stab": stab_ari,
    "stab_w2": lambda v, w: stab_ari(v, w, width=2),
    "stab_cur02": _anchored(stab_ari, eps=0.02),
    "stab_cur05": _anchored(stab_ari, eps=0.05),
    "sil": silhouette_pick,
    "sil_cur01": _anchored(silhouette_pick, eps=0.01),
    "sil_cur015": _anchored(silhouette_pick, eps=0.015),
    "sil_cur02": _anchored(silhouette_pick, eps=0.02),
    "sil_cur03": _anchored(silhouette_pick, eps=0.03),
    "sil_cur02w2": _anchored(silhouette_pick, eps=0.02, width=2),
    "sil_c2": lambda v, w: around_current(v, w, "silhouette"),
    "sil_c2e01": lambda v, w: around_current(v, w, "silhouette", eps=0.01),
    "ari_c2": lambda v, w: around_current(v, w, "ari"),
    "ari_c2e02": lambda v, w: around_current(v, w, "ari", eps=0.02),
    "floor_g2": floor_rule,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("rules", nargs="*", default=list(RULES))
    args = parser.parse_args()
    names = ["current"] + [r for r in args.rules if r != "current"]
    motions = load_argkp()
    parity = 1 if args.held_out else 0
    for engine in ("fast", "semantic"):
        runs = []
        for index, (topic, texts, truth, _multi, _all) in enumerate(motions):
            if index % 2 != parity:
                continue
            run = stages.start(texts, None, None, None, None, question=topic)
            stages.cleaning(run, 0)
            stages.representation(run, engine, 0)
            runs.append((run, truth, len(set(truth))))

        def nmi(run: stages.FitRun, truth: list[str], k: int) -> float:
            found = find_themes(run.vectors, run.weights, k, 0)
            return scores(truth, [found.labels[r] if r >= 0 else -1 for r in run.rep_of_row])["nmi"]

        given = statistics.mean(nmi(run, truth, k) for run, truth, k in runs)
        for name in names:
            counts = [RULES[name](run.vectors, run.weights) for run, _t, _k in runs]
            auto = statistics.mean(
                nmi(run, truth, c) for (run, truth, _k), c in zip(runs, counts, strict=True)
            )
            ks = [k for _r, _t, k in runs]
            within = sum(abs(c - k) <= 0.25 * k for c, k in zip(counts, ks, strict=True))
            print(
                f"{engine} {name}: {statistics.mean(counts):.1f} ({min(counts)}-{max(counts)}; "
                f"{within}/{len(ks)} within 25 %; Spearman {spearmanr(counts, ks)[0]:+.2f}) "
                f"NMI {auto:.2f} vs {given:.2f} k given ({100 * (auto - given) / given:+.2f} %) "
                f"{counts}",
                flush=True,
            )


if __name__ == "__main__":
    main()
