"""Train the sentiment probe on the development trusts only and write
``analysis/sentiment_probe.json``.

    CONSULT_ANALYSIS_CACHE=... .venv/bin/python -m bench.sentiment_probe [--write]

Two ridge heads over all-MiniLM-L6-v2 vectors predict criticality / 5 (see
:mod:`analysis.sentiment_probe`): ``general`` from every rated answer of Trust A and B,
``praise`` from the answers to Trust A's "what was good?" question. Bare replies ("No",
"Nothing") are left out: the rules and the question score those.

Each head's weight beside the rules is chosen on the development trusts alone, among a few
fixed values: for ``general`` by training on one trust and scoring the other (both ways,
mean Spearman); for ``praise`` by 5-fold cross-validation within Trust A's praise question
(the only one). Trust C is never read here.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from scipy.stats import spearmanr
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold

from analysis.embeddings import MODEL_ID, MiniLMEmbedder
from analysis.sentiment import Sentiment, question_kind
from analysis.sentiment_probe import PROBE_FILE
from bench.sentiment import QUESTIONS, development_rows, load

ALPHA = 3.0
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
NOTICE = (
    "The probe's weights were trained on NHS England Friends and Family Test phase 1 "
    "answers and their ratings (The-Strategy-Unit/pxtextmining, "
    "datasets/phase_1/text_data.csv), published under this licence:\n\n"
    "MIT License\n\nCopyright (c) 2021 NHS England\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    'software and associated documentation files (the "Software"), to deal in the Software '
    "without restriction, including without limitation the rights to use, copy, modify, "
    "merge, publish, distribute, sublicense, and/or sell copies of the Software, and to "
    "permit persons to whom the Software is furnished to do so, subject to the following "
    "conditions:\n\n"
    "The above copyright notice and this permission notice shall be included in all copies "
    "or substantial portions of the Software.\n\n"
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, '
    "INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A "
    "PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT "
    "HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF "
    "CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE "
    "OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."
)


def rho(scores: np.ndarray, ratings: np.ndarray) -> float:
    """Spearman correlation."""
    return float(spearmanr(scores, ratings)[0])


def fit(vectors: np.ndarray, targets: np.ndarray) -> Ridge:
    """A ridge head: vectors to rating / 5."""
    return Ridge(alpha=ALPHA).fit(vectors, targets / 5)


def blend(weight: float, probe: np.ndarray, rules: np.ndarray, other=None) -> np.ndarray:
    """weight * probe + (1 - weight) * rules; where ``probe`` is NaN, ``other`` instead."""
    mixed = weight * probe + (1 - weight) * rules
    return mixed if other is None else np.where(np.isnan(probe), other, mixed)


def best_weight(pairs: list[tuple]) -> tuple[float, dict]:
    """The weight with the best mean Spearman over (probe, rules, ratings[, other]) splits:
    0 is the rules alone, 1 the probe alone; only the values between are chosen from."""
    table = {
        w: float(np.mean([rho(blend(w, p[0], p[1], *p[3:]), p[2]) for p in pairs]))
        for w in (0.0, *WEIGHTS, 1.0)
    }
    best = max(WEIGHTS, key=lambda w: (table[w], -w))
    return best, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the probe's JSON file")
    args = parser.parse_args()
    rows = [r for r in development_rows(load()) if not Sentiment.is_bare(r[0])]
    texts = [r[0] for r in rows]
    ratings = np.array([r[1] for r in rows], dtype=float)
    trusts = np.array([r[2] for r in rows])
    questions = [QUESTIONS[r[3]] for r in rows]
    scorers = {q: Sentiment(q) for q in set(questions)}
    rules = np.array([scorers[q].score(t) for q, t in zip(questions, texts, strict=True)])
    vectors = MiniLMEmbedder().embed(texts)
    praise = np.array([question_kind(q) == "praise" for q in questions])

    pairs = []
    for train, test in (("Trust A", "Trust B"), ("Trust B", "Trust A")):
        head = fit(vectors[trusts == train], ratings[trusts == train])
        held = trusts == test
        pairs.append((head.predict(vectors[held]), rules[held], ratings[held]))
    general_weight, general_table = best_weight(pairs)

    # As in Sentiment.score_answers: the praise head grades what the rules read as positive;
    # the rest take the general head (trained without the test fold) at its weight.
    index = np.flatnonzero(praise)
    pairs = []
    for train, test in KFold(5, shuffle=True, random_state=0).split(index):
        head = fit(vectors[index[train]], ratings[index[train]])
        rest = np.setdiff1d(np.arange(len(rows)), index[test])
        general = fit(vectors[rest], ratings[rest])
        held = index[test]
        positive = rules[held] > 0
        general_blend = (
            general_weight * general.predict(vectors[held]) + (1 - general_weight) * rules[held]
        )
        pairs.append(
            (
                np.where(positive, head.predict(vectors[held]), np.nan),
                rules[held],
                ratings[held],
                general_blend,
            )
        )
    praise_weight, praise_table = best_weight(pairs)

    for name, table in (("general", general_table), ("praise", praise_table)):
        print(name, "weight: mean Spearman", {w: round(v, 3) for w, v in sorted(table.items())})
    print(f"chosen weights: general {general_weight}, praise {praise_weight}")

    heads = {}
    for name, mask, weight in (
        ("general", np.ones(len(rows), dtype=bool), general_weight),
        ("praise", praise, praise_weight),
    ):
        model = fit(vectors[mask], ratings[mask])
        heads[name] = {
            "weight": weight,
            "intercept": round(float(model.intercept_), 6),
            "coef": [round(float(c), 6) for c in model.coef_],
            "trained_on": int(mask.sum()),
        }
    data = {
        "model": MODEL_ID,
        "target": "criticality / 5 (-1 very critical .. 1 very positive)",
        "alpha": ALPHA,
        "NOTICE": NOTICE,
        "heads": heads,
    }
    if args.write:
        PROBE_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {PROBE_FILE}")


if __name__ == "__main__":
    main()
