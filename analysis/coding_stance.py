"""Which side each theme sits on, learned from the rows coded with both themes and stance.

In argument key points every key point belongs to one side (for or against), and in real
consultations themes are often one-sided too ("opposes X because ..."). When the survey codes
stance as well as themes, the coded rows show each theme's side, and each response's side is
known (coded) or guessed (the stance model). :func:`agreement` is the chance that a
response's side and a theme's side agree: the product summed over the two sides, with a
"mixed" stance counting half to each. A theme seen on both sides (or not yet seen) sits at
0.5, so it gets no effect.

:class:`analysis.coding.CodingModel` reads it (``stance_themes``) either as one more column per
theme for its combiner ("combine": the combiner learns how far to trust it) or as a factor on
the theme probabilities before the decision rule ("reweight": themes of the other side are
made less likely, never more).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SIDES = {"for": 1.0, "against": 0.0, "mixed": 0.5}
STANCE_THEMES = ("off", "combine", "reweight")


@dataclass(frozen=True)
class RowSides:
    """Each response's side as chances of being "for" (a "mixed" stance counting half).

    side: from the coder where the stance is coded, else from the stance model.
    guess: the stance model's, for a coded response from a model learned without it. The
        rows coded with themes are the combiner's training rows, and they get this one:
        the stance model's probabilities are much less extreme than a coder's 0 or 1
        (ArgKP: a median of 0.74 for the likelier side, 91 % right), and a combiner
        learned on coded sides over-trusts guessed ones (key points 0.575 to 0.491 on one
        motion; 0.602 with the true sides).
    human: the coded side (1 for, 0 against, 0.5 mixed), NaN where not coded.
    """

    side: np.ndarray
    guess: np.ndarray
    human: np.ndarray

    @classmethod
    def from_stances(
        cls,
        stances: Sequence[str | None],
        proba: np.ndarray,
        classes: Sequence[str],
        held_out: np.ndarray | None = None,
    ) -> RowSides:
        """From the coded stances (None where not coded), the stance model's probabilities
        (columns in ``classes`` order) for every response, and ``held_out`` the same with
        each coded row's from a model learned without it (None: ``proba``): the sides of
        :meth:`with_answers` when no respondent gave their own."""
        sides = cls.with_answers(stances, [None] * len(stances), proba, classes, held_out)
        assert sides is not None  # a stance model's guesses give every row a side
        return sides

    @classmethod
    def with_answers(
        cls,
        stances: Sequence[str | None],
        answered: Sequence[str | None],
        proba: np.ndarray | None = None,
        classes: Sequence[str] = (),
        held_out: np.ndarray | None = None,
    ) -> RowSides | None:
        """Sides where the respondents also said their own (``answered``: "for", "against",
        "mixed" or None per response, from a paired agreement question): a coder's stance
        first, then the respondent's, then the stance model's guess (``proba`` in ``classes``
        order, ``held_out`` as in :meth:`from_stances`; None without a stance model: one half).
        A respondent's own stance is no guess, so a coded row keeps it as its ``guess`` too,
        and it teaches each theme its side as a coder's would. None when no response has a
        side from anyone."""
        size = len(stances)
        if proba is not None:
            weights = np.array([SIDES[c] for c in classes], float)
            guessed = np.asarray(proba, float) @ weights
            held = guessed if held_out is None else np.asarray(held_out, float) @ weights
        elif not any(s in SIDES for s in [*stances, *answered]):
            return None
        else:
            guessed = held = np.full(size, 0.5)
        coded = np.array([SIDES.get(s, np.nan) if s else np.nan for s in stances], float)
        own = np.array([SIDES.get(s, np.nan) if s else np.nan for s in answered], float)
        human = np.where(np.isnan(coded), own, coded)
        side = np.where(np.isnan(human), guessed, human)
        guess = np.where(np.isnan(own), held, own)
        return cls(side, guess, human)

    def __len__(self) -> int:
        return len(self.side)


def theme_sides(
    human: np.ndarray,
    y: np.ndarray,
    prior: float = 1.0,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """Each theme's chance of being on the "for" side, from the coded rows' sides ``human``
    (NaN: stance not coded, left out) and 0/1 themes ``y``: the "for" mass over the total,
    smoothed by a Beta(``prior``, ``prior``) prior, so an unseen theme sits at 0.5.

    ``own``: for each query row, its position among these rows (-1 when it is not one of
    them); a row's own coding is taken out of its themes' counts (rows by themes result).
    Without ``own``: one value per theme."""
    known = ~np.isnan(human)
    side = np.where(known, human, 0.0)
    y = np.asarray(y, float) * known[:, None]
    mass_for = side @ y
    total = y.sum(axis=0)
    if own is None:
        return (mass_for + prior) / (total + 2 * prior)
    own = np.asarray(own, int)
    inside = own >= 0
    mine = np.zeros((len(own), y.shape[1]))
    mine_for = np.zeros((len(own), y.shape[1]))
    mine[inside] = y[own[inside]]
    mine_for[inside] = y[own[inside]] * side[own[inside], None]
    return (mass_for[None, :] - mine_for + prior) / (total[None, :] - mine + 2 * prior)


def agreement(side: np.ndarray, themes: np.ndarray) -> np.ndarray:
    """The chance that each response's side (``side``: P(for), one per row) agrees with each
    theme's (``themes``: P(for), one per theme or rows by themes): rows by themes."""
    q = np.asarray(side, float)[:, None]
    t = np.asarray(themes, float)
    if t.ndim == 1:
        t = t[None, :]
    return q * t + (1 - q) * (1 - t)


def reweigh(proba: np.ndarray, agree: np.ndarray) -> np.ndarray:
    """Theme probabilities times ``2 * agreement`` capped at 1: a theme on the response's
    side, or on both sides (agreement 0.5 or more), keeps its probability; one on the
    other side loses up to all of it."""
    return proba * np.minimum(1.0, 2 * agree)
