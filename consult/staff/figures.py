"""A consultation's dashboard figures, without a request: what each chart counts and what
each share is a share *of*.

- The funnel counts invited organisations that started and submitted; its shares are of the
  organisations invited. Responses through the open link have no invitation: they are counted
  apart and never folded into those shares. Imported responses (source ``import``) have none
  either, but came from another tool, not the open link: they are counted apart again.
- Responses over time, by partner type and by area count submitted responses; shares are of
  all submitted responses.
- A closed question counts respondents choosing each answer; shares are of the respondents who
  answered it. On a multiple-choice question each respondent may tick several options, so the
  shares add up to more than 100%.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import and_, func, or_, select

from analysis.charts import bar_chart
from analysis.report import whole_percent

from ..answers import choices as question_choices
from ..extensions import db
from ..imports import SOURCE as IMPORT_SOURCE
from ..models import (
    Answer,
    Consultation,
    Invitation,
    Organisation,
    Question,
    Response,
    organisation_key,
)
from ..reference import AREA_LABELS, INDIVIDUAL, PARTNER_TYPE_LABELS
from ..times import short_date, to_uk
from ..wording import number_label, plural


@dataclass
class Chart:
    """One bar chart and its data table: rows of (label, count) and the base of the shares."""

    title: str
    rows: list[tuple[str, int]]
    base: int
    share_heading: str = "Share"
    label_heading: str = "Answer"
    count_heading: str = "Responses"
    note: str = ""
    # Each row's own base, when each row is a share of its own group (a theme's mentions among
    # each partner type's answers): then the bars are those shares, not the counts.
    row_bases: list[int] | None = None
    # The chart's visible heading, when the page gives each chart one (a closed question's
    # number and text): "" for none.
    heading: str = ""

    def share(self, value: int, index: int | None = None) -> str:
        """``value`` as a whole-number percentage of the base, or of row ``index``'s own base
        when the chart has ``row_bases`` ("–" when the base is 0)."""
        base = self.base
        if self.row_bases is not None and index is not None:
            base = self.row_bases[index]
        return whole_percent(value / base) if base else "–"

    def svg(self, chart_id: str) -> Markup:
        """The chart drawn by the analysis package's bar chart, shrinking to its container;
        with ``row_bases``, each bar is its row's share of its own base."""
        if self.row_bases is None:
            return Markup(bar_chart(self.title, self.rows, chart_id, fluid=True))
        shares = [
            (label, 100 * value / base if base else 0.0)
            for (label, value), base in zip(self.rows, self.row_bases, strict=True)
        ]
        return Markup(
            bar_chart(self.title, shares, chart_id, lambda v: whole_percent(v / 100), fluid=True)
        )


@dataclass
class Dashboard:
    """Every figure on a consultation's dashboard."""

    funnel: Chart
    open_link_started: int
    open_link_submitted: int
    # open-link responses sent under a name (ignoring case and spaces) that another response
    # or an invited organisation also has: possible duplicates (smoke12)
    open_link_shared_names: int
    imported: int  # responses imported from another tool (never through the open link)
    over_time: Chart
    partner: Chart
    area: Chart
    closed: list[Chart]


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count(Response.id)).where(*conditions)) or 0


def funnel(consultation: Consultation) -> tuple[Chart, int, int, int]:
    """Invited, started and submitted as shares of invited organisations; then how many
    responses (started, submitted) came through the open link without an invitation, and
    how many were imported from another tool (no invitation either, but no open link)."""
    invited = (
        db.session.scalar(
            select(func.count(Invitation.id)).where(Invitation.consultation_id == consultation.id)
        )
        or 0
    )
    mine = Response.consultation_id == consultation.id
    invited_response = Response.invitation_id.is_not(None)
    imported = Response.source == IMPORT_SOURCE
    open_response = and_(Response.invitation_id.is_(None), Response.source != IMPORT_SOURCE)
    submitted = Response.status == "submitted"
    chart = Chart(
        "Invited organisations: started and submitted",
        [
            ("Invited", invited),
            ("Started", _count(mine, invited_response)),
            ("Submitted", _count(mine, invited_response, submitted)),
        ],
        base=invited,
        share_heading="Share of invited",
        label_heading="Stage",
        count_heading="Organisations",
    )
    return (
        chart,
        _count(mine, open_response),
        _count(mine, open_response, submitted),
        _count(mine, imported, submitted),
    )


def open_link_shared_names(consultation: Consultation) -> int:
    """How many responses submitted through the open link carry an organisation name (compared
    ignoring case and spaces, as organisations are) that another submitted response, or an
    organisation invited to this consultation, also has: each may be a second response from
    one organisation, against the "one response per organisation" rule (smoke12).

    Only organisations' responses are compared: one answering as an individual (partner type
    ``individual``) is no organisation, so the name it may carry (often the person's own) is
    neither counted nor makes another response's the same."""
    rows = db.session.execute(
        select(
            Response.id, Response.organisation_name, Response.invitation_id, Response.source
        ).where(
            Response.consultation_id == consultation.id,
            Response.status == "submitted",
            or_(Response.partner_type.is_(None), Response.partner_type != INDIVIDUAL),
        )
    ).all()
    invited = set(
        db.session.scalars(
            select(Organisation.name_key)
            .join(Invitation, Invitation.organisation_id == Organisation.id)
            .where(Invitation.consultation_id == consultation.id)
        )
    )
    named = Counter(organisation_key(name) for _, name, _, _ in rows if organisation_key(name))
    return sum(
        1
        for _, name, invitation_id, source in rows
        if invitation_id is None
        and source != IMPORT_SOURCE
        and (key := organisation_key(name))
        and (named[key] > 1 or key in invited)
    )


def _ranked(counts: list[tuple[str | None, int]], labels: dict[str, str]) -> list[tuple[str, int]]:
    return sorted(
        ((labels.get(key or "", "Not given"), value) for key, value in counts),
        key=lambda row: (-row[1], row[0]),
    )


def chosen_values(question: Question, value: str | None) -> set[str]:
    """The answer values one respondent chose (several for a multiple-choice question)."""
    if question.kind != "multiple_choice":
        return {value} if value else set()
    try:
        loaded = json.loads(value or "[]")
    except ValueError:
        return set()
    return {str(item) for item in loaded if item} if isinstance(loaded, list) else set()


def closed_question_chart(
    question: Question, values: list[str | None], number: int | None = None
) -> Chart:
    """A closed question's chart from its submitted answer values: how many responses chose
    each answer, as shares of the responses that answered it (one word for one count, as on
    the dashboard's other charts and the reports' agreement tables: "Responses"); headed "Q4: ..."
    (``number_label``) when its number is given."""
    offered = question_choices(question)
    known = {value for value, _ in offered}
    counts: Counter[str] = Counter()
    answered = 0
    for value in values:
        chosen = chosen_values(question, value) & known
        if chosen:
            answered += 1
            counts.update(chosen)
    note = f"of {plural(answered, 'response')} that answered"
    if question.kind == "multiple_choice":
        note += "; each could choose more than one, so shares can add up to more than 100%"
    return Chart(
        question.text,
        [(label, counts.get(value, 0)) for value, label in offered],
        heading=f"{number_label(number)}: {question.text}" if number else "",
        base=answered,
        share_heading="Share of responses that answered",
        count_heading="Responses",
        note=note,
    )


def dashboard_data(consultation: Consultation) -> Dashboard:
    """Counts for every chart on the dashboard, computed in the database where it can be."""
    submitted = (
        select(Response)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted")
        .subquery()
    )
    total = db.session.scalar(select(func.count()).select_from(submitted)) or 0
    by_day: Counter[date] = Counter()
    for moment in db.session.scalars(select(submitted.c.submitted_at)).all():
        if moment is not None:
            by_day[to_uk(moment).date()] += 1  # the UK day it arrived
    partner = db.session.execute(
        select(submitted.c.partner_type, func.count()).group_by(submitted.c.partner_type)
    ).all()
    area = db.session.execute(
        select(submitted.c.area, func.count()).group_by(submitted.c.area)
    ).all()

    numbers = {q.id: n for n, q in enumerate(consultation.questions, start=1)}
    closed_questions = [q for q in consultation.questions if not q.is_text]
    values: dict[int, list[str | None]] = defaultdict(list)
    if closed_questions:
        for question_id, value in db.session.execute(
            select(Answer.question_id, Answer.value)
            .join(submitted, Answer.response_id == submitted.c.id)
            .where(Answer.question_id.in_([q.id for q in closed_questions]))
        ).all():
            values[question_id].append(value)

    share_of_submitted = "Share of submitted responses"
    funnel_chart, open_started, open_submitted, imported = funnel(consultation)
    return Dashboard(
        funnel=funnel_chart,
        open_link_started=open_started,
        open_link_submitted=open_submitted,
        open_link_shared_names=open_link_shared_names(consultation),
        imported=imported,
        over_time=Chart(
            "Responses submitted per day",
            [(short_date(day), count) for day, count in sorted(by_day.items())],
            base=total,
            share_heading=share_of_submitted,
            label_heading="Day",
        ),
        partner=Chart(
            "Responses by partner type",
            _ranked(partner, PARTNER_TYPE_LABELS),
            base=total,
            share_heading=share_of_submitted,
            label_heading="Partner type",
        ),
        area=Chart(
            "Responses by area",
            _ranked(area, AREA_LABELS),
            base=total,
            share_heading=share_of_submitted,
            label_heading="Area",
        ),
        closed=[closed_question_chart(q, values[q.id], numbers[q.id]) for q in closed_questions],
    )
