"""The coding model's confidence floor: below it an answer the model coded is "not coded:
the model is unsure". Its themes are a guess, counted apart from the model's codes (the web
app's ``CODING_CONFIDENCE_FLOOR`` setting; ``coded.csv`` marks such rows in its ``unsure``
column and keeps their themes, as the command line's contract asks).

A light module (no numpy), so the web app reads the default without loading the models.
Chosen on NHS and ArgKP: BENCHMARKS.md, section "coding-floor" (``bench/coding_floor.py``).
"""

from __future__ import annotations

CONFIDENCE_FLOOR = 0.1
"""The default floor, on :meth:`analysis.coding.CodingModel.set_confidence`'s scale."""


def is_unsure(confidence: float | None, floor: float = CONFIDENCE_FLOOR) -> bool:
    """Whether a model's code of this confidence is below the floor (a person's code, with
    no confidence, never is)."""
    return confidence is not None and floor > 0 and confidence < floor
