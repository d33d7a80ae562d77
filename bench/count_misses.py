"""Where the automatic number of themes misses the experts' count (issue 12, autok3).

    .venv/bin/python -m bench.count_misses [--engine fast|semantic] [--big]

Per ArgKP even motion (the motions auto was tuned on; the odd ones are left alone: the
arguments matching exactly one key point, k = the key points they match, the motion given
as the question's wording, seed 0): the number of answers, k and the counts within 25 % of
it, the prior's band (:func:`analysis.themes.size_prior`, 25 % either side, its lower edge
capped by 2.5 ln n), the merge count at 0.6-0.9 of the spread (the rule uses 0.8), the
clear-gap count, the rule's count, and the whole fit's count (``ThemeModel``) without the
joining of themes that say one point (``same_point=None``: after combination themes are
dissolved) and with it (the default). Then the Spearman correlation of k with sqrt(n) and
with each merge count, and the most motions any count rising with n alone could bring
within 25 % (:func:`monotone_ceiling`). With ``--big``, the count rule's pieces on the
large sets of ``bench.quality`` (3,000 rows each, its subsample) instead. Writes nothing.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy.stats import spearmanr

from analysis import stages
from analysis.api import ThemeModel
from analysis.themes import choose_theme_count, distinct_count, merge_tree, size_prior
from bench.quality import load_argkp, load_single_label, subsample

THRESHOLDS = (0.6, 0.7, 0.8, 0.9)


def window(k: int) -> tuple[int, int]:
    """The whole counts within 25 % of ``k``."""
    return math.ceil(0.75 * k - 1e-9), math.floor(1.25 * k + 1e-9)


def rule_pieces(run: stages.FitRun, seed: int = 0) -> dict:
    """The count rule's inputs as :func:`analysis.themes.choose_theme_count` forms them
    (default settings): the prior's band, the merge counts, the clear-gap count, the count."""
    vectors, weights = run.vectors, run.weights
    count = vectors.shape[0]
    upper = max(1, min(30, count // 3 or 1))
    over = min(max(upper, min(90, count // 5 or 1)), distinct_count(vectors))
    tree = merge_tree(vectors, weights, min(over, count), seed)
    total = float(np.sum(weights))
    prior = size_prior(total, 1.2)
    low = min(prior * 0.75, 2.5 * np.log(max(total, 2.0)))
    lower = max(1, min(5, upper))
    clear = tree.clear_count(lower, min(upper, int(np.ceil(low)) - 1), 1.5) if tree else None
    return {
        "low": low,
        "high": prior * 1.25,
        "merge": {t: tree.count_at(t) for t in THRESHOLDS} if tree else {},
        "clear": clear,
        "rule": choose_theme_count(vectors, weights, seed),
    }


def prepared(texts: list[str], engine: str, question: str | None) -> stages.FitRun:
    """A fit run up to its answer vectors, as ``ThemeModel.fit`` makes them (seed 0)."""
    run = stages.start(texts, None, None, None, None, question=question)
    stages.cleaning(run, 0)
    stages.representation(run, engine, 0)
    return run


def monotone_ceiling(rows: list[tuple[int, int]]) -> int:
    """The most (n, k) rows whose count lands within 25 % of k, over every whole count
    that never falls as n rises (ties in n share one count): the best any rule driven by
    the number of answers alone could do."""
    groups: dict[int, list[int]] = {}
    for n, k in rows:
        groups.setdefault(n, []).append(k)
    top = max(window(k)[1] for _, k in rows)
    best = [0] * (top + 1)  # best[c]: most hits so far with the last count at most c
    for n in sorted(groups):
        hits = [sum(window(k)[0] <= c <= window(k)[1] for k in groups[n]) for c in range(top + 1)]
        now = [best[c] + hits[c] for c in range(top + 1)]
        best = list(np.maximum.accumulate(now))
    return int(best[-1])


def argkp(engine: str) -> None:
    """One line per even motion, then the correlations and the ceiling."""
    rows = []
    for index, (topic, texts, truth, _multi, _all) in enumerate(load_argkp()):
        if index % 2:
            continue
        k = len(set(truth))
        pieces = rule_pieces(prepared(texts, engine, topic))
        joined = ThemeModel(engine=engine, seed=0, same_point=None).fit(texts, question=topic)
        final = ThemeModel(engine=engine, seed=0).fit(texts, question=topic)
        low, high = window(k)
        side = (
            "ok"
            if low <= final.n_themes_ <= high
            else ("too few" if final.n_themes_ < low else "too many")
        )
        merges = " ".join(f"{t}:{c}" for t, c in pieces["merge"].items())
        print(
            f"{topic[:34]:34} n {len(texts):3} k {k:2} ({low}-{high}) "
            f"band {pieces['low']:.2f}-{pieces['high']:.2f} merge {merges} "
            f"clear {pieces['clear']} rule {pieces['rule']} dissolved {joined.n_themes_} "
            f"joined {final.n_themes_} {side}",
            flush=True,
        )
        rows.append((len(texts), k, pieces["merge"]))
    ks = [k for _, k, _ in rows]
    rho = spearmanr([math.sqrt(n) for n, _, _ in rows], ks)[0]
    print(f"Spearman k ~ sqrt(n): {rho:.2f}")
    for t in THRESHOLDS:
        rho = spearmanr([m[t] for *_, m in rows], ks)[0]
        print(f"Spearman k ~ merge count at {t}: {rho:.2f}")
    ceiling = monotone_ceiling([(n, k) for n, k, _ in rows])
    print(f"Best any count rising with n could do: {ceiling}/{len(rows)}")


def big(engine: str) -> None:
    """The count rule's pieces on the large sets of ``bench.quality`` (3,000 rows each)."""
    for name, (texts, truth) in load_single_label().items():
        if name.startswith("NHS FFT, 44"):
            continue  # the same answers as the 9-theme row
        texts, truth = subsample(texts, truth, 3000)
        pieces = rule_pieces(prepared(texts, engine, None))
        merges = " ".join(f"{t}:{c}" for t, c in pieces["merge"].items())
        print(
            f"{name:22} band {pieces['low']:.2f}-{pieces['high']:.2f} merge {merges} "
            f"clear {pieces['clear']} rule {pieces['rule']}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("fast", "semantic"), default="fast")
    parser.add_argument("--big", action="store_true", help="the large sets instead of ArgKP")
    options = parser.parse_args()
    (big if options.big else argkp)(options.engine)


if __name__ == "__main__":
    main()
