"""A consultation's dashboard: responses over time, by partner type and area, invited vs
started vs submitted, and every closed question's answers; each chart has its data table."""

from __future__ import annotations

import json
from collections import Counter

from flask import render_template
from sqlalchemy import func, select

from ..extensions import db
from ..models import Answer, Consultation, Invitation, Response
from ..reference import AREA_LABELS, PARTNER_TYPE_LABELS
from ..survey.forms import question_choices
from ..times import to_uk
from . import bp
from .permissions import requires


def _chart(title: str, rows: list[tuple[str, int]]) -> dict:
    return {
        "title": title,
        "rows": rows,
        "peak": max([v for _, v in rows] or [1]) or 1,
        "total": sum(v for _, v in rows),
    }


def dashboard_data(consultation: Consultation) -> dict:
    """Counts for every chart, computed in the database where it can be."""
    submitted = (
        select(Response)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted")
        .subquery()
    )
    by_day = Counter()
    for moment in db.session.scalars(select(submitted.c.submitted_at)).all():
        if moment is not None:
            by_day[to_uk(moment).strftime("%Y-%m-%d")] += 1  # the UK day it arrived
    partner = db.session.execute(
        select(submitted.c.partner_type, func.count()).group_by(submitted.c.partner_type)
    ).all()
    area = db.session.execute(
        select(submitted.c.area, func.count()).group_by(submitted.c.area)
    ).all()
    invited = db.session.scalar(
        select(func.count(Invitation.id)).where(Invitation.consultation_id == consultation.id)
    )
    started = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.consultation_id == consultation.id, Response.invitation_id.is_not(None)
        )
    )
    submitted_invited = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.consultation_id == consultation.id,
            Response.invitation_id.is_not(None),
            Response.status == "submitted",
        )
    )
    open_link = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.consultation_id == consultation.id,
            Response.invitation_id.is_(None),
            Response.status == "submitted",
        )
    )
    closed = []
    for question in consultation.questions:
        if question.is_text:
            continue
        counts: Counter[str] = Counter()
        values = db.session.scalars(
            select(Answer.value)
            .join(submitted, Answer.response_id == submitted.c.id)
            .where(Answer.question_id == question.id)
        ).all()
        for value in values:
            if question.kind == "multiple_choice":
                try:
                    counts.update(json.loads(value or "[]"))
                except ValueError:
                    continue
            elif value:
                counts[value] += 1
        closed.append(
            _chart(
                question.text,
                [(label, counts.get(v, 0)) for v, label in question_choices(question)],
            )
        )
    return {
        "over_time": _chart("Responses submitted per day", sorted(by_day.items())),
        "partner": _chart(
            "Responses by partner type",
            sorted(
                ((PARTNER_TYPE_LABELS.get(k or "", "Not given"), v) for k, v in partner),
                key=lambda row: -row[1],
            ),
        ),
        "area": _chart(
            "Responses by area",
            sorted(
                ((AREA_LABELS.get(k or "", "Not given"), v) for k, v in area),
                key=lambda row: -row[1],
            ),
        ),
        "funnel": _chart(
            "Invited organisations: started and submitted",
            [("Invited", invited), ("Started", started), ("Submitted", submitted_invited)],
        ),
        "open_link": open_link,
        "closed": closed,
    }


@bp.get("/consultations/<int:consultation_id>/dashboard")
@requires("reports")
def dashboard(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return render_template(
        "staff/dashboard.html", consultation=consultation, data=dashboard_data(consultation)
    )
