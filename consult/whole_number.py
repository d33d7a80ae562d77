"""A whole-number form field that gives one message for anything that is not a number.

WTForms' ``IntegerField`` says "Not a valid integer value." for "abc" and then runs the
field's range check too, so the error summary lists two messages for one field, the first
not in our words. This field says the range check's own message ("Enter a number of days
between 1 and 3650") once, or ``invalid`` when it has no range check.
"""

from __future__ import annotations

from typing import Any

from wtforms import IntegerField
from wtforms.validators import NumberRange, StopValidation


class WholeNumberField(IntegerField):
    """An ``IntegerField`` whose "not a number" message is the field's range message (or
    ``invalid``), said once: nothing else is checked after it."""

    def __init__(self, *args: Any, invalid: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ranges = [v for v in self.validators if isinstance(v, NumberRange) and v.message]
        self.invalid = invalid or (
            ranges[0].message if ranges else f"Enter {self.label.text.lower()} as a whole number"
        )

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip().replace(",", ""))
        except ValueError:
            self.data = None
            raise ValueError(self.invalid) from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
