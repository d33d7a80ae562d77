"""The list of partner organisations, without a request: find them by name or email, partner
type and area; add, change and delete one. Deleting never loses a response: an organisation
that has any response through its invitations (sent or still a draft) cannot be deleted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from . import audit
from .extensions import db
from .models import Invitation, Organisation, Response, organisation_key


@dataclass
class Search:
    """What to look for: text in the name or contact email, a partner type, an area."""

    text: str = ""
    partner_type: str = ""
    area: str = ""

    @property
    def active(self) -> bool:
        return bool(self.text or self.partner_type or self.area)


def matching(query: Select, search: Search) -> Select:
    """``query`` (which selects from Organisation) narrowed to the organisations searched for.
    Text matches anywhere in the name or contact email, ignoring case."""
    text = search.text.strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(Organisation.name).like(pattern, escape="\\"),
                func.lower(func.coalesce(Organisation.contact_email, "")).like(
                    pattern, escape="\\"
                ),
            )
        )
    if search.partner_type:
        query = query.where(Organisation.partner_type == search.partner_type)
    if search.area:
        query = query.where(Organisation.area == search.area)
    return query


def listing(search: Search) -> Select:
    """Organisations searched for, in name order."""
    return matching(select(Organisation), search).order_by(Organisation.name, Organisation.id)


NAME_TAKEN = "An organisation with that name is already listed"


def name_taken(name: str, except_id: int | None = None) -> bool:
    """True when another organisation already has this name (compared as the database's
    unique index compares them: ignoring case and spaces, see ``organisation_key``)."""
    query = select(Organisation.id).where(Organisation.name_key == organisation_key(name))
    if except_id is not None:
        query = query.where(Organisation.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


FIELDS = ("name", "partner_type", "area", "size_band", "contact_email")


def add(details: dict[str, str | None]) -> Organisation:
    """A new organisation from its details (name, partner_type, area, size_band,
    contact_email); blank optional details are stored as none."""
    organisation = Organisation()
    _fill(organisation, details)
    db.session.add(organisation)
    audit.record("organisation_added", organisation.name)
    return organisation


def change(organisation: Organisation, details: dict[str, str | None]) -> None:
    """Change an organisation's details; what changed is kept in the audit log."""
    before = {name: getattr(organisation, name) for name in FIELDS}
    _fill(organisation, details)
    if organisation.bounced and organisation.contact_email != before["contact_email"]:
        # A new address has not bounced: invitations and reminders go to it again, as
        # Organisations' "Clear bounce" would (smoke28: a bounce is now marked by itself
        # when the mail server refuses the address, and an officer's fix is to correct it).
        organisation.bounced = False
    changed = {
        name: f"{before[name] or 'none'} → {getattr(organisation, name) or 'none'}"
        for name in FIELDS
        if before[name] != getattr(organisation, name)
    }
    audit.record("organisation_changed", organisation.name, **changed)


def _fill(organisation: Organisation, details: dict[str, str | None]) -> None:
    organisation.name = (details.get("name") or "").strip()
    organisation.partner_type = details.get("partner_type") or "other"
    organisation.area = details.get("area") or "outside"
    organisation.size_band = details.get("size_band") or None
    organisation.contact_email = (details.get("contact_email") or "").strip() or None


@dataclass
class Deletion:
    """What deleting an organisation would do: its invitations go (their links stop
    working); if any response came through them, it is refused."""

    invitations: int
    submitted: int
    drafts: int

    @property
    def allowed(self) -> bool:
        return not (self.submitted or self.drafts)


def deletion(organisation: Organisation) -> Deletion:
    """Count the invitations and the responses (sent and draft) that deleting would touch."""
    invitations = (
        db.session.scalar(
            select(func.count(Invitation.id)).where(Invitation.organisation_id == organisation.id)
        )
        or 0
    )
    by_status = dict(
        db.session.execute(
            select(Response.status, func.count(Response.id))
            .join(Invitation, Response.invitation_id == Invitation.id)
            .where(Invitation.organisation_id == organisation.id)
            .group_by(Response.status)
        ).all()
    )
    return Deletion(invitations, by_status.get("submitted", 0), by_status.get("draft", 0))


def delete(organisation: Organisation) -> Deletion:
    """Delete an organisation and its unanswered invitations, unless a response came through
    them (then nothing changes). Returns what was (or would have been) touched."""
    impact = deletion(organisation)
    if not impact.allowed:
        return impact
    for invitation in db.session.scalars(
        select(Invitation).where(Invitation.organisation_id == organisation.id)
    ).all():
        db.session.delete(invitation)
    audit.record("organisation_deleted", organisation.name, invitations=impact.invitations)
    db.session.delete(organisation)
    return impact
