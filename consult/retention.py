"""Removing respondents' data: on request (delete or anonymise, with a reason), when a
consultation's retention period has passed, abandoned empty drafts, and old files in the
outbox that hold invitation links (``flask --app consult purge``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import audit
from .extensions import db
from .models import Consultation, Response, stored_number, utcnow
from .wording import plural

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


@dataclass
class Removal:
    """What removing a response on request takes away and what it keeps, in words for the
    page that asks first."""

    removed: list[str]
    kept: list[str]


def describe_removal(response: Response, mode: str) -> Removal:
    """Exactly what :func:`remove` with this ``mode`` would take from this response."""
    written = sum(1 for answer in response.answers if answer.question.is_text)
    closed = len(response.answers) - written
    who = [
        f"the organisation's name ({response.organisation_name})"
        if response.organisation_name and response.organisation_name != ANONYMOUS
        else None,
        f"the respondent's name ({response.respondent_name})" if response.respondent_name else None,
        f"their email address ({response.respondent_email})" if response.respondent_email else None,
        "the link to its invitation" if response.invitation_id else None,
        "the link to come back and change it" if response.resume_token_hash else None,
    ]
    if mode == "delete":
        return Removal(
            [
                "the whole response: who answered, its partner type and area, and all "
                + plural(len(response.answers), "answer"),
                *(part for part in who if part),
            ],
            [],
        )
    return Removal(
        [
            *(part for part in who if part),
            f"{plural(written, 'written answer')} (every answer typed in a text box)",
        ],
        [
            # its size only when it gave one: only a business is asked (smoke34b: a
            # university's page said it kept a "size" it never had)
            f"{plural(closed, 'closed answer')} (choices and scales), its partner type"
            f"{', size' if response.size_band else ''} and area, for the counts",
        ],
    )


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
    empty_drafts: bool = False  # abandoned empty drafts rather than responses past retention


def abandoned_drafts(days: int, now: datetime | None = None) -> list[Response]:
    """Drafts nobody has written anything into (see :meth:`Response.is_empty`) and nobody
    has touched for ``days`` days: left behind by a start and no save."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    candidates = db.session.scalars(
        select(Response)
        .where(
            Response.status == "draft",
            Response.source == "web",
            Response.updated_at < cutoff,
            Response.anonymised_at.is_(None),
        )
        .options(selectinload(Response.answers))
    ).all()
    return [response for response in candidates if response.is_empty()]


def due_for_purge(now: datetime | None = None) -> list[tuple[Consultation, list[Response]]]:
    """Responses past their consultation's retention period, counted from when it actually
    closed (:meth:`Consultation.closed_on`: Close now, or a closing date that has passed),
    not from a planned closing date it was closed before."""
    now = now or utcnow()
    found = []
    for consultation in db.session.scalars(
        select(Consultation).where(Consultation.retention_days.is_not(None))
    ).all():
        closed = consultation.closed_on(now)
        days = stored_number(consultation.retention_days, 1, 3650)
        if closed is None or days is None or closed + timedelta(days=days) > now:
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
    mode: str = "anonymise",
    dry_run: bool = False,
    now: datetime | None = None,
    empty_draft_days: int | None = None,
) -> list[PurgeResult]:
    """Delete or anonymise everything past retention, and delete abandoned empty drafts
    older than ``empty_draft_days`` (``None``: leave them); returns what was (or would be)
    done, per consultation."""
    results = []
    if empty_draft_days is not None:
        by_consultation: dict[str, list[Response]] = {}
        for response in abandoned_drafts(empty_draft_days, now):
            by_consultation.setdefault(response.consultation.slug, []).append(response)
        for slug, drafts in sorted(by_consultation.items()):
            results.append(PurgeResult(slug, len(drafts), empty_drafts=True))
            if dry_run:
                continue
            for response in drafts:
                delete(response)
            audit.record(
                "empty_drafts_deleted",
                slug,
                actor="flask purge",
                responses=len(drafts),
                older_than_days=empty_draft_days,
            )
        if not dry_run:
            db.session.flush()
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


# Files in instance/outbox that hold working links to respond (anyone holding one can read
# and change that organisation's response): each sending batch's record and its mail-merge
# CSV (consult/staff/batches.py, consult/invitations.py), a batch record being written, and,
# with no mail server, every email kept there instead of being sent (invitations, reminders,
# "email me this link").
OUTBOX_FILES = ("batch-*.json", "batch-*.part", "mail-merge-*.csv", "*.eml")


def outbox_due(outbox: Path, days: int, now: datetime | None = None) -> list[Path]:
    """The :data:`OUTBOX_FILES` in ``outbox`` last changed more than ``days`` days before
    ``now``, oldest first (none when there is no outbox)."""
    cutoff = ((now or utcnow()) - timedelta(days=days)).timestamp()
    if not outbox.is_dir():
        return []
    found: list[tuple[float, str, Path]] = []
    for path in {path for pattern in OUTBOX_FILES for path in outbox.glob(pattern)}:
        try:
            changed = path.stat().st_mtime
        except FileNotFoundError:  # removed meanwhile (a batch's .part renamed into place)
            continue
        if path.is_file() and changed < cutoff:
            found.append((changed, path.name, path))
    return [path for _, _, path in sorted(found)]


def clean_outbox(
    outbox: Path, days: int, dry_run: bool = False, now: datetime | None = None
) -> list[Path]:
    """Delete the outbox files holding links that are older than ``days`` days (see
    :func:`outbox_due`), recording how many in the audit log; returns them (with
    ``dry_run``, only says which)."""
    due = outbox_due(outbox, days, now)
    if dry_run or not due:
        return due
    for path in due:
        path.unlink(missing_ok=True)
    audit.record(
        "outbox_files_deleted",
        "instance/outbox",
        actor="flask purge",
        files=len(due),
        older_than_days=days,
    )
    db.session.commit()
    return due


__all__ = [
    "abandoned_drafts",
    "anonymise",
    "clean_outbox",
    "delete",
    "describe_removal",
    "due_for_purge",
    "outbox_due",
    "purge",
    "remove",
]
