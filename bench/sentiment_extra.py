"""Train a candidate ``extra`` part for the sentiment probe (a small neural head and the
nearest training answers' ratings, :mod:`analysis.sentiment_extra`), choosing its weights in
the blend by leaving one training source out at a time, and write the probe with it to
another file (``--out``), to score beside the shipped one with ``bench.sentiment --probe``.

    CONSULT_ANALYSIS_CACHE=... .venv/bin/python -m bench.sentiment_extra \
        --pxtextmining-v6 v6framework_230831.csv [--out FILE] [--probe FILE]

Not adopted (BENCHMARKS.md, "Sentiment leads, sentnl"): left out by source the pair chosen
(neural head 0.3, neighbours 0.1) raised the mean from 0.7122 to 0.7193 (nested 0.7167), but
phase 1's Trust C, scored once, fell from 0.535 to 0.533, and it pulls consultation answers
towards the NHS answers' mostly positive ratings (a bus complaint answering "What was good?"
-0.39 -> -0.17, the tests' policy criticism to about 0). The shipped probe has no ``extra``.

Only the four training sources are read (phase 1 Trust A and B, v6 NEAS and NHFT); phase
1's Trust C never is. For each source left out, the shipped blend's scores are those of the
heads trained on the other three (their penalties and weights chosen as the probe's trainer
chooses them: ``bench.sentiment_leads.choose``), bare replies scored as
:meth:`analysis.sentiment.Sentiment.score_answers` scores them (0.9 after "what could be
better?"); the neural head and the neighbours are trained on the other three sources'
answers that are not bare, and each pair of weights in :data:`MLP_WEIGHTS` x
:data:`NEIGHBOUR_WEIGHTS` is scored by the mean Spearman over the four sources left out. The
pair with the best mean is kept (the lighter on a tie); the nested figure (the pair chosen on
three sources, scored on the fourth) is printed beside it. The final head and codes learn
from every answer of the four sources that is not bare. Two runs write byte-identical files
(one thread).
"""

from __future__ import annotations

import argparse
import base64
import json
import time
from pathlib import Path

import numpy as np
from sklearn.decomposition import PCA
from sklearn.neural_network import MLPRegressor

from analysis.sentiment_extra import KINDS
from analysis.sentiment_probe import PROBE_FILE
from bench.sentiment_leads import FOUR, Data, choose, left_out, rho, with_bare_improve

PCA_DIMS = 64
MLP_PCA_INPUTS = 32
HIDDEN = 32
MLP_ALPHA = 1.0
NEIGHBOURS = 10
MLP_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4)
NEIGHBOUR_WEIGHTS = (0.0, 0.1, 0.2, 0.3)
RATING_STEP = 0.2
BARE_IMPROVE = 0.9  # analysis.sentiment.BARE_SATISFIED_BLEND


def fmt(per: dict[str, float]) -> str:
    """Per-source figures and their mean (four decimals)."""
    inner = ", ".join(f"{k} {v:.4f}" for k, v in per.items())
    return f"{inner}; mean {np.mean(list(per.values())):.4f}"


def tabular(d: Data, index) -> np.ndarray:
    """The neural head's inputs besides the vector: the rules' score, the praise cues, the
    question's kind (one-hot, :data:`analysis.sentiment_extra.KINDS`), graded as praise."""
    onehot = np.stack([d.kind[index] == k for k in KINDS], axis=1).astype(float)
    return np.column_stack(
        [d.rules[index], d.raw_cues[index], onehot, d.graded[index].astype(float)]
    )


class Fitted:
    """The PCA, the neural head and the neighbours' codes, fitted on the rows ``train``."""

    def __init__(self, d: Data, train) -> None:
        vectors = d.vectors["minilm"]
        self.pca = PCA(PCA_DIMS, random_state=0).fit(vectors[train])
        # The directions are shipped as float32: project with those, as the engine will.
        self.pca.components_ = self.pca.components_.astype("<f4").astype(np.float64)
        projected = self.pca.transform(vectors[train])
        self.mlp = MLPRegressor(
            hidden_layer_sizes=(HIDDEN,), alpha=MLP_ALPHA, max_iter=300, random_state=0
        ).fit(np.hstack([tabular(d, train), projected[:, :MLP_PCA_INPUTS]]), d.target[train])
        self.scale = float(np.abs(projected).max() / 127)
        self.codes = np.round(projected / self.scale).clip(-127, 127).astype(np.int8)
        self.ratings = np.round(d.target[train] / RATING_STEP) * RATING_STEP
        assert np.allclose(self.ratings, d.target[train])

    def predict(self, d: Data, index) -> tuple[np.ndarray, np.ndarray]:
        """(neural head, neighbours' mean rating) for the rows ``index``."""
        projected = self.pca.transform(d.vectors["minilm"][index])
        mlp = self.mlp.predict(np.hstack([tabular(d, index), projected[:, :MLP_PCA_INPUTS]]))
        codes = self.codes.astype(np.float64) * self.scale
        codes /= np.linalg.norm(codes, axis=1, keepdims=True)
        unit = projected / np.linalg.norm(projected, axis=1, keepdims=True)
        sims = unit @ codes.T
        top = np.argpartition(-sims, NEIGHBOURS - 1, axis=1)[:, :NEIGHBOURS]
        return mlp, self.ratings[top].mean(axis=1)

    def to_json(self, mlp_weight: float, neighbour_weight: float) -> dict:
        """The probe JSON's ``extra`` part."""
        components = self.pca.components_.astype("<f4")
        layers = [
            {
                "coef": [[round(float(c), 6) for c in row] for row in coef],
                "intercept": [round(float(c), 6) for c in intercept],
            }
            for coef, intercept in zip(self.mlp.coefs_, self.mlp.intercepts_, strict=True)
        ]
        return {
            "pca": {
                "mean": [round(float(m), 6) for m in self.pca.mean_],
                "components": {
                    "dims": int(components.shape[1]),
                    "values": base64.b64encode(components.tobytes()).decode("ascii"),
                },
            },
            "mlp": {
                "hidden": HIDDEN,
                "alpha": MLP_ALPHA,
                "pca_inputs": MLP_PCA_INPUTS,
                "inputs": ["rules", "praise cues", "question kind", "graded as praise", "pca"],
                "layers": layers,
                "weight": mlp_weight,
            },
            "neighbours": {
                "k": NEIGHBOURS,
                "dims": PCA_DIMS,
                "scale": round(self.scale, 8),
                "codes": base64.b64encode(self.codes.tobytes()).decode("ascii"),
                # Every target is a multiple of 0.2 (criticality / 5, v6's 0.4 steps).
                "ratings": base64.b64encode(
                    np.round(self.ratings / RATING_STEP).astype(np.int8).tobytes()
                ).decode("ascii"),
                "rating_step": RATING_STEP,
                "weight": neighbour_weight,
            },
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pxtextmining-v6", type=Path, required=True, metavar="FILE")
    parser.add_argument("--probe", type=Path, default=PROBE_FILE, help="the probe to add to")
    parser.add_argument("--out", type=Path, help="write the probe with it here")
    args = parser.parse_args(argv)
    d = Data(args.pxtextmining_v6, sources=FOUR)  # never Trust C
    from analysis.embeddings import MiniLMEmbedder

    d.vectors["minilm"] = np.asarray(MiniLMEmbedder().embed(d.texts), dtype=np.float64)
    chosen = choose(d, "minilm", FOUR)
    scored = left_out(d, "minilm", FOUR, chosen)
    base = {s: (i, with_bare_improve(d, i, sc, BARE_IMPROVE)) for s, (i, sc) in scored.items()}
    print(f"probe's choices: {chosen}")
    extra = {}
    for held in FOUR:
        start = time.time()
        train = np.flatnonzero((d.source != held) & ~d.bare)
        extra[held] = Fitted(d, train).predict(d, base[held][0])
        print(f"{held} left out: fitted in {time.time() - start:.1f} s", flush=True)
    table = {}
    for u in MLP_WEIGHTS:
        for v in NEIGHBOUR_WEIGHTS:
            per = {}
            for s, (index, scores) in base.items():
                mlp, near = extra[s]
                mixed = np.clip((1 - u - v) * scores + u * mlp + v * near, -1, 1)
                per[s] = rho(np.where(d.bare[index], scores, mixed), d.rating[index])
            table[u, v] = per
            print(f"neural head {u}, neighbours {v}: {fmt(per)}")
    for name, pick in (("neural head alone", 1), ("neighbours alone", 0)):
        per = {
            s: rho(extra[s][1 - pick][~d.bare[i]], d.rating[i][~d.bare[i]])
            for s, (i, _) in base.items()
        }
        print(f"{name}, answers not bare: {fmt(per)}")

    def best(sources):
        return max(table, key=lambda k: (np.mean([table[k][s] for s in sources]), -sum(k)))

    nested = {}
    for held in FOUR:
        pick = best([s for s in FOUR if s != held])
        nested[held] = table[pick][held]
        print(f"  {held} left out: chose {pick} on the others, {nested[held]:.4f}")
    u, v = best(FOUR)
    print(f"nested: {fmt(nested)}; shipped blend: {fmt(table[0.0, 0.0])}")
    print(f"chosen: neural head {u}, neighbours {v}: {fmt(table[u, v])}")
    out = args.out
    if out is None:
        return
    data = json.loads(args.probe.read_text(encoding="utf-8"))
    data.pop("extra", None)
    if u or v:
        final = Fitted(d, np.flatnonzero(~d.bare))
        data["extra"] = final.to_json(u, v)
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
