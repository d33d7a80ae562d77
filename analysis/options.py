"""The names and bounds of the library's options that the CLI checks before any work, here
without numpy or scikit-learn (words31: a refused run imports nothing heavy). The modules that
use them import them from here: :mod:`analysis.represent` (engines, encoders) and
:mod:`analysis.tone` (the tone weight)."""

from __future__ import annotations

from .coding_encoder import MINILM

# The engines :func:`analysis.represent.make_representation` builds (its ENGINES' keys).
ENGINE_NAMES = ("fast", "semantic")
AUTO = "auto"  # the coding encoder where one is installed (analysis.coding_encoder)
JOINED = "joined"  # MiniLM's vectors and the coding encoder's side by side (issue 12, nmi28)
ENCODERS = (MINILM, AUTO, JOINED)  # what SemanticRepresentation(encoder=...) takes


def check_tone_weight(weight: object) -> float:
    """``weight`` as a float in [0, 1]; ValueError otherwise."""
    try:
        value = float(weight)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"tone_weight must be a number from 0 to 1, not {weight!r}") from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"tone_weight must be from 0 to 1, not {weight!r}")
    return value
