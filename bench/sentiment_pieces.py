"""Train the bag-of-word-pieces heads the semantic engine mixes into its sentiment blend
(:mod:`analysis.sentiment_pieces`; BENCHMARKS.md, sent9).

    CONSULT_DATA_DIR=... CONSULT_ANALYSIS_CACHE=... .venv/bin/python -m bench.sentiment_pieces \
        --pxtextmining-v6 v6framework_230831.csv [--write]

The penalty (one for both heads) and the share of the blend are chosen leaving one of the
four training sources out at a time (phase 1's Trust A and B, v6's NEAS and NHFT): the
shipped MiniLM blend's heads (penalties and weights chosen by
``bench.sentiment_leads.choose``) and the piece heads are trained on the other three
sources' answers that are not bare replies, and each source's rated rows are scored as
:meth:`analysis.sentiment.Sentiment.score_answers` scores them (bare replies as shipped, the
piece heads only for the answers that are not bare, to a question asking what could be
better or what was good); the pair with the best mean Spearman is kept (the nested figure,
chosen on three sources and scored on the fourth, is printed beside it). The fast engine's
share (``fast_share``) is chosen the same way beside its static probe's blend, with the
heads of the penalty chosen. Phase 1's Trust C is never read: ``bench/sentiment.py`` scores
it. ``--write`` trains the heads on every training answer that is not bare and writes
:data:`analysis.sentiment_pieces.PIECE_PROBE_FILE` (a second run rewrites it byte for byte).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import Ridge

from analysis.embeddings import MiniLMEmbedder
from analysis.praise_intensity import NAMES
from analysis.sentiment_pieces import (
    BIGRAM_MULTIPLIER,
    PIECE_KINDS,
    PIECE_MODEL,
    PIECE_PROBE_FILE,
    encode_floats,
    piece_bag,
    piece_ids,
)
from analysis.sentiment_probe import PROBE_FILE
from analysis.static_vectors import plain_vectors
from bench.sentiment_leads import FOUR, Data, Probe, choose, fmt, rho, with_bare_improve
from bench.sentiment_static import Head, blend

BITS = 14
ALPHAS = (0.3, 1.0, 3.0)
SHARES = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
FAST_SHARES = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)
# The fast engine's static probe as bench/sentiment_static.py chose it (sent8): general head
# alpha 3, weight 0.5; praise head alpha 30, weight 0.9.
STATIC_CHOICE = (3.0, 0.5, 30.0, 0.9)
CUE_SCALE = 0.3  # the standardised praise cues beside the bag, as the static heads'
BARE_IMPROVE = 0.9  # analysis.sentiment.BARE_SATISFIED_BLEND


class BagHead:
    """A ridge head over [bag, scaled standardised cues], fitted on the rows ``train``."""

    def __init__(self, d: Data, bag: sp.csr_matrix, train, alpha: float) -> None:
        self.bag = bag
        self.mean = d.raw_cues[train].mean(axis=0)
        self.scale = d.raw_cues[train].std(axis=0) + 1e-9
        rows = np.flatnonzero(train)
        self.ridge = Ridge(alpha=alpha, solver="sparse_cg", tol=1e-6)
        self.ridge.fit(self.design(d, rows), d.target[rows])

    def design(self, d: Data, index) -> sp.csr_matrix:
        cues = CUE_SCALE * (d.raw_cues[index] - self.mean) / self.scale
        return sp.hstack([self.bag[index], sp.csr_matrix(cues)]).tocsr()

    def predict(self, d: Data, index) -> np.ndarray:
        return self.ridge.predict(self.design(d, index))

    def to_json(self) -> dict:
        """The head as :func:`analysis.sentiment_pieces.load_piece_probe` reads it (the
        cues' coefficients on their raw scale)."""
        buckets = self.bag.shape[1]
        coef = self.ridge.coef_
        return {
            "coef": encode_floats(coef[:buckets]),
            "intercept": round(float(self.ridge.intercept_), 6),
            "intensity": {
                "names": list(NAMES),
                "mean": [round(float(m), 6) for m in self.mean],
                "coef": [round(float(c), 6) for c in CUE_SCALE * coef[buckets:] / self.scale],
            },
        }


def mixed(d: Data, index, blend: np.ndarray, predicted: np.ndarray, share: float):
    """The blend moved ``share`` of the way to the piece heads' prediction for the answers
    to a question of :data:`PIECE_KINDS`, bare replies keeping the blend's score."""
    moved = np.round(np.clip(blend + share * (predicted - blend), -1, 1), 4)
    keep = ~d.bare[index] & np.isin(d.kind[index], PIECE_KINDS)
    return np.where(keep, moved, blend)


def choose_fast_share(d: Data, rows: dict[str, np.ndarray], alpha: float) -> float:
    """The share of the fast engine's blend (static probe and rules) the piece heads of
    penalty ``alpha`` take, chosen leaving one source out as the semantic engine's share."""
    static = plain_vectors(d.texts).astype(np.float64)
    bag = piece_bag(piece_ids(d.texts), BITS)
    general_alpha, weight, praise_alpha, praise_weight = STATIC_CHOICE
    blends, predicted = {}, {}
    for held, index in rows.items():
        train = (d.source != held) & ~d.bare
        general = Head(d, static, train, general_alpha).predict(d, index)
        praise = Head(d, static, train & d.praise, praise_alpha).predict(d, index)
        blends[held] = blend(d, index, general, weight, (praise, praise_weight))
        graded = d.praise[index] & d.graded[index]
        predicted[held] = np.where(
            graded,
            BagHead(d, bag, train & d.praise, alpha).predict(d, index),
            BagHead(d, bag, train, alpha).predict(d, index),
        )
    shipped = {s: rho(blends[s], d.rating[i]) for s, i in rows.items()}
    print(f"fast engine, shipped blend: {fmt(shipped)}", flush=True)
    table = {}
    for share in FAST_SHARES:
        table[share] = {
            s: rho(mixed(d, i, blends[s], predicted[s], share), d.rating[i])
            for s, i in rows.items()
        }
        print(f"fast engine, share {share}: {fmt(table[share])}", flush=True)

    def mean(share, sources=FOUR) -> float:
        return float(np.mean([table[share][s] for s in sources]))

    best = max(FAST_SHARES, key=lambda k: (mean(k), -k))
    nested = [
        table[max(FAST_SHARES, key=lambda k: (mean(k, [x for x in FOUR if x != s]), -k))][s]
        for s in FOUR
    ]
    print(
        f"fast engine, chosen share {best}: {mean(best):.4f}; nested {np.mean(nested):.4f}; "
        f"shipped {np.mean(list(shipped.values())):.4f}",
        flush=True,
    )
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pxtextmining-v6", type=Path, required=True, metavar="FILE")
    parser.add_argument("--write", action="store_true", help="write the shipped file")
    args = parser.parse_args(argv)
    d = Data(args.pxtextmining_v6, FOUR)
    d.vectors["minilm"] = np.asarray(MiniLMEmbedder(threads=1).embed(d.texts), dtype=np.float64)
    bag = piece_bag(piece_ids(d.texts), BITS)
    chosen = choose(d, "minilm", FOUR)
    rows = {s: np.flatnonzero(d.source == s) for s in FOUR}
    blends = {}
    for held, index in rows.items():
        probe = Probe(d, "minilm", d.source != held, chosen["alpha"], chosen["praise_alpha"])
        scores = probe.score(index, chosen["weight"], chosen["praise_weight"])
        blends[held] = with_bare_improve(d, index, scores, BARE_IMPROVE)
    shipped = {s: rho(blends[s], d.rating[i]) for s, i in rows.items()}
    print(f"shipped blend: {fmt(shipped)}", flush=True)
    table: dict[tuple[float, float], dict[str, float]] = {}
    for alpha in ALPHAS:
        predicted = {}
        for held, index in rows.items():
            train = (d.source != held) & ~d.bare
            general = BagHead(d, bag, train, alpha).predict(d, index)
            praise = BagHead(d, bag, train & d.praise, alpha).predict(d, index)
            predicted[held] = np.where(d.praise[index] & d.graded[index], praise, general)
        for share in SHARES:
            table[alpha, share] = {
                s: rho(mixed(d, i, blends[s], predicted[s], share), d.rating[i])
                for s, i in rows.items()
            }
            print(f"alpha {alpha}, share {share}: {fmt(table[alpha, share])}", flush=True)

    def mean(key, sources=FOUR) -> float:
        return float(np.mean([table[key][s] for s in sources]))

    best = max(table, key=lambda k: (mean(k), -k[1]))
    nested = {}
    for held in FOUR:
        rest = [s for s in FOUR if s != held]
        nested[held] = table[max(table, key=lambda k: (mean(k, rest), -k[1]))][held]
    print(f"chosen: alpha {best[0]}, share {best[1]}: {fmt(table[best])} ({mean(best):.4f})")
    print(
        "  nested (chosen on three sources, scored on the fourth): "
        f"{fmt(nested)} ({np.mean(list(nested.values())):.4f}); "
        f"shipped {np.mean(list(shipped.values())):.4f}"
    )
    fast_share = choose_fast_share(d, rows, best[0])
    if args.write:
        train = ~d.bare
        notice = json.loads(PROBE_FILE.read_text(encoding="utf-8"))["NOTICE"]
        data = {
            "model": PIECE_MODEL,
            "bits": BITS,
            "bigram_multiplier": BIGRAM_MULTIPLIER,
            "share": best[1],
            "fast_share": fast_share,
            "trained_on": {"phase1": ["Trust A", "Trust B"], "v6": ["NEAS", "NHFT"]},
            "never_read": {"phase1": ["Trust C"]},
            "chosen_by": "bench/sentiment_pieces.py: one training source left out at a time",
            "NOTICE": notice,
            "heads": {
                "general": BagHead(d, bag, train, best[0]).to_json(),
                "praise": BagHead(d, bag, train & d.praise, best[0]).to_json(),
            },
        }
        text = json.dumps(data, indent=1) + "\n"
        PIECE_PROBE_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {PIECE_PROBE_FILE} ({len(text):,} bytes)")


if __name__ == "__main__":
    main()
