"""The coding model's confidence floor: below it an answer the model coded is "not coded:
the model is unsure". Its themes are a guess, counted apart from the model's codes (the web
app's ``CODING_CONFIDENCE_FLOOR`` setting; ``coded.csv`` marks such rows in its ``unsure``
column and keeps their themes, as the command line's contract asks).

A light module (no numpy), so the web app reads the default without loading the models.
While people have coded few answers the floor is higher (:func:`floor_for`).
Chosen on NHS and ArgKP: BENCHMARKS.md, section "coding-floor" (``bench/coding_floor.py``).
"""

from __future__ import annotations

CONFIDENCE_FLOOR = 0.1
"""The default floor, on :meth:`analysis.coding.CodingModel.set_confidence`'s scale."""


# While people have coded few answers the model is guessing: its confidence, learned from a
# handful of codes, says little (BENCHMARKS.md "coding-floor": with 4 codes, F1 of what a floor of
# 0.3 keeps is 0.61 on NHS and 0.60 on ArgKP, against 0.55 and 0.32 at 0.1; with ArgKP's 5 %,
# about 1 code a theme, 0.76 against 0.42). So below EARLY_CODES codes, or fewer than
# EARLY_PER_THEME a theme, the floor is EARLY_FLOOR; from there on it falls to the base floor
# (at 10 % coded, 2 or more a theme, 0.3 gains ArgKP nothing and leaves 72 % of NHS uncoded).
EARLY_CODES = 20
EARLY_PER_THEME = 2
EARLY_FLOOR = 0.3


def few_codes(learned: int, themes: int) -> bool:
    """Whether ``learned`` codes by people over ``themes`` themes are too few to trust the
    model's confidence: fewer than :data:`EARLY_CODES`, or than :data:`EARLY_PER_THEME` a theme."""
    return learned < EARLY_CODES or learned < EARLY_PER_THEME * themes


def floor_for(learned: int, themes: int, base: float = CONFIDENCE_FLOOR) -> float:
    """The floor for a model fitted on ``learned`` codes by people over ``themes`` themes:
    :data:`EARLY_FLOOR` (or ``base`` if higher) while :func:`few_codes`, else ``base``. A base of
    0 (count every guess) stays 0."""
    if base <= 0:
        return base
    return max(base, EARLY_FLOOR) if few_codes(learned, themes) else base


def floor_why(learned: int, themes: int, base: float = CONFIDENCE_FLOOR) -> str:
    """Why the floor is raised, as words for a reader ("" when it is not):
    "the model has learnt from only 4 codes"; "nobody has coded a response yet" for none
    (not "only 0 codes", smoke10 finding 20)."""
    if floor_for(learned, themes, base) <= base:
        return ""
    if not learned:
        return "nobody has coded a response yet"
    return f"the model has learnt from only {learned} {'code' if learned == 1 else 'codes'}"


def is_unsure(confidence: float | None, floor: float = CONFIDENCE_FLOOR) -> bool:
    """Whether a model's code of this confidence is below the floor (a person's code, with
    no confidence, never is)."""
    return confidence is not None and floor > 0 and confidence < floor
