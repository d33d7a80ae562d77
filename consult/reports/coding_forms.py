"""Forms of the coding pages."""

from __future__ import annotations

from typing import Protocol

from wtforms import RadioField, SelectMultipleField
from wtforms.validators import ValidationError

from ..staff.kept_forms import StaffForm

STANCE_CHOICES = [
    ("for", "For"),
    ("against", "Against"),
    ("mixed", "Neither: mixed, or no clear side"),
    ("", "Not coded for stance"),
]


class StanceWording(Protocol):
    """What the stance wording needs of :class:`consult.reports.coding.PairedAnswer`."""

    number: int
    agreement: bool

    @property
    def label(self) -> str: ...


def stance_labels(paired: StanceWording | None) -> dict[str, str]:
    """The stance choices' labels by stored value: worded from the agreement question the
    coded one explains ("Agrees with Q1", "Disagrees with Q1"), as a question such as "The
    settlement gives the region enough control" proposes nothing (smoke16 finding 12); plain
    "For" and "Against" when there is none. The stored values stay for/against/mixed."""
    labels = dict(STANCE_CHOICES)
    if paired is not None and paired.agreement:
        labels["for"] = f"Agrees with {paired.label}"
        labels["against"] = f"Disagrees with {paired.label}"
    return labels


def stance_legend(paired: StanceWording | None) -> str:
    """The stance question's legend on the coding and settle forms."""
    if paired is not None and paired.agreement:
        return f"Its stance: does it agree with {paired.label}? (optional)"
    return "Its stance (optional)"


def stance_set_words(paired: StanceWording | None, stance: str) -> str:
    """The stance a paired answer set, for "So its stance is set to …": the choice's label,
    "Neither" for mixed."""
    return "Neither" if stance == "mixed" else stance_labels(paired).get(stance, stance)


# The "None of these themes" box. A theme id starts with a letter or digit, so no theme can
# have this value.
NO_THEME = "-none"
NO_THEME_LABEL = "None of these themes"


class CodeForm(StaffForm):
    """One response's themes (any number, or "None of these themes") and its stance.

    A response with no theme is coded on purpose, by ticking "None of these themes": a form
    sent with nothing ticked is refused, so an early Enter never records "no theme" (a code
    people give counts as theirs, teaches the model and is never overwritten)."""

    themes = SelectMultipleField("Themes", choices=[], validate_choice=False)
    stance = RadioField("Stance", choices=STANCE_CHOICES, default="", validate_choice=False)

    def validate_themes(self, field) -> None:
        chosen = list(field.data or [])
        known = {value for value, _ in field.choices}
        if any(value not in known and value != NO_THEME for value in chosen):
            raise ValidationError("Choose themes from the codebook")
        if not chosen:
            raise ValidationError(f"Choose the themes this response raises, or ‘{NO_THEME_LABEL}’")
        if NO_THEME in chosen and len(chosen) > 1:
            raise ValidationError(f"Choose themes or ‘{NO_THEME_LABEL}’, not both")

    def chosen_themes(self) -> list[str]:
        """The theme ids ticked (none for "None of these themes")."""
        return [value for value in self.themes.data or [] if value != NO_THEME]

    def validate_stance(self, field) -> None:
        if (field.data or "") not in {value for value, _ in STANCE_CHOICES}:
            raise ValidationError("Choose for, against, neither or not coded")
