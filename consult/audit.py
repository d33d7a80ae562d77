"""The audit log: append-only records of sign-ins, builder changes, exports, deletions,
imports and role changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event

from .extensions import db
from .models import AuditEvent
from .reference import AREA_LABELS, PARTNER_TYPE_LABELS, SIZE_BAND_LABELS


@dataclass(frozen=True)
class Actor:
    """Who did something, as plain data (usable after the request has finished)."""

    user_id: int | None
    name: str
    address: str


# The address recorded for events outside a request: "cli" unless a job worker says
# otherwise (see :func:`outside_requests_as`).
_OUTSIDE_ADDRESS: ContextVar[str] = ContextVar("audit_outside_address", default="cli")


@contextmanager
def outside_requests_as(address: str) -> Iterator[None]:
    """Record events made outside a request under ``address`` (the job worker uses
    "worker", so an event it logs is not shown as typed at the command line)."""
    token = _OUTSIDE_ADDRESS.set(address)
    try:
        yield
    finally:
        _OUTSIDE_ADDRESS.reset(token)


def current_actor(actor: str | None = None) -> Actor:
    """The signed-in user and address of this request (outside a request, "cli" or what
    :func:`outside_requests_as` set, e.g. "worker")."""
    user = current_user if has_request_context() else None
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    return Actor(
        user_id=user.id if signed_in else None,
        name=actor if actor is not None else (user.email if signed_in else ""),
        address=(request.remote_addr or "") if has_request_context() else _OUTSIDE_ADDRESS.get(),
    )


def entry(action: str, target: str, who: Actor, **detail: Any) -> AuditEvent:
    """An audit event, not yet added to any session (over-long text cut to its column)."""
    return AuditEvent(
        user_id=who.user_id,
        actor=(who.name or "")[:320],
        action=action,
        target=(target or "")[:200],
        detail=json.dumps(detail, sort_keys=True, default=str) if detail else "",
        address=who.address,
    )


def record(action: str, target: str = "", actor: str | None = None, **detail: Any) -> None:
    """Add an audit event to the session (committed with the change it describes)."""
    db.session.add(entry(action, target, current_actor(actor), **detail))


DETAIL_LABELS = {
    "count": "Number",
    "rows": "Rows",
    "problems": "Problems found",
    "file": "File",
    "format": "Format",
    "locked": "Responses had arrived",
    "old": "Before",
    "new": "After",
    "question": "Question id",  # builder events before December 2026 kept the database id
    "direction": "Moved",
    "status": "New status",
    "text": "Question",
    "title": "Section",
    "reason": "Reason",
    "consultation": "Consultation",
    "responses": "Responses",
    "role": "Role",
    "invitations": "Invitations",
    "partner_type": "Partner type",
    "size_band": "Business size",
    "contact_email": "Contact email",
    "n_themes": "Themes asked for",
    "segments": "Broken down by",
    "side_margin": "Side margin",
    "filters": "Filters",
}

# Labels inside a detail's nested object (an export's "filters"), where "status" is the
# responses' status chosen, not a consultation's new status.
NESTED_LABELS = {"status": "Status", "q": "Search", "from": "From", "to": "To", "area": "Area"}


def _filter_value(key: str, value: Any) -> str:
    """One of an export's filters as the Responses page words it: a partner type, area or
    business size by its name ("Dudley", not the stored "dudley"; smoke34), a date as
    "7 December 2026". A value the lists do not know (an older code) is shown as stored."""
    names = {
        "partner_type": PARTNER_TYPE_LABELS,
        "area": AREA_LABELS,
        "size_band": SIZE_BAND_LABELS,
    }
    if key in names and isinstance(value, str) and value:
        return names[key].get(value, value)
    if key in ("from", "to") and isinstance(value, str) and value:
        try:
            return f"{date.fromisoformat(value):%-d %B %Y}"
        except ValueError:
            return value
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return "none"
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value) or "none"
    if isinstance(value, dict):
        return "; ".join(
            f"{NESTED_LABELS.get(key) or _label(key)}: {_filter_value(key, item)}"
            for key, item in value.items()
        )
    return str(value)


def _label(key: str) -> str:
    return DETAIL_LABELS.get(key, key.replace("_", " ").capitalize())


def _side_margin(value: Any) -> str:
    """A run's side margin as Run details and the runs list say it: "0.2", or "off" (None),
    not "none"."""
    from .reports.runs import side_margin_words  # imported late, as SEGMENTS: no cycle

    return side_margin_words({"side_margin": value})


def _segment_names(value: Any) -> str:
    """An analysis's segments by their report names: "partner_type" as "Partner type"."""
    from .reports.runs import SEGMENTS  # the names reports use (imported late: no cycle)

    names = value if isinstance(value, list) else [value]
    return _plain([SEGMENTS.get(str(name), (str(name),))[0] for name in names])


def _question(loaded: dict[str, Any], action: str) -> tuple[str, str] | None:
    """The question an event is about as one (label, value) pair: "Question 2" and its
    wording. Analysis events keep the question's number; builder events its number and
    wording. Older builder events kept a database id, shown as "Question id"."""
    number = loaded.pop("question_number", None)
    if number is None and action == "analysis_started" and "question" in loaded:
        number = loaded.pop("question")  # always the question's number for this action
    text = loaded.pop("text", None)
    if number is None:
        return ("Question", _plain(text)) if text is not None else None
    return (f"Question {number}", _plain(text)) if text is not None else ("", f"Question {number}")


def readable(detail: str, action: str = "") -> list[tuple[str, str]]:
    """An event's stored detail as (label, value) pairs in plain words, e.g. ``{"count": 3,
    "locked": true}`` as [("Number", "3"), ("Responses had arrived", "yes")]. The question an
    event is about comes first, as "Question 2" with its wording when kept (a pair whose
    label is empty is shown as its value alone); segments show by name. Detail that is not
    a JSON object is shown as it is, under "Detail"."""
    if not detail:
        return []
    try:
        loaded = json.loads(detail)
    except ValueError:
        return [("Detail", detail)]
    if not isinstance(loaded, dict):
        return [("Detail", _plain(loaded))]
    question = _question(loaded, action)
    pairs = [question] if question is not None else []
    for key, value in loaded.items():
        if key == "segments":
            shown = _segment_names(value)
        elif key == "side_margin":
            shown = _side_margin(value)
        else:
            shown = _plain(value)
        pairs.append((_label(key), shown))
    return pairs


def action_label(action: str) -> str:
    """An action name in words: "role_changed" as "Role changed"."""
    return action.replace("_", " ").capitalize()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _append_only(mapper, connection, target) -> None:  # pragma: no cover - a guard
    raise PermissionError("the audit log is append-only")
