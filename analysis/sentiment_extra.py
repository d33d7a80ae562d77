"""Two signals blended after the sentiment probe's ridge heads: a small neural head and the
ratings of the nearest training answers.

Both read an answer's MiniLM vector through one PCA projection learnt from the training
answers (``pca_mean``, ``pca_components``: 64 directions):

* ``mlp``: a one-hidden-layer network (ReLU, 32 units) over the rules' score, the praise
  cues of :mod:`analysis.praise_intensity` (for every answer), the question's kind
  (:func:`analysis.sentiment.question_kind`, one-hot), whether the answer is graded as
  praise, and the first 32 PCA directions; it predicts the rating mapped to about -1..1, as
  the ridge heads do, but can weigh the cues differently by kind and by tone;
* ``neighbours``: the mean rating of the ``k`` training answers nearest by cosine, in the
  64 PCA directions; the training answers are kept only as those 64 numbers each, quantised
  to one byte (``codes``, base64, times ``scale``), with their rating (one byte each, in
  steps of ``rating_step``): no text and no full vector.

The final score is ``(1 - mlp_weight - neighbours_weight) * blend + mlp_weight * mlp +
neighbours_weight * neighbours`` (each clipped to -1..1), the weights chosen by leaving one
training source out at a time (``bench/sentiment_extra.py``, which writes a probe file with
an ``extra`` part). Not adopted: the shipped ``sentiment_probe.json`` has none, and a probe
without it reads as before. Left out by source it gained 0.007, but Trust C fell (0.535 ->
0.533) and it pulls consultation answers towards the NHS answers' mostly positive ratings
(BENCHMARKS.md, sentnl); kept so that a probe file with it can be scored beside the shipped
one (``bench.sentiment --probe``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np

KINDS = ("change", "praise", "proposal", "")
# Queries compared with the training codes at once (bounds the memory of the similarities).
CHUNK = 512


@dataclass(frozen=True)
class Extra:
    """The neural head and the neighbours' ratings, with their weights in the blend."""

    pca_mean: np.ndarray
    pca_components: np.ndarray
    mlp_inputs: int
    mlp_layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    mlp_weight: float
    codes: np.ndarray  # the training answers' PCA directions, unit length
    ratings: np.ndarray
    k: int
    neighbours_weight: float

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """The vectors' PCA directions."""
        return (np.asarray(vectors, dtype=np.float64) - self.pca_mean) @ self.pca_components.T

    def mlp(self, tabular: np.ndarray, projected: np.ndarray) -> np.ndarray:
        """The neural head's prediction for each row (tabular features, then the first
        :attr:`mlp_inputs` PCA directions)."""
        hidden = np.hstack([tabular, projected[:, : self.mlp_inputs]])
        for index, (coef, intercept) in enumerate(self.mlp_layers):
            hidden = hidden @ coef + intercept
            if index < len(self.mlp_layers) - 1:
                hidden = np.maximum(hidden, 0.0)
        return hidden[:, 0]

    def neighbours(self, projected: np.ndarray) -> np.ndarray:
        """The mean rating of the :attr:`k` training answers nearest each row by cosine."""
        norms = np.linalg.norm(projected, axis=1, keepdims=True)
        unit = projected / np.maximum(norms, 1e-12)
        out = np.empty(len(unit))
        for start in range(0, len(unit), CHUNK):
            sims = unit[start : start + CHUNK] @ self.codes.T
            top = np.argpartition(-sims, self.k - 1, axis=1)[:, : self.k]
            out[start : start + CHUNK] = self.ratings[top].mean(axis=1)
        return out

    def blend(
        self, base: np.ndarray, rules: np.ndarray, cues: np.ndarray, kind: str, graded, vectors
    ) -> np.ndarray:
        """The final scores of answers whose probe blend is ``base``: ``rules`` their rules'
        scores, ``cues`` their praise cues (one row each), ``kind`` the question's kind,
        ``graded`` True where graded as praise, ``vectors`` their MiniLM vectors."""
        base = np.asarray(base, dtype=np.float64)
        if not len(base):
            return base
        onehot = np.tile([float(kind == k) for k in KINDS], (len(base), 1))
        tabular = np.column_stack(
            [rules, cues, onehot, np.asarray(graded, dtype=np.float64).reshape(-1)]
        )
        projected = self.project(vectors)
        mlp = self.mlp(tabular, projected)
        near = self.neighbours(projected)
        rest = 1.0 - self.mlp_weight - self.neighbours_weight
        mixed = rest * base + self.mlp_weight * mlp + self.neighbours_weight * near
        return np.clip(mixed, -1.0, 1.0)


def decode_floats(data: dict) -> np.ndarray:
    """A float32 matrix stored as base64 (``values``) with its row length (``dims``)."""
    raw = np.frombuffer(base64.b64decode(data["values"]), dtype="<f4")
    return raw.reshape(-1, int(data["dims"])).astype(np.float64)


def decode_codes(data: dict) -> np.ndarray:
    """The training answers' codes (int8, base64) as unit-length rows."""
    raw = np.frombuffer(base64.b64decode(data["codes"]), dtype=np.int8)
    codes = raw.reshape(-1, int(data["dims"])).astype(np.float64) * float(data["scale"])
    return codes / np.maximum(np.linalg.norm(codes, axis=1, keepdims=True), 1e-12)


def extra_from_json(data: dict) -> Extra:
    """An :class:`Extra` from the probe JSON's ``extra`` part."""
    pca, mlp, near = data["pca"], data["mlp"], data["neighbours"]
    layers = tuple(
        (np.asarray(layer["coef"], dtype=np.float64), np.asarray(layer["intercept"], dtype=float))
        for layer in mlp["layers"]
    )
    components = decode_floats(pca["components"])
    codes = decode_codes(near)
    steps = np.frombuffer(base64.b64decode(near["ratings"]), dtype=np.int8)
    ratings = steps.astype(np.float64) * float(near["rating_step"])
    if len(ratings) != len(codes) or codes.shape[1] != len(components):
        raise ValueError("the neighbours' codes do not match their ratings or the PCA")
    return Extra(
        np.asarray(pca["mean"], dtype=np.float64),
        components,
        int(mlp["pca_inputs"]),
        layers,
        float(mlp["weight"]),
        codes,
        ratings,
        int(near["k"]),
        float(near["weight"]),
    )
