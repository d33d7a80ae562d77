"""Answers on the other side from their theme, moved to the nearest theme on their own side.

Where a run has a stance column (a paired agreement answer, or a side coded ``1``/``-1``), a
theme most of whose sided members took one side can still hold answers that took the other:
on ArgKP, an argument against the motion counted in a theme of arguments for it, though every
expert key point belongs to one side (issue 12). :func:`side_moves` gives such an answer the
theme on its own side it is most similar to, when that theme is nearly as similar as its
own (within ``margin`` of cosine similarity). Only the stance column says an answer's side:
never the words (guessing sides from words does not work on ArgKP, BENCHMARKS.md "stance").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .stance import read_sides, stance_from_agreement

SIDES = ("for", "against")
# A theme leans to a side when at least this share of its sided members took it (and at least
# LEANING_MEMBERS did): the rule of analysis.describe.leading_side, which labels speak for.
LEANING_SHARE = 0.6
LEANING_MEMBERS = 3


def column_sides(agreement: Sequence[str | None]) -> list[str]:
    """Each row's side from the stance column alone: "for", "against", or "" (none given,
    mixed, unclear or unreadable). Never read from the answer's words."""
    found = []
    for answer in read_sides(list(agreement)):
        side = stance_from_agreement(answer)
        found.append(side if side in SIDES else "")
    return found


def answer_sides(row_sides: Sequence[str], rep_of_row: np.ndarray, answers: int) -> list[str]:
    """Each distinct answer's side: the side every row giving it took (a campaign's senders,
    or people writing the same words, can take different sides), else ""."""
    found: list[set[str]] = [set() for _ in range(answers)]
    for side, rep in zip(row_sides, rep_of_row, strict=True):
        if rep >= 0:
            found[rep].add(side)
    return [next(iter(held)) if len(held) == 1 else "" for held in found]


def leaning_sides(
    primary: np.ndarray,
    sides: Sequence[str],
    k: int,
    weights: np.ndarray | None = None,
    share: float = LEANING_SHARE,
) -> list[str]:
    """Per theme, the side at least ``share`` of its sided members took (each member counted
    ``weights`` times; at least :data:`LEANING_MEMBERS` sided), else ""."""
    weights = np.ones(len(primary)) if weights is None else np.asarray(weights, dtype=float)
    on_side = {side: np.asarray(sides) == side for side in SIDES}
    found = []
    for theme in range(k):
        members = primary == theme
        counts = {side: float(weights[members & on_side[side]].sum()) for side in SIDES}
        total = sum(counts.values())
        side = max(SIDES, key=lambda s: (counts[s], s == SIDES[0]))
        found.append(side if total >= LEANING_MEMBERS and counts[side] >= share * total else "")
    return found


# The moves are made only when the stance column says something of the themes: their
# members on the side fewer of them took, pooled, are at most this share of what sides
# unrelated to the themes would put there (chosen on ArgKP's even motions, midway between the
# gold stance column's highest, 0.51, and the same column shuffled within each motion's lowest,
# 0.79; BENCHMARKS.md "offtopic").
SIDE_GUARD = 0.65

# ThemeModel's default margin: :data:`analysis.flags.SIDE_MARGIN` (kept there so the web app
# can read it without NumPy).


def sides_tell_themes(
    primary: np.ndarray,
    sides: Sequence[str],
    k: int,
    weights: np.ndarray | None = None,
    guard: float = SIDE_GUARD,
) -> bool:
    """Whether the themes are one-sided enough for the stance column to say where an answer
    belongs: pooled over themes, the sided members on each theme's smaller side are at most
    ``guard`` times what they would be with sides unrelated to the themes (the run's
    smaller side's share of every theme's sided members)."""
    weights = np.ones(len(primary)) if weights is None else np.asarray(weights, dtype=float)
    sides = np.asarray(list(sides), dtype=object)
    sided = np.isin(sides, SIDES)
    total = float(weights[sided].sum())
    if not total:
        return False
    smaller = min(float(weights[sides == side].sum()) for side in SIDES) / total
    if not smaller:
        return False
    minority = 0.0
    for theme in range(k):
        members = primary == theme
        minority += min(float(weights[members & (sides == side)].sum()) for side in SIDES)
    return minority <= guard * smaller * total


def side_moves(
    similarity: np.ndarray,
    primary: np.ndarray,
    sides: Sequence[str],
    margin: float,
    weights: np.ndarray | None = None,
    share: float = LEANING_SHARE,
    guard: float | None = None,
) -> np.ndarray:
    """Each answer's main theme after the move: an answer whose side (``sides``, from the
    stance column) is the other one from the side its theme leans to (:func:`leaning_sides`)
    takes the theme leaning to its own side it is most similar to (``similarity``: answers x
    themes), when that theme is at most ``margin`` less similar than its own; otherwise, and
    for every other answer, the theme stays. Themes' leanings are read once, before any move,
    so the result does not depend on the answers' order; no theme loses its leaning side's
    members, so none is emptied. With ``guard``, nothing moves unless
    :func:`sides_tell_themes` says the column speaks of the themes."""
    primary = np.asarray(primary)
    new = primary.copy()
    if not len(primary):
        return new
    k = similarity.shape[1]
    if guard is not None and not sides_tell_themes(primary, sides, k, weights, guard):
        return new
    sides = np.asarray(list(sides), dtype=object)
    leaning = np.asarray(leaning_sides(primary, list(sides), k, weights, share), dtype=object)
    own = similarity[np.arange(len(primary)), primary]
    for side, other in zip(SIDES, SIDES[::-1], strict=True):
        targets = np.nonzero(leaning == side)[0]
        if not len(targets):
            continue
        wrong = np.nonzero((sides == side) & (leaning[primary] == other))[0]
        for row in wrong:
            best = targets[int(np.argmax(similarity[row, targets]))]
            if similarity[row, best] >= own[row] - margin:
                new[row] = best
    return new
