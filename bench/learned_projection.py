"""MiniLM vectors joined with a projection learned from coded feedback (issue 12, nmi31).

    .venv/bin/python -m bench.grouping_leads prepare --engine semantic --sets dev
    .venv/bin/python -m bench.learned_projection 9:0.3 44:0.3 ...

Exploratory, dev only: a shrinkage LDA is fitted on MiniLM's vectors of NHS phase 1 Trust A's
answers and their coders' 9 themes or 44 sub-themes; the semantic engine then groups each
answer (and point) by its MiniLM vector joined with the unit LDA projection of it, weighted
``sqrt(1 - beta)`` and ``sqrt(beta)`` (before the word block and neighbour averaging, as
``bench.vector_leads`` remakes vectors). Scored, k given, seed 0, on Trust B (all its
answers; not trained on) and ArgKP's 24 train motions (another domain), with the gain over
the engine as it is, and gambling_XS parts 1 and 2 (F1). ``--held-out`` first scores NHS
Trust C (3,000 drawn, 9 and 44) and the fresh motions instead (``bench.grouping_leads prepare
--engine semantic --sets nhsC``, and ``--sets fresh`` with ``CONSULT_DATA_DIR`` at them).
Arguments: ``LABELS:BETA`` pairs (LABELS 9 or 44).
"""

from __future__ import annotations

import pickle
import statistics
import sys
import warnings

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.preprocessing import normalize

from bench import grouping_leads as G
from bench import quality
from bench import vector_leads as V


def projections() -> dict[str, LinearDiscriminantAnalysis]:
    """Per label set ("9", "44"), the LDA fitted on Trust A's MiniLM vectors."""
    from analysis.embeddings import MiniLMEmbedder

    trust = quality.load_single_label(["A"])
    texts, nine = trust["NHS FFT, 9 themes"]
    _same, sub = trust["NHS FFT, 44 sub-themes"]
    vectors = MiniLMEmbedder(threads=1).embed(texts)
    return {
        name: LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto").fit(
            vectors, np.asarray(labels)
        )
        for name, labels in (("9", nine), ("44", sub))
    }


def learned(lda: LinearDiscriminantAnalysis, beta: float) -> V.Maker:
    """The semantic representation whose sentence vectors carry the LDA projection too."""

    def make(run):
        rep = V.fresh(run)
        own = type(rep)._embed

        def embed(texts, rep=rep):
            vectors = own(rep, texts)
            projected = normalize(lda.transform(vectors))
            joined = np.hstack([np.sqrt(1 - beta) * vectors, np.sqrt(beta) * projected])
            return normalize(joined).astype(np.float32)

        rep.__dict__["_embed"] = embed
        return rep

    return make


def trust_b_run():
    """Trust B's answers prepared for the semantic engine (pickled once)."""
    trust = quality.load_single_label(["B"])
    texts, nine = trust["NHS FFT, 9 themes"]
    _same, sub = trust["NHS FFT, 44 sub-themes"]
    path = G.cache_dir() / "semantic-trustB-seed0.pkl"
    if path.exists():
        run = pickle.loads(path.read_bytes())
    else:
        run = G.prepare(texts, None, "semantic", 0)
        for attribute in ("embedder_", "group_embedder_"):
            run.representation.__dict__.pop(attribute, None)
        path.write_bytes(pickle.dumps(run))
    return ("trust B", "single", run, [("nhs9", nine), ("nhs44", sub)])


def _pair(text: str) -> tuple[str, float]:
    """A ``LABELS:BETA`` argument as (labels, beta); exit 2 with the reason when it is not one."""
    labels, sep, beta = text.partition(":")
    try:
        if sep and labels in ("9", "44"):  # :func:`projections`' label sets
            return labels, float(beta)
    except ValueError:
        pass
    print(f"expected LABELS:BETA, LABELS 9 or 44 (such as 9:0.15), not {text!r}", file=sys.stderr)
    raise SystemExit(2)


def main() -> None:
    warnings.filterwarnings("ignore")
    held_out = sys.argv[1:2] == ["--held-out"]
    pairs = [_pair(text) for text in (sys.argv[2:] if held_out else sys.argv[1:])]
    ldas = projections()
    if held_out:  # prepared by bench.grouping_leads prepare --sets nhsC / fresh
        sets = [
            s
            for group in ("nhsC", "fresh")
            for s in pickle.loads((G.cache_dir() / f"semantic-{group}-seed0.pkl").read_bytes())
        ]
    else:
        dev = pickle.loads((G.cache_dir() / "semantic-dev-seed0.pkl").read_bytes())
        sets = [trust_b_run()] + [s for s in dev if s[3][0][0] != "nhs9"]
    variants = [("off", V.fresh)]
    for labels, beta in pairs:
        variants.append((f"LDA {labels} beta {beta}", learned(ldas[labels], beta)))
    base = None
    for name, maker in variants:
        got = V.score(sets, "semantic", 0, maker)
        base = base or got
        gains = [got[k] - base[k] for k in ("nhs9", "nhs44", "argkp")]
        text = " | ".join(f"{k} {v:.2f} ({v - base[k]:+.2f})" for k, v in got.items())
        print(f"{name} | {text} | mean {statistics.mean(gains):+.2f}", flush=True)


if __name__ == "__main__":
    main()
