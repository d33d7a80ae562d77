"""WTForms for the review actions (validated on the server; pages are in
``templates/reports/review/``)."""

from __future__ import annotations

import re

from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..staff.kept_forms import StaffForm
from ..whole_number import WholeNumberField
from .review import MAX_LABEL

MAX_SPLIT = 10
MAX_PULL_IN = 200


def references_in(text: str | None) -> list[str]:
    """Response references typed one per line or separated by commas or spaces."""
    return [part for part in re.split(r"[\s,;]+", (text or "").strip()) if part]


class RenameForm(StaffForm):
    label = StringField(
        "Theme name",
        validators=[
            DataRequired("Enter a name for the theme"),
            Length(max=MAX_LABEL, message=f"The name must be {MAX_LABEL} characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)",
        validators=[Optional(), Length(max=5000, message="The description is too long")],
    )


class MergeForm(StaffForm):
    themes = SelectMultipleField("Themes to merge", choices=[], validate_choice=False)
    label = StringField(
        "Name of the merged theme (optional)",
        validators=[Optional(), Length(max=MAX_LABEL, message="The name is too long")],
    )

    def validate_themes(self, field) -> None:
        from wtforms.validators import ValidationError

        known = {value for value, _ in field.choices}
        if len([v for v in field.data or [] if v in known]) < 2:
            raise ValidationError("Choose at least two themes to merge")


class SplitForm(StaffForm):
    n = WholeNumberField(
        "Number of themes to split it into",
        validators=[
            InputRequired("Enter the number of themes to split it into, like 2"),
            NumberRange(2, MAX_SPLIT, f"Enter a whole number from 2 to {MAX_SPLIT}"),
        ],
    )


class MoveForm(StaffForm):
    responses = SelectMultipleField("Responses to move", choices=[], validate_choice=False)
    references = TextAreaField(
        "Or type response references (optional)", validators=[Optional(), Length(max=20000)]
    )
    target = SelectField("Move them to", choices=[], validate_choice=False)

    def validate_target(self, field) -> None:
        from wtforms.validators import ValidationError

        # "" is the "Choose a theme" prompt: no theme (smoke12 finding 12)
        if not field.data or field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose the theme to move the responses to")

    def chosen(self) -> list[str]:
        return list(self.responses.data or []) + references_in(self.references.data)


class CreateForm(StaffForm):
    label = StringField(
        "Name of the new theme",
        validators=[
            DataRequired("Enter a name for the new theme"),
            Length(max=MAX_LABEL, message=f"The name must be {MAX_LABEL} characters or fewer"),
        ],
    )
    examples = TextAreaField(
        "Example responses",
        validators=[DataRequired("Enter at least one example response's reference")],
    )
    pull_in = WholeNumberField(
        "How many similar responses to pull in",
        default=10,
        validators=[
            InputRequired("Enter how many similar responses to pull in, like 10"),
            NumberRange(0, MAX_PULL_IN, f"Enter a whole number from 0 to {MAX_PULL_IN}"),
        ],
    )


class ReviewedForm(StaffForm):
    reviewed = HiddenField(default="1")


class UndoForm(StaffForm):
    """Only a CSRF token: the edit is in the address."""
