"""Turn the staff forms' WTForms fields into GOV.UK Frontend macro parameters.

Staff templates draw every field with govuk-frontend-jinja's components, as the survey does
(``consult/survey/fields.py``): ``{{ govukInput(field_params(form.title)) }}``,
``govukTextarea``, ``govukSelect`` or ``govukCheckboxes`` to match the field.
"""

from __future__ import annotations

from typing import Any

from wtforms import Field

# WTForms field types drawn as a GOV.UK input, and the input type each gets.
INPUT_TYPES = {
    "StringField": "text",
    "EmailField": "email",
    "PasswordField": "password",
    "IntegerField": "text",
    "WholeNumberField": "text",
    "DateTimeLocalField": "datetime-local",
}


def _error(field: Field) -> dict[str, str] | None:
    return {"text": field.errors[0]} if field.errors else None


def _hint(hint: str | None) -> dict[str, str] | None:
    return {"text": hint} if hint else None


def field_params(
    field: Field, hint: str | None = None, label_classes: str = "govuk-label--s", **extra: Any
) -> dict[str, Any]:
    """Parameters for the GOV.UK macro that draws this field, keeping its value and error.

    Text, email, password, number and date-time fields suit ``govukInput``; text areas
    ``govukTextarea``; select fields ``govukSelect``; a boolean field ``govukCheckboxes`` (one
    small checkbox). ``extra`` adds or overrides parameters, e.g. ``rows=6`` or
    ``autocomplete="username"``.
    """
    kind = type(field).__name__
    if kind == "BooleanField":
        params: dict[str, Any] = {
            "name": field.name,
            "idPrefix": field.id,
            "classes": "govuk-checkboxes--small",
            "errorMessage": _error(field),
            "items": [
                {
                    "value": "y",
                    "text": field.label.text,
                    "id": field.id,
                    "checked": bool(field.data),
                }
            ],
        }
        if hint:
            params["hint"] = _hint(hint)
        return {**params, **extra}
    params = {
        "name": field.name,
        "id": field.id,
        "label": {"text": field.label.text, "classes": label_classes},
        "hint": _hint(hint),
        "errorMessage": _error(field),
    }
    if kind == "SelectField":
        chosen = "" if field.data is None else str(field.data)
        params["items"] = [
            {"value": value, "text": label, "selected": str(value) == chosen}
            for value, label in field.choices
        ]
    elif kind == "TextAreaField":
        params["value"] = field._value()
    else:
        params["type"] = INPUT_TYPES.get(kind, "text")
        params["value"] = "" if kind == "PasswordField" else field._value()
        if kind in {"IntegerField", "WholeNumberField"}:
            params.update({"inputmode": "numeric", "classes": "govuk-input--width-5"})
        if kind == "EmailField":
            params.update({"spellcheck": False, "autocomplete": "email"})
    return {**params, **extra}
