"""Small helpers every template can call."""

from __future__ import annotations

from flask import Flask


def form_errors(form) -> list[tuple[str, str]]:
    """(field id, message) pairs for a form's error summary, in field order (no CSRF field)."""
    return [(f.id, e) for f in form if f.name != "csrf_token" for e in f.errors]


def errors_for_summary(errors: list) -> list[dict[str, str]]:
    """Error summary items: (field id, message) pairs link to a field on the same page;
    ready-made ``{"text", "href"}`` items pass through."""
    return [
        error if isinstance(error, dict) else {"text": error[1], "href": f"#{error[0]}"}
        for error in errors
    ]


def register_template_helpers(app: Flask) -> None:
    """Make the helpers available to every template."""
    from .staff.permissions import can
    from .times import uk_time

    app.jinja_env.globals["errors_for_summary"] = errors_for_summary
    app.jinja_env.globals["can"] = can
    app.jinja_env.filters["uk_time"] = uk_time
