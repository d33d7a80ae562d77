"""How warmly an answer speaks, taken out of the vectors answers are grouped by (issue 12).

Coders file one-line praise by what is praised (staff, food, waiting), but sentence vectors
put much of their length on how warmly it is said, so "Lovely staff." and "Lovely food."
can sit closer than "Lovely staff." and "The nurses were rude.". The shipped sentiment
probes (:mod:`analysis.sentiment_probe`) are ridge heads over exactly these vectors: their
weight vectors are the spaces' sentiment directions. :func:`without_tone` takes ``weight``
times each vector's projection on the span of those directions out (``v - w * P v``, then
unit length), for grouping only: labels, quotes, sentiment and coding read the vectors as
they were.

``tone_basis`` gives the orthonormal span for a space: "minilm" (all-MiniLM-L6-v2 sentence
vectors, :data:`analysis.sentiment_probe.PROBE_FILE`) or "static" (the fast engine's static
word-piece vectors, :data:`analysis.sentiment_probe.STATIC_PROBE_FILE`), over the probe's
heads named in :data:`TONE_HEADS`. Measured on dev and held-out sets: BENCHMARKS.md "nmi29".
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.preprocessing import normalize

from .options import check_tone_weight  # noqa: F401 (importable from here as before)
from .sentiment_probe import PROBE_FILE, STATIC_PROBE_FILE, load_probe

SPACES = {"minilm": PROBE_FILE, "static": STATIC_PROBE_FILE}
# Tone directions learned from NHS Trusts A and B (``bench/tone_directions.py``): the top
# principal directions of praise-minus-complaint mean gaps within each sub-theme.
DEV_FILE = Path(__file__).with_name("tone_directions.json")
# Which directions are taken out: "probe" (the span of the probe heads' weight vectors,
# "general" and "praise"), "probe:general" (one head's), "dev:N" (DEV_FILE's top N), or
# "fit": in the fast views, the one direction that best predicts the static probe's reading
# of the answers fitted (:func:`fitted_axis`); MiniLM's vectors lose the probe's span.
TONE_SOURCE = "probe"


def tone_basis(space: str, source: str | None = None) -> np.ndarray | None:
    """Orthonormal rows spanning the tone directions named by ``source`` (:data:`TONE_SOURCE`
    by default) in ``space`` ("minilm" or "static"), or None when their file is missing or
    has none of them."""
    if space not in SPACES:
        raise ValueError(f"unknown vector space {space!r} (available: {', '.join(SPACES)})")
    return _basis(space, source or TONE_SOURCE)


@lru_cache(maxsize=16)
def _basis(space: str, source: str) -> np.ndarray | None:
    kind, _, detail = source.partition(":")
    if kind in ("probe", "fit"):
        probe = load_probe(SPACES[space])
        if probe is None:
            return None
        heads = detail.split("+") if detail else ["general", "praise"]
        rows = [probe.heads[name].coef for name in heads if name in probe.heads]
    elif kind == "dev":
        try:
            data = json.loads(DEV_FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        rows = data.get(space, [])[: int(detail or 1)]
    else:
        raise ValueError(f"unknown tone source {source!r} (probe, probe:HEAD, dev:N)")
    if not rows:
        return None
    q, r = np.linalg.qr(np.array(rows, dtype=np.float64).T)
    keep = np.abs(np.diag(r)) > 1e-9 * max(1.0, float(np.abs(r).max()))
    basis = q[:, keep].T.astype(np.float32)
    return basis if len(basis) else None


def without_tone(vectors: np.ndarray, basis: np.ndarray | None, weight: float) -> np.ndarray:
    """Unit rows of ``vectors`` less ``weight`` times their projection on the span of
    ``basis`` (orthonormal rows, :func:`tone_basis`); the vectors unchanged when ``weight``
    is 0, there is no basis, or the dimensions differ (another model's vectors)."""
    if (
        weight <= 0
        or basis is None
        or not len(vectors)
        or np.asarray(vectors).shape[1] != basis.shape[1]
    ):
        return vectors
    vectors = np.asarray(vectors, dtype=np.float32)
    shifted = vectors - float(weight) * (vectors @ basis.T) @ basis
    return normalize(shifted).astype(np.float32)


def probe_reading(vectors: np.ndarray, space: str) -> np.ndarray:
    """The probe's general head's reading of each of ``vectors`` (of ``space``)."""
    probe = load_probe(SPACES[space])
    if probe is None or not len(vectors):
        return np.zeros(len(vectors))
    return probe.heads["general"].predict(vectors)


def fitted_axis(vectors: np.ndarray, target: np.ndarray, alpha: float = 1.0) -> np.ndarray | None:
    """The unit direction of ridge regression (``alpha``) of ``target`` on the centred
    ``vectors``: the axis of these vectors along which the target varies; None when there
    are fewer than three rows or the target does not vary."""
    target = np.asarray(target, dtype=np.float64)
    if len(vectors) < 3 or float(target.std()) < 1e-9:
        return None
    x = np.asarray(vectors, dtype=np.float64)
    x = x - x.mean(axis=0)
    coef = np.linalg.solve(x.T @ x + alpha * np.eye(x.shape[1]), x.T @ (target - target.mean()))
    norm = float(np.linalg.norm(coef))
    return (coef / norm).astype(np.float32) if norm > 1e-12 else None
