"""The invited organisations of one consultation as a CSV: who was invited, when, when last
reminded and how far they have got. Request-free: the view passes the consultation and the
invitations page's filters and sends the text.

Cells are guarded against spreadsheet formula injection like the response exports
(``analysis.cells.safe_cell`` through :func:`consult.exports.write_csv`), headers included;
times are UK time, ISO 8601 with their offset, as there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .exports import text_value, uk_moment, write_csv
from .extensions import db
from .invitations import status_rows, with_status
from .models import Consultation, Invitation
from .organisations import Search, matching
from .reference import PARTNER_TYPE_LABELS

COLUMNS = [
    "organisation",
    "partner_type",
    "email",
    "email_bounced",
    "invited_at",
    "reminded_at",
    "reminders",
    "status",
]


def rows(
    consultation: Consultation, search: Search | None = None, status: str = ""
) -> Iterator[list[Any]]:
    """One row per invited organisation (narrowed to the invitations page's filters when
    given), in name order. ``status`` is not started, in progress (started, not submitted)
    or submitted, as on the invitations page."""
    query = with_status(status_rows(consultation), status).where(Invitation.id.is_not(None))
    if search is not None:
        query = matching(query, search)
    for organisation, invitation, state in db.session.execute(query):
        yield [
            organisation.name,
            PARTNER_TYPE_LABELS.get(organisation.partner_type, organisation.partner_type or ""),
            organisation.contact_email or "",
            "yes" if organisation.bounced else "no",
            text_value(uk_moment(invitation.sent_at)) or "",
            text_value(uk_moment(invitation.reminded_at)) or "",
            invitation.reminders or 0,
            state,
        ]


def csv_text(consultation: Consultation, search: Search | None = None, status: str = "") -> str:
    """The whole CSV (UTF-8 text starting with a byte-order mark, so Excel reads it)."""
    return "".join(write_csv(COLUMNS, rows(consultation, search, status)))


def filename(consultation: Consultation) -> str:
    """The download's name: the consultation's slug (letters, digits and hyphens)."""
    return f"{consultation.slug}-invitations.csv"


__all__ = ["COLUMNS", "csv_text", "filename", "rows"]
