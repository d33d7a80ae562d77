"""The semantic engine's sentiment leads of sent8, none adopted (BENCHMARKS.md, "sent8"):
each answer's sentences scored and combined with the whole answer, the clause after a
contrast word, VADER or an offset by answer length, hedged praise, and the fast engine's
static-vector heads mixed into the blend.

    CONSULT_DATA_DIR=... CONSULT_ANALYSIS_CACHE=... .venv/bin/python -m bench.sentiment_sent8 \
        --pxtextmining-v6 v6framework_230831.csv [--held-out]

Each lead is scored as ``bench/sentiment_extra.py`` (since removed) scored its own: for each
of the four training sources (phase 1 Trust A, B; v6 NEAS, NHFT) the shipped blend's heads
are trained on the other three (penalties and weights chosen by
``bench.sentiment_leads.choose``), the source's rated rows are scored (bare replies as
shipped), and each lead's setting is scored by the mean Spearman over the four sources;
"nested" is the setting chosen on three sources and scored on the fourth. Adoption needs
+0.005 on the mean and Trust C not falling. Only with ``--held-out`` is phase 1's Trust C
read, once, for the static heads' mix (the one lead near the margin). A sentence's score is
the general head's prediction on its MiniLM vector beside the rules' score of the sentence,
at the general head's weight.
"""

from __future__ import annotations

import argparse
import itertools
import re
from pathlib import Path

import numpy as np

from analysis.embeddings import MiniLMEmbedder
from analysis.sentiment import VIEW_KINDS, Sentiment
from analysis.statements import sentences
from analysis.static_vectors import plain_vectors
from bench.sentiment import HELD_OUT, QUESTIONS, load, load_v6
from bench.sentiment_leads import FOUR, Data, Probe, choose, rho, with_bare_improve
from bench.sentiment_static import Head

CONTRAST = re.compile(r"\b(?:but|however|although|though|except|apart from|other than)\b", re.I)
HEDGE = re.compile(
    r"\b(?:quite|fairly|ok|okay|alright|all right|reasonabl[ey]|mostly|generally|on the whole|"
    r"not bad|fine|satisfactory|adequate|average|so-so|decent|usually|most of the time|"
    r"sometimes)\b",
    re.I,
)
SHARES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
LENGTH_BINS = np.array([3, 10, 25])  # words: <= 3, <= 10, <= 25, more
STATIC_SHARES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)


class Units:
    """The sentences of every answer of two or more and the clause after each answer's last
    contrast word (two words or more), with their rows, vectors and rules' scores."""

    def __init__(self, d: Data, questions: list[str], embedder: MiniLMEmbedder) -> None:
        scorers = {q: Sentiment(q) for q in set(questions)}
        rows, texts, clause_rows, clauses = [], [], [], []
        for row, text in enumerate(d.texts):
            if d.bare[row]:
                continue
            found = sentences(text)
            if len(found) > 1:
                rows += [row] * len(found)
                texts += found
            match = list(CONTRAST.finditer(text))
            after = text[match[-1].end() :].strip(" ,.;:-") if match else ""
            if len(after.split()) >= 2:
                clause_rows.append(row)
                clauses.append(after)
        self.rows, self.clause_rows = np.array(rows), np.array(clause_rows)
        self.vectors = np.asarray(embedder.embed(texts), dtype=np.float64)
        self.clause_vectors = np.asarray(embedder.embed(clauses), dtype=np.float64)
        self.rules = np.array(
            [scorers[questions[r]].score(t) for r, t in zip(rows, texts, strict=True)]
        )
        self.clause_rules = np.array(
            [scorers[questions[r]].score(t) for r, t in zip(clause_rows, clauses, strict=True)]
        )
        self.words = np.array([len(t.split()) for t in texts], dtype=float)


def scored(d, units, static, chosen, train, index) -> dict[str, np.ndarray]:
    """The shipped blend's scores for the rows ``index`` and each lead's ingredients."""
    weight = chosen["weight"]
    probe = Probe(d, "minilm", train, chosen["alpha"], chosen["praise_alpha"])
    whole = with_bare_improve(d, index, probe.score(index, weight, chosen["praise_weight"]), 0.9)
    place = {row: k for k, row in enumerate(index)}
    out = {"whole": whole}
    picked = np.isin(units.rows, index)
    each = np.clip(
        weight * probe.general.predict(units.vectors[picked]) + (1 - weight) * units.rules[picked],
        -1,
        1,
    )
    rows, words = units.rows[picked], units.words[picked]
    for name in ("min", "mean", "length-weighted", "first", "last"):
        out[name] = whole.copy()
    for row in np.unique(rows):
        mine, k = rows == row, place[row]
        out["min"][k], out["mean"][k] = each[mine].min(), each[mine].mean()
        out["length-weighted"][k] = np.average(each[mine], weights=words[mine])
        out["first"][k], out["last"][k] = each[mine][0], each[mine][-1]
    picked = np.isin(units.clause_rows, index)
    clause = np.clip(
        weight * probe.general.predict(units.clause_vectors[picked])
        + (1 - weight) * units.clause_rules[picked],
        -1,
        1,
    )
    out["contrast"] = whole.copy()
    for row, value in zip(units.clause_rows[picked], clause, strict=True):
        out["contrast"][place[row]] = value
    general = Head(d, static, train & ~d.bare, 3.0).predict(d, index)
    praise = Head(d, static, train & ~d.bare & d.praise, 30.0).predict(d, index)
    out["static"] = np.where(d.praise[index] & d.graded[index], praise, general)
    return out


def lead(d, found, label: str, combine, grid) -> tuple:
    """Print a lead's best setting over the four sources left out, and the nested figure."""
    table = {
        g: {s: rho(combine(i, f, g), d.rating[i]) for s, (i, f) in found.items()} for g in grid
    }

    def mean(g, sources=FOUR) -> float:
        return float(np.mean([table[g][s] for s in sources]))

    best = max(grid, key=mean)
    nested = [table[max(grid, key=lambda g: mean(g, [x for x in FOUR if x != s]))][s] for s in FOUR]
    per = " / ".join(f"{table[best][s]:.3f}" for s in FOUR)
    print(
        f"{label}: shipped {mean(grid[0]):.4f}; best {best}: {mean(best):.4f} ({per}); "
        f"nested {np.mean(nested):.4f}",
        flush=True,
    )
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pxtextmining-v6", type=Path, required=True, metavar="FILE")
    parser.add_argument("--held-out", action="store_true", help="score Trust C once")
    args = parser.parse_args(argv)
    d = Data(args.pxtextmining_v6)
    questions = [QUESTIONS[q] for t, r, trust, q in load() if r != 0]
    questions += [q for t, r, trust, q in load_v6(args.pxtextmining_v6)]
    embedder = MiniLMEmbedder(threads=1)
    d.vectors["minilm"] = np.asarray(embedder.embed(d.texts), dtype=np.float64)
    units = Units(d, questions, embedder)
    static = plain_vectors(d.texts).astype(np.float64)
    vader_scorer = Sentiment()
    vader = np.array([vader_scorer.vader(t) for t in d.texts])
    words = np.array([len(t.split()) for t in d.texts])
    hedges = np.array([min(len(HEDGE.findall(t)), 2) for t in d.texts])
    views = np.isin(d.kind, VIEW_KINDS)
    chosen = choose(d, "minilm", FOUR)
    found = {}
    for source in FOUR:
        train = np.isin(d.source, FOUR) & (d.source != source)
        index = np.flatnonzero(d.source == source)
        found[source] = (index, scored(d, units, static, chosen, train, index))

    def toward(name):
        return lambda i, f, g: f["whole"] + g * (f[name] - f["whole"])

    for name in ("min", "mean", "length-weighted", "first", "last"):
        lead(d, found, f"sentences, {name}", toward(name), SHARES)
    lead(
        d,
        found,
        "sentences, min only when lower",
        lambda i, f, g: f["whole"] + g * np.minimum(f["min"] - f["whole"], 0),
        SHARES,
    )
    lead(d, found, "clause after the last contrast word", toward("contrast"), SHARES)

    def by_length(i, f, g, offset=False):
        share = np.array(g)[np.digitize(words[i], LENGTH_BINS, right=True)]
        out = f["whole"] + share if offset else (1 - share) * f["whole"] + share * vader[i]
        return np.where(d.bare[i], f["whole"], out)

    grid = list(itertools.product((0.0, 0.1, 0.2, 0.3), repeat=4))
    lead(d, found, "VADER's share by length", by_length, grid)
    grid = [(0.0, *g) for g in itertools.product((0.0, -0.1, -0.05, 0.05, 0.1), repeat=3)]
    lead(d, found, "offset by length", lambda i, f, g: by_length(i, f, g, True), grid)
    lead(
        d,
        found,
        "hedged praise, per hedge word (at most 2)",
        lambda i, f, g: np.where(d.bare[i], f["whole"], f["whole"] - g * hedges[i]),
        (0.0, 0.05, 0.1, 0.15, 0.2, 0.3),
    )

    def with_static(i, f, g):
        keep = ~d.bare[i] & ~views[i]
        mixed = np.round(np.clip(f["whole"] + g * (f["static"] - f["whole"]), -1, 1), 4)
        return np.where(keep, mixed, f["whole"])

    share = lead(d, found, "the fast engine's heads mixed in", with_static, STATIC_SHARES)
    if args.held_out:
        index = np.flatnonzero(d.source == HELD_OUT)
        f = scored(d, units, static, chosen, np.isin(d.source, FOUR), index)
        print(
            f"{HELD_OUT}: shipped {rho(f['whole'], d.rating[index]):.4f}; the fast engine's "
            f"heads mixed in at {share}: {rho(with_static(index, f, share), d.rating[index]):.4f}"
        )


if __name__ == "__main__":
    main()
