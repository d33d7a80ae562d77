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

proj32 adds projections learned from several codebooks at once (LABELS ``m8``, ``m16``,
``m32``: that many LDA axes): Trust A's 9 themes and the key points of ArgKP's first 12 train
motions (sorted by name), each codebook's classes kept apart (every motion's key points are
its own classes) and each codebook's (motion's) vectors centred on its own mean first, so the
axes separate points within a consultation rather than one consultation from another. Their
dev ArgKP figure is then the mean over the other 12 motions (:data:`HELD_BACK`), for every
variant alike. ``--held-out`` also scores v6's one-theme answers (``--sets v6one``) and the
demo's points (``--sets demo``) when prepared; ``--rerun LABELS:BETA`` fits Trust C twice
with the candidate and says whether its themes are identical; ``--demo-read LABELS:BETA``
prints the demo's themes off and on (each theme's size and the point most members make).
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

TRAINED_MOTIONS = 12  # ArgKP's first 12 train motions (by name) teach the m* projections
MULTI = {"m8": 8, "m16": 16, "m32": 32}


def projections(names=("9", "44")) -> dict[str, LinearDiscriminantAnalysis]:
    """Per label set ("9", "44"; "m8"/"m16"/"m32", several codebooks), the LDA fitted on
    MiniLM's vectors (Trust A's answers; for m*, also ArgKP's trained motions)."""
    from analysis.embeddings import MiniLMEmbedder

    embedder = MiniLMEmbedder(threads=1)
    trust = quality.load_single_label(["A"])
    texts, nine = trust["NHS FFT, 9 themes"]
    _same, sub = trust["NHS FFT, 44 sub-themes"]
    vectors = embedder.embed(texts)
    out = {
        name: LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto").fit(
            vectors, np.asarray(labels)
        )
        for name, labels in (("9", nine), ("44", sub))
        if name in names
    }
    if any(name in MULTI for name in names):
        codebooks = [("nhs", vectors, nine)] + [
            (topic, embedder.embed(args), points)
            for topic, args, points, _multi, _all in quality.load_argkp()[:TRAINED_MOTIONS]
        ]
        for name, axes in MULTI.items():
            if name in names:
                out[name] = several_codebooks(codebooks, axes)
    return out


def several_codebooks(
    codebooks: list[tuple[str, np.ndarray, list[str]]], axes: int
) -> LinearDiscriminantAnalysis:
    """A shrinkage LDA with ``axes`` axes fitted on several codebooks at once: each
    ``(name, vectors, labels)`` centred on its own mean, its labels kept apart from the
    others' (``name|label``), so no class spans two codebooks."""
    joined = np.vstack([vectors - vectors.mean(axis=0) for _name, vectors, _labels in codebooks])
    classes = [f"{name}|{label}" for name, _vectors, labels in codebooks for label in labels]
    lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto", n_components=axes)
    return lda.fit(joined, np.asarray(classes))


def held_back(sets: list[tuple]) -> list[tuple]:
    """The dev sets less ArgKP's motions the m* projections are taught on."""
    from bench.quality import load_argkp

    trained = {topic for topic, *_rest in load_argkp()[:TRAINED_MOTIONS]}
    return [s for s in sets if s[0] not in trained]


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
        if sep and labels in ("9", "44", *MULTI):  # :func:`projections`' label sets
            return labels, float(beta)
    except ValueError:
        pass
    print(
        f"expected LABELS:BETA, LABELS 9, 44, m8, m16 or m32 (such as 9:0.15), not {text!r}",
        file=sys.stderr,
    )
    raise SystemExit(2)


def rerun(pair: tuple[str, float]) -> None:
    """Trust C (prepared) fitted twice with the candidate: identical labels and row themes?"""
    labels, beta = pair
    lda = projections((labels,))[labels]
    (_name, _kind, run, truths), *_rest = pickle.loads(
        (G.cache_dir() / "semantic-nhsC-seed0.pkl").read_bytes()
    )
    k = len(set(truths[0][1]))
    fits = [
        G.themes_of(V.rebuilt(run, learned(lda, beta)), k, "semantic", 0) for _twice in range(2)
    ]
    same = np.array_equal(fits[0].labels, fits[1].labels) and pickle.dumps(
        fits[0].row_themes
    ) == pickle.dumps(fits[1].row_themes)
    print(f"rerun {labels}:{beta} on Trust C, k {k}: {'identical' if same else 'DIFFERENT'}")


def demo_read(pair: tuple[str, float]) -> None:
    """The demo's themes (k = its points) off and on, read: per question, each theme's size,
    the point most of its members make (one phrasing of it) and their share."""
    from collections import Counter

    from bench.demo_report import _phrasings

    said = {}
    for phrasing, point in _phrasings().items():
        said.setdefault(point, phrasing)
    labels, beta = pair
    lda = projections((labels,))[labels]
    sets = pickle.loads((G.cache_dir() / "semantic-demo-seed0.pkl").read_bytes())
    for wording, _kind, run, ((_label, made),) in sets:
        k = len({p for m in made for p in m})
        print(f"\n{wording} ({len(made)} answers, {k} points)")
        for name, maker in (("off", V.fresh), (f"{labels}:{beta}", learned(lda, beta))):
            done = G.themes_of(V.rebuilt(run, maker), k, "semantic", 0)
            rows = []
            for theme in range(k):
                members = [m for t, m in zip(done.labels, made, strict=True) if t == theme]
                counts = Counter(p for m in members for p in m)
                if counts:
                    point, most = min(counts.items(), key=lambda item: (-item[1], item[0]))
                    rows.append((len(members), f"{most}/{len(members)} {said[point][:60]!r}"))
            print(f"  {name}:")
            for size, text in sorted(rows, reverse=True):
                print(f"    {size:4d} {text}")


def main() -> None:
    warnings.filterwarnings("ignore")
    if sys.argv[1:2] == ["--rerun"]:
        rerun(_pair(sys.argv[2]))
        return
    if sys.argv[1:2] == ["--demo-read"]:
        demo_read(_pair(sys.argv[2]))
        return
    held_out = sys.argv[1:2] == ["--held-out"]
    pairs = [_pair(text) for text in (sys.argv[2:] if held_out else sys.argv[1:])]
    ldas = projections(tuple(labels for labels, _beta in pairs))
    if held_out:  # prepared by bench.grouping_leads prepare --sets nhsC / fresh / v6one / demo
        sets = [
            s
            for group in ("nhsC", "fresh", "v6one", "demo")
            if (G.cache_dir() / f"semantic-{group}-seed0.pkl").exists()
            for s in pickle.loads((G.cache_dir() / f"semantic-{group}-seed0.pkl").read_bytes())
        ]
    else:
        dev = pickle.loads((G.cache_dir() / "semantic-dev-seed0.pkl").read_bytes())
        sets = [trust_b_run()] + held_back([s for s in dev if s[3][0][0] != "nhs9"])
    variants = [("off", V.fresh)]
    for labels, beta in pairs:
        variants.append((f"LDA {labels} beta {beta}", learned(ldas[labels], beta)))
    base = None
    for name, maker in variants:
        got = V.score(sets, "semantic", 0, maker)
        base = base or got
        core = [k for k in ("nhs9", "nhs44", "argkp", "v6one") if k in got]
        gains = [got[k] - base[k] for k in core]
        text = " | ".join(f"{k} {v:.2f} ({v - base[k]:+.2f})" for k, v in got.items())
        print(
            f"{name} | {text} | mean of {', '.join(core)} {statistics.mean(gains):+.2f}", flush=True
        )


if __name__ == "__main__":
    main()
