"""Train the fast engine's sentiment probe: a ridge head over static word-piece vectors
(:func:`analysis.static_vectors.plain_vectors`, no MiniLM at run time) and the praise cues
(:mod:`analysis.praise_intensity`), blended with the rules.

    CONSULT_DATA_DIR=... .venv/bin/python -m bench.sentiment_static \
        --pxtextmining-v6 v6framework_230831.csv [--write]

The penalty and the weight beside the rules are chosen as the semantic probe's are: leaving
one of the four training sources out at a time (phase 1's Trust A and B, v6's NEAS and
NHFT), the head trained on the other three sources' answers that are not bare replies, and
each source's rated rows (bare replies included, scored as
:meth:`analysis.sentiment.Sentiment.score_answers` scores them: 0.9 after "what could be
better?") scored; the pair with the best mean Spearman is kept (the nested figure, the pair
chosen on three sources and scored on the fourth, is printed beside it). Phase 1's Trust C
is never read: ``bench/sentiment.py`` scores it. ``--write`` trains the head on every
training answer that is not bare and writes :data:`analysis.sentiment_probe.STATIC_PROBE_FILE`.

A praise head, as the semantic probe has, is chosen the same way beside the general head
chosen: trained on the answers to "what was good?" only, it grades the ones the rules read
as positive (left out by source it adds 0.014; BENCHMARKS.md, sent8).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import Ridge

from analysis.praise_intensity import NAMES
from analysis.sentiment_probe import STATIC_MODEL, STATIC_PROBE_FILE
from analysis.static_vectors import plain_vectors
from bench.sentiment_leads import FOUR, Data, fmt, rho, with_bare_improve

ALPHAS = (0.3, 1.0, 3.0, 10.0, 30.0)
WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
PRAISE_ALPHAS = (1.0, 3.0, 10.0, 30.0)
PRAISE_WEIGHTS = (0.5, 0.6, 0.7, 0.8, 0.9)
CUE_SCALE = 0.3  # the standardised praise cues beside the vector, as the praise head's
BARE_IMPROVE = 0.9  # analysis.sentiment.BARE_SATISFIED_BLEND


class Head:
    """The ridge head over [vector, scaled standardised cues], fitted on the rows ``train``."""

    def __init__(self, d: Data, vectors: np.ndarray, train, alpha: float) -> None:
        self.mean = d.raw_cues[train].mean(axis=0)
        self.scale = d.raw_cues[train].std(axis=0) + 1e-9
        self.vectors = vectors
        self.ridge = Ridge(alpha=alpha).fit(self.design(d, train), d.target[train])

    def design(self, d: Data, index) -> np.ndarray:
        cues = (d.raw_cues[index] - self.mean) / self.scale
        return np.hstack([self.vectors[index], CUE_SCALE * cues])

    def predict(self, d: Data, index) -> np.ndarray:
        return self.ridge.predict(self.design(d, index))

    def to_json(self, weight: float) -> dict:
        """The head as :func:`analysis.sentiment_probe.load_probe` reads it (the cues'
        coefficients on their raw scale)."""
        dims = self.vectors.shape[1]
        coef = self.ridge.coef_
        return {
            "coef": [round(float(c), 6) for c in coef[:dims]],
            "intercept": round(float(self.ridge.intercept_), 6),
            "weight": weight,
            "intensity": {
                "names": list(NAMES),
                "mean": [round(float(m), 6) for m in self.mean],
                "coef": [round(float(c), 6) for c in CUE_SCALE * coef[dims:] / self.scale],
            },
        }


def blend(d: Data, index, predicted: np.ndarray, weight: float, praise=None) -> np.ndarray:
    """The engine's scores for the rows ``index``: the general head beside the rules (with
    ``praise``, a (prediction, weight) pair, the praise head for the answers to "what was
    good?" the rules read as positive), bare replies by the rules except a bare
    "No"/"Nothing" after "what could be better?" (0.9)."""
    rules = d.rules[index]
    out = np.round(np.clip(weight * predicted + (1 - weight) * rules, -1, 1), 4)
    if praise is not None:
        found, praise_weight = praise
        graded = d.praise[index] & d.graded[index]
        value = np.round(np.clip(praise_weight * found + (1 - praise_weight) * rules, -1, 1), 4)
        out = np.where(graded, value, out)
    out = np.where(d.bare[index], rules, out)
    return with_bare_improve(d, index, out, BARE_IMPROVE)


def chosen(table: dict, label: str) -> tuple:
    """The key with the best mean over the four sources (the lighter weight on a tie),
    printed with the nested figure (chosen on three sources, scored on the fourth)."""

    def mean(key, sources=FOUR) -> float:
        return float(np.mean([table[key][s] for s in sources]))

    best = max(table, key=lambda k: (mean(k), -k[1]))
    nested = {}
    for held in FOUR:
        rest = [s for s in FOUR if s != held]
        pick = max(table, key=lambda k: (mean(k, rest), -k[1]))
        nested[held] = table[pick][held]
    print(f"{label}: alpha {best[0]}, weight {best[1]}: {fmt(table[best])}")
    print(f"  nested (chosen on three sources, scored on the fourth): {fmt(nested)}")
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pxtextmining-v6", type=Path, required=True, metavar="FILE")
    parser.add_argument("--write", action="store_true", help="write the shipped file")
    args = parser.parse_args(argv)
    d = Data(args.pxtextmining_v6, FOUR)
    vectors = plain_vectors(d.texts).astype(np.float64)
    rows = {s: np.flatnonzero(d.source == s) for s in FOUR}
    rules = {s: rho(d.rules[i], d.rating[i]) for s, i in rows.items()}
    bare = {s: rho(blend(d, i, d.rules[i], 0.0), d.rating[i]) for s, i in rows.items()}
    print(f"rules alone (shipped fast engine): {fmt(rules)}")
    print(f"rules, bare replies after 'what could be better?' at {BARE_IMPROVE}: {fmt(bare)}")
    table: dict[tuple[float, float], dict[str, float]] = {}
    for alpha in ALPHAS:
        predicted = {}
        for held, index in rows.items():
            train = (d.source != held) & ~d.bare
            predicted[held] = Head(d, vectors, train, alpha).predict(d, index)
        for weight in WEIGHTS:
            table[alpha, weight] = {
                s: rho(blend(d, i, predicted[s], weight), d.rating[i]) for s, i in rows.items()
            }
    general = chosen(table, "general head")
    # The praise head, beside the general head chosen: trained on the answers to "what was
    # good?" only, it grades those the rules read as positive.
    base = {}
    for held, index in rows.items():
        train = (d.source != held) & ~d.bare
        base[held] = Head(d, vectors, train, general[0]).predict(d, index)
    praise_table: dict[tuple[float, float], dict[str, float]] = {}
    for alpha in PRAISE_ALPHAS:
        found = {}
        for held, index in rows.items():
            train = (d.source != held) & ~d.bare & d.praise
            found[held] = Head(d, vectors, train, alpha).predict(d, index)
        for weight in PRAISE_WEIGHTS:
            praise_table[alpha, weight] = {
                s: rho(blend(d, i, base[s], general[1], (found[s], weight)), d.rating[i])
                for s, i in rows.items()
            }
    praise = chosen(praise_table, "praise head, beside it")
    if args.write:
        heads = {
            "general": Head(d, vectors, ~d.bare, general[0]).to_json(general[1]),
            "praise": Head(d, vectors, ~d.bare & d.praise, praise[0]).to_json(praise[1]),
        }
        data = {
            "model": STATIC_MODEL,
            "trained_on": {"phase1": ["Trust A", "Trust B"], "v6": ["NEAS", "NHFT"]},
            "never_read": {"phase1": ["Trust C"]},
            "chosen_by": "bench/sentiment_static.py: one training source left out at a time",
            "heads": heads,
        }
        text = json.dumps(data, indent=1) + "\n"
        STATIC_PROBE_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {STATIC_PROBE_FILE} ({len(text):,} bytes)")


if __name__ == "__main__":
    main()
