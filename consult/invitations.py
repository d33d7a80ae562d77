"""Organisations and invitations: add them from a CSV, issue links, send or write them to the
outbox, remind, and report each organisation's status."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import Select, case, func, select

from analysis.errors import InputError
from analysis.io import read_bytes

from . import audit, wording
from .exports import safe_cell
from .extensions import db
from .mail import CONTROL, DELIVERY_ERRORS, Postbox, compose, failure_words, hard_bounce
from .models import (
    Consultation,
    Invitation,
    Organisation,
    Response,
    as_utc,
    organisation_key,
    utcnow,
)
from .organisations import Search, matching
from .reference import AREA_LOOKUP, PARTNER_LOOKUP, SIZE_LOOKUP
from .times import uk_time
from .tokens import hash_token, new_token

REQUIRED_COLUMNS = ("name", "partner_type", "area", "contact_email")
NAME_LIMIT = 200  # Organisation.name
EMAIL_LIMIT = 320  # Organisation.contact_email
# The names write_mail_merge gives its files; the outbox serves nothing else.
MAIL_MERGE_NAME = re.compile(r"mail-merge-[0-9]{8}T[0-9]{12}\.csv")


@dataclass
class OrganisationImport:
    """The outcome of checking an organisations CSV: rows to add or the problems found."""

    organisations: list[Organisation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def short(value: str, limit: int = 60) -> str:
    """A cell quoted in a problem: at most ``limit`` characters, on one line."""
    value = " ".join(CONTROL.sub(" ", value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parse_organisations(data: bytes, filename: str = "organisations.csv") -> OrganisationImport:
    """Check every row of a CSV or XLSX (name, partner_type, area, contact_email[, size_band]);
    nothing is added unless every row is valid. Files are read by :mod:`analysis.io`, the
    project's one reader of uploaded tables."""
    result = OrganisationImport()
    try:
        table = read_bytes(data, filename)
    except InputError as error:
        result.problems.append(f"The file cannot be read: {error}.")
        return result
    columns = [c.strip().lower() for c in table.columns]
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        result.problems.append(
            f"The file has more than one column named: {', '.join(twice)}. Keep one of each."
        )
        return result
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        result.problems.append(f"The file has no column named: {', '.join(missing)}.")
        return result
    existing = set(db.session.scalars(select(Organisation.name_key)).all())
    seen: set[str] = set()
    for index, raw in enumerate(table.rows):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        problems = []
        name = row.get("name", "")
        partner = PARTNER_LOOKUP.get(row.get("partner_type", "").lower())
        area = AREA_LOOKUP.get(row.get("area", "").lower())
        email = row.get("contact_email", "")
        size = SIZE_LOOKUP.get(row.get("size_band", "").lower()) if row.get("size_band") else None
        if not name:
            problems.append("no name")
        elif organisation_key(name) in seen:
            problems.append(f"'{short(name)}' appears twice in the file")
        elif organisation_key(name) in existing:
            problems.append(f"'{short(name)}' is already in the list of organisations")
        if partner is None:
            problems.append(f"unknown partner type '{short(row.get('partner_type', ''))}'")
        if area is None:
            problems.append(f"unknown area '{short(row.get('area', ''))}'")
        if len(name) > NAME_LIMIT:
            problems.append(f"the name is longer than {NAME_LIMIT} characters")
        if len(email) > EMAIL_LIMIT:
            problems.append(f"the email address is longer than {EMAIL_LIMIT} characters")
        elif email and ("@" not in email or " " in email or CONTROL.search(email)):
            problems.append(f"'{short(email)}' is not an email address")
        if row.get("size_band") and size is None:
            problems.append(f"unknown business size '{short(row.get('size_band', ''))}'")
        if problems:
            place = table.place(index)  # as the command line says it (analysis.io)
            result.problems.append(f"{place[:1].upper()}{place[1:]}: " + "; ".join(problems) + ".")
            continue
        seen.add(organisation_key(name))
        result.organisations.append(
            Organisation(
                name=name,
                partner_type=partner,
                area=area,
                contact_email=email or None,
                size_band=size,
            )
        )
    if not result.organisations and not result.problems:
        result.problems.append("The file has no rows.")
    return result


def status_of(invitation: Invitation | None) -> str:
    """not invited, not started, in progress or submitted."""
    if invitation is None:
        return "not invited"
    response = db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    if response is None:
        return "not started"
    return "submitted" if response.status == "submitted" else "in progress"


STATUSES = ("not invited", "not started", "in progress", "submitted")


def status_rows(consultation: Consultation) -> Select:
    """One query for every organisation's invitation to this consultation and its status:
    rows of (Organisation, Invitation or None, status), in name order. Filter it with
    ``.where()`` on Organisation columns or on :func:`status_expression`."""
    return (
        select(Organisation, Invitation, status_expression().label("status"))
        .outerjoin(
            Invitation,
            (Invitation.organisation_id == Organisation.id)
            & (Invitation.consultation_id == consultation.id),
        )
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .order_by(Organisation.name, Organisation.id)
    )


def status_expression():
    """The status as SQL, for a query joining Organisation, Invitation and Response."""
    return case(
        (Invitation.id.is_(None), "not invited"),
        (Response.id.is_(None), "not started"),
        (Response.status == "submitted", "submitted"),
        else_="in progress",
    )


def status_counts(consultation: Consultation) -> dict[str, int]:
    """How many organisations have each status, in one query."""
    rows = status_rows(consultation).subquery()
    counts = dict(
        db.session.execute(select(rows.c.status, func.count()).group_by(rows.c.status)).all()
    )
    return {status: counts.get(status, 0) for status in STATUSES}


def sending_refusal(consultation: Consultation) -> str | None:
    """Why invitations and reminders cannot go out now (their links would lead partners to a
    page that turns them away), or None. An open consultation whose opening date is still
    to come (scheduled) may be invited to: its email and its link say when it opens. One
    without a privacy notice is not: its emails link to it (smoke9 #21)."""
    if not consultation.allow_invitations:
        return (
            "Invited organisations cannot respond to this consultation: turn on 'Invited "
            "organisations can respond' in its details before sending invitations or reminders."
        )
    if consultation.status == "draft":
        return (
            "This consultation is a draft: an invitation sent now would tell partners it is not "
            "taking responses. Open it first, or schedule it to open later."
        )
    if consultation.availability() == "closed":
        return (
            "This consultation has closed: invitations and reminders would lead to a closed page."
        )
    if not (consultation.privacy_notice or "").strip():
        return (
            "This consultation has no privacy notice, and every invitation links to it: write "
            "its privacy notice in Edit details before sending invitations or reminders."
        )
    return None


def reminder_refusal(consultation: Consultation, now: datetime | None = None) -> str | None:
    """Why reminders cannot go out now, or None: everything :func:`sending_refusal` refuses,
    and a scheduled consultation. Before it opens nobody can have responded, so a reminder
    ("we have not yet received your organisation's response") would read oddly; invitations
    may still go."""
    refusal = sending_refusal(consultation)
    if refusal:
        return refusal
    if consultation.stage(now) == "scheduled":
        return (
            "Reminders can be sent once the consultation opens, on "
            f"{uk_time(consultation.opens_at)} (UK time): until then nobody can have "
            "responded. You can still send invitations."
        )
    return None


# The invitations page's status filter: each status, and "not submitted" (invited, and
# not started or in progress: the organisations a reminder goes to).
NOT_SUBMITTED = "not submitted"
FILTER_STATUSES = (*STATUSES, NOT_SUBMITTED)


def with_status(query: Select, status: str) -> Select:
    """``query`` (from :func:`status_rows`) narrowed to one of :data:`FILTER_STATUSES`
    (unchanged for any other value)."""
    if status == NOT_SUBMITTED:
        return query.where(Invitation.id.is_not(None), status_expression() != "submitted")
    if status in STATUSES:
        return query.where(status_expression() == status)
    return query


def reminder_recipients(
    consultation: Consultation, search: Search | None = None, status: str = ""
) -> list[Organisation]:
    """Invited organisations that have not submitted and whose address has not bounced,
    narrowed to the invitations page's filters when given."""
    query = with_status(status_rows(consultation), status)
    if search is not None:
        query = matching(query, search)
    return list(
        db.session.scalars(
            query.with_only_columns(Organisation).where(
                Invitation.id.is_not(None),
                status_expression() != "submitted",
                Organisation.bounced.is_(False),
            )
        ).all()
    )


def uninvited_matching(
    consultation: Consultation, search: Search | None = None, status: str = ""
) -> list[Organisation]:
    """Organisations not yet invited to ``consultation``, narrowed to the invitations page's
    filters when given: who "Invite all" invites, in name order."""
    query = with_status(status_rows(consultation), status)
    if search is not None:
        query = matching(query, search)
    return list(
        db.session.scalars(
            query.with_only_columns(Organisation).where(Invitation.id.is_(None))
        ).all()
    )


def already_submitted(
    consultation: Consultation, organisations: list[Organisation]
) -> list[Organisation]:
    """Those of ``organisations`` whose response to ``consultation`` is submitted, in name
    order: an invitation would send a new link to an organisation that has answered."""
    ids = [organisation.id for organisation in organisations]
    if not ids:
        return []
    query = status_rows(consultation).with_only_columns(Organisation)
    return list(
        db.session.scalars(
            query.where(Organisation.id.in_(ids), status_expression() == "submitted")
        ).all()
    )


def submitted_refusal(submitted: list[Organisation], shown: int = 5, unticked: bool = False) -> str:
    """Why ticked organisations that have already submitted are not invited again, naming
    the first ``shown`` of them; ``unticked``: the page they go back to has them unticked
    and the others still ticked."""
    names = [organisation.name for organisation in submitted[:shown]]
    if len(submitted) > shown:
        names.append(f"{len(submitted) - shown} more")
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    if len(submitted) == 1:
        return f"{listed} has already submitted its response, so it cannot be invited again. " + (
            "It is unticked: send the invitations again."
            if unticked
            else "Untick it and send the invitations again."
        )
    return f"{listed} have already submitted their responses, so they cannot be invited again. " + (
        "They are unticked: send the invitations again."
        if unticked
        else "Untick them and send the invitations again."
    )


def preview_message(consultation: Consultation, reminder: bool = True) -> tuple[str, str]:
    """The subject and body an organisation would get, with placeholders for its name and
    link, for the page that asks before sending: a reminder as to an organisation invited
    before, an invitation as to one invited for the first time (without "You can use this
    link or the one we sent before")."""
    example = Organisation(name="[organisation name]")
    link = "[their own link to respond]"
    earlier = "not started" if reminder else "not invited"
    return _message(consultation, example, link, reminder, earlier)


def invitation_link(token: str) -> str:
    return url_for("survey.invitation", token=token, _external=True)


DRAFT_IN_PROGRESS = (
    "Your organisation has already started a response. It is saved as a draft: this link "
    "opens it, so you can carry on where you left off.\n\n"
)


def _message(
    consultation: Consultation,
    organisation: Organisation,
    link: str,
    reminder: bool,
    earlier: str = "not invited",
) -> tuple[str, str]:
    """The invitation (or reminder) email's subject and body, worded from the consultation's
    settings: its message, closing date in UK time, privacy notice link and signature.
    ``earlier`` is the invitation's status before this email (see :func:`status_of`): a
    draft in progress is mentioned, and a link sent before is said to still work."""
    closing = (
        f"The consultation closes on {uk_time(consultation.closes_at)} (UK time).\n\n"
        if consultation.closes_at
        else ""
    )
    if consultation.stage() == "scheduled":
        closing = (
            f"The consultation opens on {uk_time(consultation.opens_at)} (UK time): the link "
            "will work from then.\n\n" + closing
        )
    subject = ("Reminder: " if reminder else "") + f"Your views: {consultation.title}"
    opening = (
        "This is a reminder: we have not yet received your organisation's response.\n\n"
        if reminder
        else ""
    ) + (DRAFT_IN_PROGRESS if earlier == "in progress" else "")
    body = (
        f"Dear colleague at {organisation.name},\n\n"
        f"{opening}{wording.invitation_message(consultation)}\n\n"
        f"Respond here (colleagues can use the same link and share one response):\n{link}\n\n"
        f"{closing}"
        + (
            "You can use this link or the one we sent before.\n\n"
            if reminder or earlier != "not invited"
            else ""
        )
        + f"How we use your information: {wording.privacy_url(consultation)}\n\n"
        f"{wording.signature(consultation)}\n"
    )
    return subject, body


@dataclass
class IssuedLink:
    """One organisation's new link and what happened to its email."""

    organisation: str
    email: str
    link: str
    delivered: str  # "sent", "outbox", "no email" or "not sent"
    problem: str = ""  # why it was not sent, in words (mail.failure_words)
    bounced: bool = False  # the server refused the address for good: now marked bounced


def _new_links(
    consultation: Consultation, organisations: list[Organisation], reminder: bool
) -> list[tuple[Organisation, str, str]]:
    """Issue (or re-issue) each organisation's token, with its invitation's status before
    (:func:`status_of`); nothing is committed here."""
    links = []
    # With no closing date a link lasts 90 days from when it can first be used: now, or
    # the opening date of a scheduled consultation.
    start = max(utcnow(), as_utc(consultation.opens_at) or utcnow())
    expires = consultation.closes_at or start + timedelta(days=90)
    for organisation in organisations:
        invitation = db.session.scalar(
            select(Invitation).where(
                Invitation.consultation_id == consultation.id,
                Invitation.organisation_id == organisation.id,
            )
        )
        earlier = status_of(invitation)
        token = new_token()
        if invitation is None:
            invitation = Invitation(
                consultation=consultation,
                organisation=organisation,
                token_hash=hash_token(token),
                expires_at=expires,
            )
            db.session.add(invitation)
        else:
            invitation.previous_token_hash = invitation.token_hash
            invitation.token_hash = hash_token(token)
            invitation.expires_at = max(as_utc(invitation.expires_at), as_utc(expires))
        now = utcnow()
        if reminder:
            invitation.reminded_at = now
            invitation.reminders = (invitation.reminders or 0) + 1
        else:
            invitation.sent_at = now
        links.append((organisation, invitation_link(token), earlier))
    return links


def issue(
    consultation: Consultation, organisations: list[Organisation], reminder: bool = False
) -> list[IssuedLink]:
    """New invitation links (or reminder links) for these organisations; returns every link
    for mail merge, with what happened to its email.

    Every token is committed before the first email goes, so no one is ever mailed a link
    that does not work. Emails then go over one SMTP connection (or to instance/outbox); a
    failure is recorded against that organisation ("not sent") and the rest still go.
    """
    links = _new_links(consultation, organisations, reminder)
    db.session.commit()
    sender = wording.sender(consultation)
    reply_to = consultation.contact_email.strip() or None
    issued = []
    with Postbox() as postbox:
        for organisation, link, earlier in links:
            item = IssuedLink(organisation.name, organisation.contact_email or "", link, "no email")
            if organisation.contact_email and not organisation.bounced:
                subject, body = _message(consultation, organisation, link, reminder, earlier)
                message = compose(organisation.contact_email, subject, body, sender, reply_to)
                try:
                    item.delivered = "outbox" if postbox.deliver(message) else "sent"
                except DELIVERY_ERRORS as error:
                    item.delivered = "not sent"
                    item.problem = failure_words(error)
                    if hard_bounce(error):
                        # Remembered as Organisations' "Mark bounced" would: flagged on the
                        # invitations list and left out of reminders, which would only be
                        # refused again (smoke28); a corrected address clears it.
                        organisation.bounced = item.bounced = True
                        audit.record("email_bounced", organisation.name, reason=item.problem)
            issued.append(item)
    if any(item.bounced for item in issued):
        db.session.commit()
    return issued


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def issued_heading(delivered: list[str], reminder: bool = False) -> str:
    """The heading of the page after Send, saying what happened as the banner does:
    "Invitations emailed" only when every email went, else "Invitation links created"."""
    kind = "Reminder" if reminder else "Invitation"
    if delivered and all(way == "sent" for way in delivered):
        return f"{kind}s emailed"
    return f"{kind} links created"


def delivered_summary(delivered: list[str], reminder: bool = False) -> str:
    """What one Send did, from each link's ``IssuedLink.delivered`` (as a sending batch's
    record keeps them), saying only what happened: "2 invitations emailed." when every
    email went; else the links made and why those not emailed were not ("2 invitation links
    created; not emailed: no mail server is set up")."""
    kind = "reminder" if reminder else "invitation"
    total = len(delivered)
    counts = {way: sum(item == way for item in delivered) for way in DELIVERED_WHY}
    emailed = sum(item == "sent" for item in delivered)
    if emailed == total:
        return f"{_count(total, kind)} emailed."
    parts = [f"{_count(total, kind + ' link')} created"]
    if emailed:
        parts.append(f"{emailed} emailed")
    for way, why in DELIVERED_WHY.items():
        if counts[way]:
            many = "" if counts[way] == total else f" ({counts[way]})"
            parts.append(f"not emailed{many}: {why}")
    return "; ".join(parts) + "."


# Why a link's email was not sent, by its IssuedLink.delivered.
DELIVERED_WHY = {
    "outbox": "no mail server is set up",
    "no email": "no email address",
    "not sent": "the email could not be sent (see below)",
}


def write_mail_merge(issued: list[IssuedLink]) -> Path:
    """A CSV of links for mail merge in instance/outbox; returns its path."""
    outbox = Path(current_app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"mail-merge-{utcnow():%Y%m%dT%H%M%S%f}.csv"  # see MAIL_MERGE_NAME
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["organisation", "email", "link", "delivered", "problem"])
        for item in issued:
            values = (item.organisation, item.email, item.link, item.delivered, item.problem)
            writer.writerow([safe_cell(v) for v in values])
    return path
