"""Train the argument-to-key-point matching head and write ``analysis/point_match.json``.

    CONSULT_DATA_DIR=/work/shared/data OMP_NUM_THREADS=1 .venv/bin/python -m bench.point_match \\
        [--motions even|odd|all] [--centre] [--write | --out FILE] [--score even|odd] [--each DIR]

Pairs: every ArgKP argument of the chosen motions (``bench.coding.argkp``, motions sorted by
name, "even" the 0th, 2nd, ... as everywhere in the benches) with every key point of its
motion, 1 where the argument matches the key point, else 0. Features: the pair's unit
all-MiniLM-L6-v2 vectors ``u`` (argument) and ``v`` (key point) as
:func:`analysis.point_match.pair_design` makes them (``u * v``, ``|u - v|``, cosine). Model:
one logistic regression; its ``C`` among ``CS``, by leaving motions out (``GROUPS`` groups of
the training motions, mean log loss on the motions left out). Weights are rounded to 6
decimals, so the file is the same byte for byte on every run with the same data.
``--centre``: the head reads each motion's vectors less the mean of its arguments' (as
:class:`analysis.point_match.PointMatcher` does with ``centred``, the survey's answers).

``--each DIR`` also writes, for each motion of the chosen ones, ``DIR/<n>.json`` (``n`` its
index among all 24 motions), a head learned with the same ``C`` on the other chosen motions
only: ``bench.coding_leads --match-heads DIR`` codes each motion with its own, so the motions
a head is measured on were never its training pairs.

``--score`` prints, for motions the head was not trained on, the area under the ROC curve
and the average precision of the head's probability and of the plain cosine over their pairs
(a quick check of the head alone; the coding figures come from ``bench.coding_leads``).
No file is shipped: as a column of the coding combiner the head lost ArgKP key points on the
even motions (BENCHMARKS.md, "pointmatch"), so the odd motions and ``--motions all`` were
never used for it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from analysis.embeddings import MODEL_ID, MiniLMEmbedder
from analysis.point_match import MATCH_FILE, centred, matcher_from_json, pair_design
from bench.coding import argkp

CS = (0.01, 0.03, 0.1, 0.3, 1.0)
GROUPS = 4
DATA = "IBM Debater ArgKP (KPA 2021 shared task, kpm_data/*_train.csv)"
NOTICE = (
    "Weights learned from IBM Debater ArgKP (CDLA-Sharing 1.0, IBM 2020; Bar-Haim et al., "
    "ACL 2020); the file holds no text of it."
)


def pick(motions: list, which: str) -> list:
    """The motions of one half: "even" (0th, 2nd, ...), "odd" or "all"."""
    return {"even": motions[::2], "odd": motions[1::2], "all": motions}[which]


def pairs(
    motions: list, embedder: MiniLMEmbedder, centre: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair features, 0/1 targets and each pair's motion index."""
    designs, targets, groups = [], [], []
    for index, (_, (texts, truth, _, book)) in enumerate(motions):
        rows = embedder.embed(texts).astype(np.float64)
        points = embedder.embed([code.text() for code in book.codes]).astype(np.float64)
        if centre:
            mean = rows.mean(axis=0)
            rows, points = centred(rows, mean), centred(points, mean)
        for j, code in enumerate(book.codes):
            designs.append(pair_design(rows, np.repeat(points[j : j + 1], len(rows), axis=0)))
            targets.append(np.array([code.id in labels for labels in truth], int))
            groups.append(np.full(len(rows), index))
    return np.vstack(designs), np.concatenate(targets), np.concatenate(groups)


def fit(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    """The head's logistic regression with inverse regularisation ``c``."""
    return LogisticRegression(C=c, max_iter=5000, solver="lbfgs").fit(x, y)


def choose_c(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[float, dict]:
    """The ``C`` of ``CS`` with the lowest mean log loss on motions left out."""
    losses = {}
    for c in CS:
        scores = []
        for train, test in GroupKFold(GROUPS).split(x, y, groups):
            model = fit(x[train], y[train], c)
            scores.append(log_loss(y[test], model.predict_proba(x[test])[:, 1]))
        losses[c] = float(np.mean(scores))
    return min(CS, key=lambda c: (losses[c], c)), losses


def as_json(model: LogisticRegression, dims: int, trained_on: dict, centre: bool = False) -> dict:
    """The head as :func:`analysis.point_match.matcher_from_json` reads it."""
    coef = model.coef_[0]
    rounded = lambda values: [round(float(v), 6) for v in values]  # noqa: E731
    return {
        "model": MODEL_ID,
        "features": "u * v, |u - v| per dimension, cosine (unit vectors)",
        "trained_on": trained_on,
        "NOTICE": NOTICE,
        "product": rounded(coef[:dims]),
        "difference": rounded(coef[dims : 2 * dims]),
        "cosine": round(float(coef[2 * dims]), 6),
        "intercept": round(float(model.intercept_[0]), 6),
        "centred": centre,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--motions", choices=("even", "odd", "all"), default="all")
    parser.add_argument("--write", action="store_true", help=f"write {MATCH_FILE.name}")
    parser.add_argument("--out", type=Path, help="write the head here instead")
    parser.add_argument("--score", choices=("even", "odd"), help="check the head on these")
    parser.add_argument("--centre", action="store_true", help="less each motion's mean")
    parser.add_argument("--each", type=Path, help="leave-one-motion-out heads in this folder")
    args = parser.parse_args(argv)
    motions = list(argkp().items())
    embedder = MiniLMEmbedder(threads=1)
    chosen = pick(motions, args.motions)
    with threadpool_limits(1):
        x, y, groups = pairs(chosen, embedder, args.centre)
        c, losses = choose_c(x, y, groups)
        model = fit(x, y, c)
    print(json.dumps({"pairs": len(y), "matches": int(y.sum()), "C": c, "log_loss": losses}))
    trained_on = {
        "data": DATA,
        "motions": args.motions,
        "arguments": int(sum(len(m[1][0]) for m in chosen)),
        "pairs": int(len(y)),
        "matches": int(y.sum()),
        "C": c,
    }
    data = as_json(model, x.shape[1] // 2, trained_on, args.centre)
    out = MATCH_FILE if args.write else args.out
    if out is not None:
        out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    if args.each is not None:
        args.each.mkdir(parents=True, exist_ok=True)
        indices = pick(list(range(len(motions))), args.motions)
        for position, index in enumerate(indices):
            keep = groups != position
            with threadpool_limits(1):
                head = fit(x[keep], y[keep], c)
            left = {**trained_on, "left_out": motions[index][0], "pairs": int(keep.sum())}
            data_left = as_json(head, x.shape[1] // 2, left, args.centre)
            text = json.dumps(data_left, indent=1) + "\n"
            (args.each / f"{index}.json").write_text(text, encoding="utf-8")
        print(f"wrote {len(indices)} heads to {args.each}")
    if args.score:
        head = matcher_from_json(data)
        x_test, y_test, _ = pairs(pick(motions, args.score), embedder, args.centre)
        dims = x_test.shape[1] // 2
        cosine = x_test[:, -1]
        logit = (
            x_test[:, :dims] @ head.product
            + x_test[:, dims : 2 * dims] @ head.difference
            + head.cosine * cosine
            + head.intercept
        )
        figures = {
            name: {
                "auc": round(float(roc_auc_score(y_test, s)), 4),
                "ap": round(float(average_precision_score(y_test, s)), 4),
            }
            for name, s in (("head", logit), ("cosine", cosine))
        }
        print(json.dumps({"scored_on": args.score, **figures}))


if __name__ == "__main__":
    main()
