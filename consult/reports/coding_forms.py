"""Forms of the coding pages."""

from __future__ import annotations

from wtforms import RadioField, SelectMultipleField

from ..staff.kept_forms import StaffForm

STANCE_CHOICES = [
    ("for", "For the proposal"),
    ("against", "Against the proposal"),
    ("mixed", "Neither: mixed, or no clear side"),
    ("", "Not coded for stance"),
]


class CodeForm(StaffForm):
    """One response's themes (any number, or none) and its stance."""

    themes = SelectMultipleField("Themes", choices=[], validate_choice=False)
    stance = RadioField("Stance", choices=STANCE_CHOICES, default="", validate_choice=False)

    def validate_themes(self, field) -> None:
        from wtforms.validators import ValidationError

        known = {value for value, _ in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError("Choose themes from the codebook")

    def validate_stance(self, field) -> None:
        from wtforms.validators import ValidationError

        if (field.data or "") not in {value for value, _ in STANCE_CHOICES}:
            raise ValidationError("Choose for, against, mixed or not coded")
