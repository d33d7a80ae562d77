"""Which responses: the Responses page's filters (status, partner type, area, dates, text) as
plain data, their SQL conditions and a plain-English summary. The page lists, and the exports
write, exactly the responses one filter selects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, or_, select

from .models import Answer, Response
from .reference import AREA_LABELS, PARTNER_TYPE_LABELS

STATUSES = ("submitted", "draft")
# The query string's status for every response, submitted and draft alike. With no status
# the page (and so its export) shows submitted responses only: drafts are a choice.
ANY_STATUS = "any"


# The escape character for LIKE patterns built by ``contains``.
LIKE_ESCAPE = "\\"


def contains(column: ColumnElement, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, ignoring case, with ``%`` and ``_`` read as the
    characters typed rather than as SQL wildcards (smoke26p: a search for "%" matched every
    response, and so did its export)."""
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return column.ilike(f"%{escaped}%", escape=LIKE_ESCAPE)


def _day(raw: str | None) -> date | None:
    """A date from the query string; ``None`` when it is missing or not a date."""
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.strip()).date()
    except ValueError:
        return None


def listed_time() -> ColumnElement[datetime]:
    """When a response was submitted, or a draft last saved: what the dates filter on and
    the Responses page's order (newest first) goes by."""
    return func.coalesce(Response.submitted_at, Response.updated_at)


@dataclass(frozen=True)
class ResponseFilter:
    """The filters chosen on the Responses page; empty fields select everything."""

    status: str = ""
    partner_type: str = ""
    area: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ResponseFilter:
        """The filters in a query string (``status, partner_type, area, from, to, q``); a
        date that is not a date is left out, and so is a partner type or area the service
        does not know (:func:`unknown_filters` says which, for the page to say so). With no
        status, or an unknown one, submitted responses only; ``status=any`` for submitted
        and draft alike."""
        status = args.get("status") or ""
        if status not in (*STATUSES, ANY_STATUS):
            status = "submitted"
        partner_type = (args.get("partner_type") or "").strip()
        area = (args.get("area") or "").strip()
        return cls(
            status="" if status == ANY_STATUS else status,
            partner_type=partner_type if partner_type in PARTNER_TYPE_LABELS else "",
            area=area if area in AREA_LABELS else "",
            date_from=_day(args.get("from")),
            date_to=_day(args.get("to")),
            text=(args.get("q") or "")[:200].strip(),
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links that keep them."""
        values = {
            "status": self.status or ANY_STATUS,
            "partner_type": self.partner_type,
            "area": self.area,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.text,
        }
        return {key: value for key, value in values.items() if value}

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions on ``Response`` (add the consultation's own)."""
        found: list[ColumnElement[bool]] = []
        if self.status:
            found.append(Response.status == self.status)
        if self.partner_type:
            found.append(Response.partner_type == self.partner_type)
        if self.area:
            found.append(Response.area == self.area)
        when = listed_time()
        if self.date_from:
            found.append(when >= datetime.combine(self.date_from, time()))
        if self.date_to and self.date_to < date.max:  # "to 31 December 9999" bounds nothing
            found.append(when < datetime.combine(self.date_to + timedelta(days=1), time()))
        if self.text:
            matching = select(Answer.response_id).where(contains(Answer.value, self.text))
            found.append(
                or_(
                    Response.id.in_(matching),
                    contains(Response.organisation_name, self.text),
                    contains(Response.reference, self.text),
                )
            )
        return found

    def date_problems(self, args: Mapping[str, str]) -> list[str]:
        """Why the dates asked for in ``args`` filter nothing, or match nothing: a date that
        is not one (dropped), or a From date after the To date."""
        problems = []
        for name, day in (("From", self.date_from), ("To", self.date_to)):
            raw = (args.get(name.lower()) or "").strip()
            if raw and day is None:
                problems.append(f"The {name} date ‘{raw[:40]}’ is not a date, so it was not used.")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            problems.append(
                f"The From date ({self.date_from:%-d %B %Y}) is after the To date "
                f"({self.date_to:%-d %B %Y}), so no response can match: swap them."
            )
        return problems

    def describe(self) -> list[str]:
        """Each filter in plain English ("submitted only", "area: Coventry"), the status
        always first ("submitted and draft" when it is not filtered)."""
        found = [f"{self.status} only" if self.status else "submitted and draft"]
        if self.partner_type:
            found.append(
                "partner type: " + PARTNER_TYPE_LABELS.get(self.partner_type, self.partner_type)
            )
        if self.area:
            found.append("area: " + AREA_LABELS.get(self.area, self.area))
        if self.date_from:
            found.append(f"from {self.date_from:%-d %B %Y}")
        if self.date_to:
            found.append(f"to {self.date_to:%-d %B %Y}")
        if self.text:
            found.append(f"containing “{self.text}”")
        return found


SUBMITTED = ResponseFilter(status="submitted")

# The chosen-from-a-list filters of staff pages: query-string name, what the page calls it,
# and the values the service knows. A value outside these is never a filter matching nothing.
CHOSEN_FILTERS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("status", "status", frozenset((*STATUSES, ANY_STATUS))),
    ("partner_type", "partner type", frozenset(PARTNER_TYPE_LABELS)),
    ("area", "area", frozenset(AREA_LABELS)),
)
# How much of an unknown value a page quotes back.
QUOTED = 40


def unknown_filters(
    args: Mapping[str, str],
    chosen: tuple[tuple[str, str, frozenset[str]], ...] = CHOSEN_FILTERS,
) -> list[tuple[str, str]]:
    """(field id, message) for each filter in ``args`` whose value the service does not know
    (``?partner_type=nonsense``, a link typed or cut short), in the form's order: what an
    error summary lists. An empty value is no filter, not an unknown one."""
    problems = []
    for name, called, known in chosen:
        raw = (args.get(name) or "").strip()
        if raw and raw not in known:
            problems.append(
                (
                    name,
                    f"The {called} ‘{raw[:QUOTED]}’ is not one this service knows, so it was "
                    "not used: choose one from the list",
                )
            )
    return problems
