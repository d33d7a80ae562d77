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

from functools import lru_cache

import numpy as np
from sklearn.preprocessing import normalize

from .sentiment_probe import PROBE_FILE, STATIC_PROBE_FILE, load_probe

SPACES = {"minilm": PROBE_FILE, "static": STATIC_PROBE_FILE}
# The probe heads whose weight vectors span the tone taken out: "general" (every rated
# answer) and "praise" (gradations of praise, answers to "what was good?").
TONE_HEADS: tuple[str, ...] = ("general", "praise")


def tone_basis(space: str, heads: tuple[str, ...] | None = None) -> np.ndarray | None:
    """Orthonormal rows spanning the named heads' weight vectors (:data:`TONE_HEADS` by
    default) in ``space`` ("minilm" or "static"), or None when the probe is missing or has
    none of those heads."""
    return _basis(space, tuple(heads) if heads is not None else TONE_HEADS)


@lru_cache(maxsize=8)
def _basis(space: str, heads: tuple[str, ...]) -> np.ndarray | None:
    if space not in SPACES:
        raise ValueError(f"unknown vector space {space!r} (available: {', '.join(SPACES)})")
    probe = load_probe(SPACES[space])
    if probe is None:
        return None
    coefs = [probe.heads[name].coef for name in heads if name in probe.heads]
    if not coefs:
        return None
    q, r = np.linalg.qr(np.array(coefs, dtype=np.float64).T)
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


def check_tone_weight(weight: object) -> float:
    """``weight`` as a float in [0, 1]; ValueError otherwise."""
    try:
        value = float(weight)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"tone_weight must be a number from 0 to 1, not {weight!r}") from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"tone_weight must be from 0 to 1, not {weight!r}")
    return value
