"""Who may see which draft: capabilities kept in the session, and the dead ends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import session

from .. import csrf_expiry
from ..extensions import db
from ..models import Consultation, Invitation, Response
from ..published import published_consultation
from ..times import uk_time
from ..tokens import new_token
from . import journey, kept

# What a partner's journey keeps in the browser's session: which drafts it may use, and what
# its pages kept (``kept``). Not the staff member's: a staff sign-in or sign-out in the same
# browser carries it into the new session (:func:`partner_state`).
PARTNER_KEYS = (
    "grants",
    kept.KEY,
    kept.UNSAVED,
    kept.LOST,
    kept.EMAILED,
    kept.COPIES,
    kept.SENT,
    kept.OWN,
)


@dataclass
class DeadEnd(Exception):
    """A plain page that explains why the partner cannot go on."""

    status: int
    title: str
    body: str
    consultation: Consultation | None = None


def get_consultation(slug: str) -> Consultation:
    """The consultation with this slug, unless it is unknown or still a private draft.

    It is this process's read-only copy (see consult/published.py): read it, never change it.
    """
    consultation = published_consultation(slug)
    if consultation is None:
        raise DeadEnd(404, "Consultation not found", "Check the web address you were given.")
    return consultation


def require_open(consultation: Consultation) -> None:
    """Stop with a clear page when the consultation is not taking answers."""
    state = consultation.availability()
    if state == "closed":
        raise DeadEnd(
            410,
            "This consultation has closed",
            "It is no longer taking responses. Thank you for your interest.",
            consultation,
        )
    if state == "not_open":
        # Scheduled (see Consultation.stage): say when, as its invitation email did. A draft
        # says no more than it did before it had a date.
        when = consultation.opens_at
        body = (
            f"It opens on {uk_time(when)} (UK time). Come back then: this link will work "
            "from that time."
            if when and consultation.status == "open"
            else "It is not taking responses yet."
        )
        raise DeadEnd(403, "This consultation is not open yet", body, consultation)


def check_invitation(token: str) -> Invitation:
    """The invitation for this token, or a dead end when it is unknown or expired."""
    invitation = journey.find_invitation(token)
    if invitation is None:
        raise DeadEnd(
            404,
            "This invitation link is not recognised",
            "Check you copied the whole link from your invitation. "
            "If it still does not work, ask the consultation team for a new link.",
        )
    if invitation.is_expired():
        raise DeadEnd(
            410,
            "This invitation link has expired",
            "Ask the consultation team for a new link.",
            invitation.consultation,
        )
    return invitation


def grant(consultation: Consultation, via: str, token: str) -> None:
    """Remember in the session that this browser may use this draft."""
    grants = dict(session.get("grants", {}))
    grants[consultation.slug] = {"via": via, "token": token}
    session["grants"] = grants
    session.permanent = True


def forget(consultation: Consultation) -> None:
    """Drop this browser's access to the consultation's draft."""
    grants = dict(session.get("grants", {}))
    grants.pop(consultation.slug, None)
    session["grants"] = grants


def granted(consultation: Consultation) -> dict | None:
    """The grant for this consultation, if the session holds one."""
    return session.get("grants", {}).get(consultation.slug)


def invitation_for(consultation: Consultation) -> Invitation | None:
    """The invitation this browser came in by, if any (re-checked on every request)."""
    grant_ = granted(consultation)
    if not grant_ or grant_["via"] != "invitation":
        return None
    invitation = check_invitation(grant_["token"])
    if invitation.consultation_id != consultation.id:
        return None
    return invitation


def current_response(consultation: Consultation) -> Response | None:
    """The draft or submitted response this browser may use, if any."""
    grant_ = granted(consultation)
    if not grant_:
        return None
    if grant_["via"] == "invitation":
        invitation = invitation_for(consultation)
        if invitation is None:
            return None
        return db.session.scalar(journey.BY_INVITATION, {"invitation_id": invitation.id})
    return journey.find_response_by_resume_token(consultation, grant_["token"])


def begin_open_draft(consultation: Consultation, fresh: bool = False) -> None:
    """Give this browser the resume token of a new open-link draft, which is stored only on
    its first save; an unused token from an earlier "Start now" is kept unless ``fresh``."""
    grant_ = granted(consultation)
    if fresh or not grant_ or grant_["via"] != "open":
        grant(consultation, "open", new_token())


def current_draft(consultation: Consultation) -> Response | None:
    """This browser's response, or (after "Start now") a new draft not stored until its
    first save; ``None`` when the browser has not started."""
    response = current_response(consultation)
    if response is not None:
        return response
    grant_ = granted(consultation)
    if not grant_:
        return None
    if grant_["via"] == "invitation":
        invitation = invitation_for(consultation)
        return journey.unsaved_invitation_draft(invitation) if invitation else None
    return journey.unsaved_open_draft(consultation, grant_["token"])


def resume_token(consultation: Consultation) -> str | None:
    """The plain resume token of this browser's open-link draft, to show as a link."""
    grant_ = granted(consultation)
    return grant_["token"] if grant_ and grant_["via"] == "open" else None


def partner_state() -> dict[str, Any]:
    """This browser's partner journey, taken from the session before a staff sign-in or
    sign-out clears it, for :func:`carry_over` to put in the new session: a partner
    answering in another tab of the same browser keeps their draft. The CSRF token is not
    carried (a new session gets a new one, so a planted session's token is worth nothing);
    only its digest, so the partner's open page is recognised
    (``csrf_expiry.token_replaced``) and what it sends is offered back, not saved."""
    state = {key: session[key] for key in PARTNER_KEYS if key in session}
    if state.get("grants"):
        state[csrf_expiry.REPLACED] = csrf_expiry.replaced_tokens()
    return state


def carry_over(state: dict[str, Any], lasting: bool = False) -> None:
    """Put :func:`partner_state` into the new session. ``lasting`` (a staff sign-out: the
    new session is the partner's alone): its cookie outlives the browser's closing, as the
    partner's grant and kept answers did before the sign-in (a signed-in staff session's
    cookie never does, so the partner's draft in it ends with the browser)."""
    session.update(state)
    if lasting and (state.get("grants") or state.get(kept.LOST)):
        session.permanent = True
