"""A projection of answer vectors learned from coded feedback (BENCHMARKS.md "nmi31", "proj32").

A shrinkage LDA fitted on all-MiniLM-L6-v2's vectors of NHS phase 1 Trust A's answers and
their coders' 9 themes (``tools/answer_projection_build.py``, run by ``make install`` from
``$CONSULT_DATA_DIR``, default ``../shared/data``). The semantic engine can join each answer's
vector with the unit projection of it (``SemanticRepresentation(projection_weight=0.15)``):
the answer's MiniLM vector weighted ``sqrt(1 - w)``, the projection ``sqrt(w)``. An option, off
by default (``ThemeModel(projection_weight=0.15)``, :data:`analysis.flags.PROJECTION_WEIGHT`;
the CLI's ``--projection``): proj32's held-out rule passed (v6 +1.72, Trust C +2.13 / +0.95,
fresh motions +0.57 NMI; the demo's points -1.00) and ship33's reruns and CPU checks did, but
its reading of the demo's themes as a user did not (two clean themes split in two).

Only the 384 x 8 scalings (as the LDA made them) are stored (``answer-projection.npz`` in
``share/consult-analyse`` under the running environment, or ``$CONSULT_ANSWER_PROJECTION``):
numbers derived from the data, never the data. A fresh clone without the data has no file:
the option then changes nothing (the engine groups exactly as with it off), a RuntimeWarning
says so once a process (:func:`warn_unavailable`) and :func:`unavailable_reason` says why.
"""

from __future__ import annotations

import os
import sys
import warnings
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from sklearn.preprocessing import normalize

ENVIRONMENT = "CONSULT_ANSWER_PROJECTION"
FILE_NAME = "answer-projection.npz"
# Where it was learned, as run.json and the README say it.
LEARNED_ON = (
    "a shrinkage LDA of all-MiniLM-L6-v2 vectors of NHS phase 1 Trust A's answers and their "
    "coders' 9 themes (NHS Friends and Family Test patient feedback)"
)


def default_file() -> Path:
    """Where ``make install`` writes it: ``share/consult-analyse`` under ``sys.prefix``."""
    return Path(sys.prefix) / "share" / "consult-analyse" / FILE_NAME


def configured_file() -> Path:
    return Path(os.environ.get(ENVIRONMENT) or default_file()).expanduser()


@lru_cache(maxsize=4)
def _load(path: str, stamp: tuple[int, int]) -> np.ndarray | None:
    try:
        with np.load(path) as stored:
            scalings = np.asarray(stored["scalings"])
    except (OSError, KeyError, ValueError):
        return None
    return scalings if scalings.ndim == 2 and scalings.shape[1] > 0 else None


def scalings() -> np.ndarray | None:
    """The stored (dimensions x axes) scalings, or None when there is no readable file."""
    path = configured_file()
    try:
        info = path.stat()
    except OSError:
        return None
    return _load(str(path), (info.st_mtime_ns, info.st_size))


def unavailable_reason() -> str | None:
    """Why the projection cannot be used (None when it can)."""
    if scalings() is None:
        return (
            f"the learned answer projection is not installed (no {configured_file()}; make "
            "install builds it from NHS phase 1 in $CONSULT_DATA_DIR): grouping without it"
        )
    return None


@cache
def warn_unavailable() -> None:
    """Say once a process that the projection was asked for but is not installed."""
    reason = unavailable_reason()
    if reason:
        warnings.warn(reason, RuntimeWarning, stacklevel=2)


def joined(vectors: np.ndarray, weight: float, table: np.ndarray | None) -> np.ndarray:
    """``vectors`` weighted ``sqrt(1 - weight)`` beside their unit projection on ``table``
    weighted ``sqrt(weight)``, unit length; ``vectors`` unchanged when the weight is 0, there
    is no table, or its dimensions do not match."""
    if weight <= 0 or table is None or not len(vectors) or table.shape[0] != vectors.shape[1]:
        return vectors
    projected = normalize(vectors @ table)  # as the LDA's transform (bench.learned_projection)
    both = np.hstack([np.sqrt(1 - weight) * vectors, np.sqrt(weight) * projected])
    return normalize(both).astype(np.float32)
