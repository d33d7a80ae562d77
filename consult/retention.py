"""Removing respondents' data: on request (delete or anonymise, with a reason) and when a
consultation's retention period has passed (``flask --app consult purge``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from . import audit
from .extensions import db
from .models import Consultation, Response, as_utc, utcnow

ANONYMOUS = "[removed]"


def anonymise(response: Response) -> None:
    """Keep the closed answers and partner type for counts; remove who answered and every
    free-text answer."""
    response.organisation_name = ANONYMOUS
    response.respondent_name = None
    response.respondent_email = None
    response.resume_token_hash = None
    response.invitation_id = None
    response.anonymised_at = utcnow()
    for answer in list(response.answers):
        if answer.question.is_text:
            db.session.delete(answer)


def delete(response: Response) -> None:
    """Remove the response and all its answers."""
    db.session.delete(response)


def remove(response: Response, mode: str, reason: str, actor: str | None = None) -> None:
    """Delete or anonymise one response on request, recording the reason in the audit log."""
    if mode not in ("delete", "anonymise"):
        raise ValueError("mode must be delete or anonymise")
    audit.record(
        f"response_{'deleted' if mode == 'delete' else 'anonymised'}",
        response.reference,
        actor=actor,
        reason=reason,
        consultation=response.consultation.slug,
    )
    (delete if mode == "delete" else anonymise)(response)


@dataclass
class PurgeResult:
    consultation: str
    responses: int


def due_for_purge(now: datetime | None = None) -> list[tuple[Consultation, list[Response]]]:
    """Responses past their consultation's retention period (counted from closing)."""
    now = now or utcnow()
    found = []
    for consultation in db.session.scalars(
        select(Consultation).where(Consultation.retention_days.is_not(None))
    ).all():
        closed = as_utc(consultation.closes_at)
        if closed is None or closed + timedelta(days=consultation.retention_days) > now:
            continue
        responses = db.session.scalars(
            select(Response).where(
                Response.consultation_id == consultation.id, Response.anonymised_at.is_(None)
            )
        ).all()
        if responses:
            found.append((consultation, list(responses)))
    return found


def purge(
    mode: str = "anonymise", dry_run: bool = False, now: datetime | None = None
) -> list[PurgeResult]:
    """Delete or anonymise everything past retention; returns what was (or would be) done."""
    results = []
    for consultation, responses in due_for_purge(now):
        results.append(PurgeResult(consultation.slug, len(responses)))
        if dry_run:
            continue
        for response in responses:
            (delete if mode == "delete" else anonymise)(response)
        audit.record(
            f"retention_purge_{mode}",
            consultation.slug,
            actor="flask purge",
            responses=len(responses),
        )
    if not dry_run:
        db.session.commit()
    return results


__all__ = ["anonymise", "delete", "due_for_purge", "purge", "remove"]
