"""The fast engine's NMI at every count near the experts' (issue 12, autok18).

    .venv/bin/python -m bench.count_grid --sets even|odd|nhs|gambling|big [--seed N] [--out FILE]

Per set (ArgKP even or odd motions, as ``bench.quality`` reads them, the motion given as the
question; NHS feedback's 3,000-row subsample with its 9 and 44 labels; gambling_XS's two
questions; StackOverflow and Banking77's 3,000-row subsamples with ``big``), one seed, fast
engine: the number of distinct answers and their total weight (the count rule's n), the merge
counts at 0.6-0.9 of the spread, the automatic fit's count and score, and the score of the fit
given each count in a range around the rule's (NMI %, gambling_XS's sample F1 %). A count
rule can then be scored on these tables without refitting, since the fast engine's automatic
fit is the fit given its count (autok4). One JSON object per line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator

import numpy as np

from analysis.api import ThemeModel
from analysis.themes import choose_theme_count, distinct_count, merge_tree
from bench.common import scores
from bench.count_misses import prepared
from bench.quality import load_argkp, load_gambling, load_single_label, multilabel_f1, subsample

SEED = [0]
THRESHOLDS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.9)


def pieces(texts: list[str], question: str | None) -> dict:
    """The count rule's inputs: distinct answers, their weight, the rule's count."""
    run = prepared(texts, "fast", question)
    count = run.vectors.shape[0]
    upper = max(1, min(30, count // 3 or 1))
    over = min(max(upper, min(90, count // 5 or 1)), distinct_count(run.vectors))
    tree = merge_tree(run.vectors, run.weights, min(over, count), SEED[0])
    return {
        "distinct": int(count),
        "weight": float(np.sum(run.weights)),
        "merge": {str(t): tree.count_at(t) for t in THRESHOLDS} if tree else {},
        "rule": choose_theme_count(run.vectors, run.weights, SEED[0]),
    }


def grid(
    name: str,
    texts: list[str],
    score: Callable[[ThemeModel], object],
    counts: range,
    question: str | None = None,
    **extra: object,
) -> dict:
    """Scores of the automatic fit and of the fit given each count."""
    row = {"name": name, "n": len(texts), **extra, **pieces(texts, question)}
    auto = ThemeModel(engine="fast", seed=SEED[0]).fit(texts, question=question)
    row["auto_k"] = auto.n_themes_
    row["auto"] = score(auto)
    row["given"] = {}
    for k in counts:
        model = ThemeModel(n_themes=k, engine="fast", seed=SEED[0]).fit(texts, question=question)
        row["given"][str(k)] = score(model)
    return row


def nmi_of(truth: list[str]) -> Callable[[ThemeModel], float]:
    """A fit's NMI (%) against these labels."""
    return lambda model: scores(truth, model.labels_)["nmi"]


def rows_for(sets: str) -> Iterator[dict]:
    """The table rows of one group of sets (see the module's docstring)."""
    if sets in ("even", "odd"):
        for index, (topic, texts, truth, _multi, _all) in enumerate(load_argkp()):
            if index % 2 == (sets == "odd"):
                yield grid(topic, texts, nmi_of(truth), range(4, 19), topic, k=len(set(truth)))
    elif sets == "gambling":
        for question, _ids, texts, truth in load_gambling():
            k = len({label for row in truth for label in row})
            yield grid(
                question,
                texts,
                lambda model, truth=truth: multilabel_f1(truth, model.memberships_),
                range(4, 16),
                k=k,
            )
    else:
        single = load_single_label()
        groups = (
            [("NHS FFT, 9 themes", "NHS FFT, 44 sub-themes")]
            if sets == "nhs"
            else [("StackOverflow",), ("Banking77 test",)]
        )
        for names in groups:
            texts = subsample(*single[names[0]], 3000)[0]
            truths = [subsample(*single[name], 3000)[1] for name in names]
            yield grid(
                " / ".join(names),
                texts,
                lambda model, truths=truths: [nmi_of(t)(model) for t in truths],
                range(14, 33, 2),
                k=[len(set(t)) for t in truths],
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", choices=("even", "odd", "nhs", "gambling", "big"), required=True)
    parser.add_argument("--out", default="-", help="a JSON-lines file (- for the screen)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    SEED[0] = args.seed
    with contextlib.ExitStack() as stack:
        out = (
            sys.stdout
            if args.out == "-"
            else stack.enter_context(open(args.out, "w", encoding="utf-8"))
        )
        for row in rows_for(args.sets):
            print(json.dumps(row), file=out, flush=True)


if __name__ == "__main__":
    main()
