"""The fast engine's static view joined with a projection learned from coded feedback (issue
12, BENCHMARKS.md "nmif34"; proj32's lead for the fast engine).

    .venv/bin/python -m bench.grouping_leads prepare --engine fast --sets dev
    .venv/bin/python -m bench.static_projection 9:0.15 9:0.3 ...   [--held-out 9:0.3]

Exploratory, bench only: a shrinkage LDA is fitted on the fast engine's static word-piece
vectors (:class:`analysis.static_vectors.StaticVectors`, SIF weights learnt on the same
answers) of NHS phase 1 Trust A's answers and their coders' 9 themes (or 44 sub-themes); each
fit then joins every answer's static vector with the unit LDA projection of it, weighted
``sqrt(1 - beta)`` and ``sqrt(beta)``, before the static view is joined to the word views
(the rest of the engine as it is). Trust A is the training set, so the NHS dev set is Trust
B (all its answers); ArgKP's 24 train motions and gambling_XS parts 1 and 2 are the other dev
sets. ``--held-out`` scores NHS Trust C (3,000 drawn, 9 and 44) and the fresh motions
(``bench.grouping_leads prepare --engine fast --sets nhsC``, and ``--sets fresh`` with
``CONSULT_DATA_DIR`` at them) instead. Arguments: ``LABELS:BETA`` pairs (LABELS 9 or 44).
"""

from __future__ import annotations

import pickle
import sys

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.preprocessing import normalize

from analysis.represent import without_direction
from analysis.static_vectors import StaticVectors
from bench import grouping_leads as G
from bench import quality
from bench import vector_leads as V


def projections(names=("9", "44")) -> dict[str, LinearDiscriminantAnalysis]:
    """Per label set, the LDA fitted on Trust A's static vectors and codes."""
    trust = quality.load_single_label(["A"])
    texts, nine = trust["NHS FFT, 9 themes"]
    _same, sub = trust["NHS FFT, 44 sub-themes"]
    vectors = StaticVectors().fit_transform(texts)
    return {
        name: LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto").fit(
            vectors, np.asarray(labels)
        )
        for name, labels in (("9", nine), ("44", sub))
        if name in names
    }


def joined(lda: LinearDiscriminantAnalysis, beta: float) -> V.Maker:
    """The fast representation whose static view carries the LDA projection too."""

    def make(run):
        rep = V.fresh(run)

        def join_static(words, static, rep=rep):
            if rep.question_weight_ > 0:
                static = without_direction(static, rep.question_static_, rep.question_weight_)
            static = rep._less_tone(static, "static")
            projected = normalize(lda.transform(static))
            static = np.hstack([np.sqrt(1 - beta) * normalize(static), np.sqrt(beta) * projected])
            weight = float(np.clip(rep.static_weight, 0.0, 1.0))
            out = np.hstack([np.sqrt(1 - weight) * words, np.sqrt(weight) * static])
            return normalize(out).astype(np.float32)

        rep.__dict__["_join_static"] = join_static
        return rep

    return make


def trust_b_run() -> tuple:
    """Trust B's answers prepared for the fast engine (pickled once)."""
    trust = quality.load_single_label(["B"])
    texts, nine = trust["NHS FFT, 9 themes"]
    _same, sub = trust["NHS FFT, 44 sub-themes"]
    path = G.cache_dir() / "fast-trustB-seed0.pkl"
    if path.exists():
        run = pickle.loads(path.read_bytes())
    else:
        run = G.prepare(texts, None, "fast", 0)
        path.write_bytes(pickle.dumps(run))
    return ("trust B", "single", run, [("nhs9", nine), ("nhs44", sub)])


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    held_out = "--held-out" in sys.argv
    pairs = [(a.split(":")[0], float(a.split(":")[1])) for a in args]
    ldas = projections(tuple({name for name, _beta in pairs}))
    if held_out:
        sets = []
        for which in ("nhsC", "fresh"):
            sets += pickle.loads((G.cache_dir() / f"fast-{which}-seed0.pkl").read_bytes())
    else:
        dev = pickle.loads((G.cache_dir() / "fast-dev-seed0.pkl").read_bytes())
        sets = [trust_b_run()] + [s for s in dev if s[0] != "nhs"]
    variants = {"off": V.fresh} | {
        f"{name}:{beta}": joined(ldas[name], beta) for name, beta in pairs
    }
    namespace = type("Args", (), {})()
    namespace.engine, namespace.sets, namespace.seed = "fast", "held-out" if held_out else "dev", 0
    namespace.variants = ",".join(variants)
    G.score_variants(sets, namespace, variants, V.score)


if __name__ == "__main__":
    main()
