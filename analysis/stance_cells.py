"""A coded stance cell, read and checked (``consult-analyse code --stance-column``), without
numpy or scikit-learn: the CLI refuses a bad cell before anything heavy is imported (words31).
:mod:`analysis.stance_model` learns from what it reads."""

from __future__ import annotations

from .errors import InputError
from .stance import stance_from_agreement

STANCES = ("for", "against", "mixed")


def parse_stance(value: str | None) -> str | None:
    """A coded stance cell: 'for', 'against', 'mixed', or None when blank."""
    text = (value or "").strip().lower()
    if not text:
        return None
    if text not in STANCES:
        raise InputError(f"unknown stance '{value[:30]}' (use for, against or mixed){_hint(value)}")
    return text


def _hint(value: str) -> str:
    """For an agreement answer ("Disagree"): that the column holds the side a person coded,
    not the respondent's answer `themes --stance-column` reads, and the side it would be
    (smoke13 finding 3); "" for anything else."""
    side = stance_from_agreement(value)
    if side not in STANCES:
        return ""
    return (
        f": it reads as a respondent's agreement answer, which `themes --stance-column` takes; "
        f"`code --stance-column` takes the side a person coded the answer as, here '{side}'"
    )
