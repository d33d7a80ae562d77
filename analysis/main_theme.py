"""An answer's main theme by the label points it makes: a candidate, off by default.

Every answer's main theme is the centre its (neighbour-averaged) vector is nearest to. An
answer making two points lies between their themes, and can be nearest a third theme that
holds answers pairing those points with its own (smoke11 #2, smoke10 #5). On the demo's
business question (semantic engine, seed 0) the studio-space theme gathered the answers
saying "Reopen local railway stations so employers can recruit from a wider area": that
phrasing of the rail point had no theme of its own, so "many small manufacturers cannot
afford ... Reopen local railway stations ..." was counted in the studio-space theme,
whose label it does not make, though it makes the energy-costs theme's label point.

:func:`label_moves` moves such an answer: one making none of its main theme's label point
but another theme's (:func:`analysis.label_points.statement_makers`, the label-point
threshold) takes the theme whose label it is closest to (whole or by one of its separate
points) as its main theme; the old main theme stays among its themes (a mention).
:func:`analysis.stages.main_by_label` applies it after the description (off:
``MAIN_BY_LABEL``), to answers far from their theme's centre only (below the 10th
percentile of its members' similarities), and describes the themes again.

Measured (BENCHMARKS.md "assign", semantic engine): any answer moving fixed the most demo
answers (misplaced rows 186 -> 108) but moved many to broad labels that answers come within
0.5 of, and lowered the real-set NMI (NHS 2,000 rows and ArgKP, seed 0) by 0.5 (k given) and
0.8 (automatic count); below the lower quartile, 186 -> 148 and -0.2 / -0.3; below the 10th
percentile, -0.0 / -0.1 with few answers moved. A rule on the centres alone (an answer none
of whose sentences is within a share of its main theme's typical member similarity, while
one is close to another theme's centre) moved few answers and as many right as wrong: the
sentence that made the answer misplaced is itself close to the centre that gathered it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .clauses import points_of
from .label_points import LABEL_POINT_THRESHOLD, statement_makers


def label_moves(
    labels: Sequence[str],
    texts: Sequence[str],
    primary: np.ndarray,
    embed: Callable[[list[str]], np.ndarray],
    threshold: float = LABEL_POINT_THRESHOLD,
    eligible: np.ndarray | None = None,
    margin: float = 0.0,
) -> np.ndarray:
    """Each text's main theme (an index into ``labels``): its ``primary`` one unless it
    makes no point of that theme's label and makes another's (cosine at least
    ``threshold``, as a label's point is counted); then the theme of those whose label it
    is closest to, as a whole or by one of its separate points (ties to the lower
    number). With ``eligible`` (a flag per text), only the flagged texts may move (the
    rule as adopted: those whose whole vector is less similar to their main theme's centre
    than its typical member, :func:`far_from_theme`); with ``margin``, a text moves only when
    it is at least that much closer (cosine) to the new theme's label than to its main
    theme's."""
    primary = np.asarray(primary, dtype=np.int64)
    if not len(labels) or not len(texts):
        return primary.copy()
    makes = statement_makers(list(labels), list(texts), embed, threshold)
    rows = np.arange(len(texts))
    stray = ~makes[rows, primary] & makes.any(axis=1)
    if eligible is not None:
        stray &= np.asarray(eligible, dtype=bool)
    found = primary.copy()
    if not stray.any():
        return found
    targets = np.asarray(embed(list(labels)), dtype=np.float64)
    chosen = np.nonzero(stray)[0]
    closest = np.asarray(embed([texts[r] for r in chosen]), dtype=np.float64) @ targets.T
    owners, parts = points_of([texts[r] for r in chosen])
    if parts:
        scores = np.asarray(embed(parts), dtype=np.float64) @ targets.T
        for owner, score in zip(owners, scores, strict=True):
            np.maximum(closest[owner], score, out=closest[owner])
    for place, row in enumerate(chosen):
        candidates = makes[row].copy()
        candidates[primary[row]] = False
        score = np.where(candidates, closest[place], -np.inf)
        best = int(np.argmax(score))  # argmax: ties to the lower number
        if score[best] >= closest[place, primary[row]] + margin:
            found[row] = best
    return found


def far_from_theme(similarity: np.ndarray, primary: np.ndarray, typical: np.ndarray) -> np.ndarray:
    """Per answer: whether its similarity to its main theme's centre (``similarity``, one
    per answer) is below that theme's ``typical`` member similarity
    (:func:`analysis.themes.typical_similarity`, the lower quartile)."""
    return np.asarray(similarity) < np.asarray(typical)[np.asarray(primary, dtype=np.int64)]
