"""The dashboard's counts as they change (collect29 #5): how many responses have been sent
and how many started but not sent, said in a sentence with the time, and what changed since
the page was drawn. Request-free: the dashboard draws the first sentence, and its small
script asks ``/dashboard/counts`` for the latest every so often (see dashboard-live.mjs).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Consultation, Response
from ..times import uk_time
from ..wording import plural


@dataclass(frozen=True)
class Counts:
    """A consultation's responses now: sent, and started but not sent (all routes in)."""

    submitted: int
    drafts: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def current(consultation: Consultation) -> Counts:
    """The consultation's responses counted now, in one query."""
    sent = func.sum(case((Response.status == "submitted", 1), else_=0))
    started = func.sum(case((Response.status == "draft", 1), else_=0))
    row = db.session.execute(
        select(sent, started).where(Response.consultation_id == consultation.id)
    ).one()
    return Counts(submitted=int(row[0] or 0), drafts=int(row[1] or 0))


def summary(counts: Counts, at: datetime) -> str:
    """``12 responses sent and 3 started but not sent, at 10:42am.``"""
    return (
        f"{plural(counts.submitted, 'response')} sent and {counts.drafts:,} started but not "
        f"sent, at {uk_time(at, 'time')}."
    )


def change(before: Counts, now: Counts) -> str:
    """What changed since the page showed ``before``: empty when nothing did. Said once in
    the page's polite live region, so it names what is new and where to see it."""
    if now == before:
        return ""
    parts = []
    new_sent = now.submitted - before.submitted
    if new_sent > 0:
        parts.append(f"{plural(new_sent, 'new response')} sent since this page was loaded")
    elif new_sent < 0:
        parts.append(f"{plural(-new_sent, 'response')} fewer sent (removed by staff)")
    if now.drafts != before.drafts:
        parts.append(f"{now.drafts:,} started but not sent (was {before.drafts:,})")
    return "; ".join(parts) + ". Reload the page to see it in the charts below."
