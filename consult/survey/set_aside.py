"""An organisation's details a partner set aside by choosing "As an individual".

A partner who chooses "As an individual" by mistake and presses Continue stores no
organisation name, type or size (they are not an individual's: never exported, shown to
staff or sent). What the page held for them is set aside in this browser's server-side
session, tied to the draft, so that choosing "For an organisation" again finds them filled
in as they were (:func:`recall`); an invited organisation's come back from its invitation
when nothing was set aside in this browser. Choosing "For an organisation" (or sending)
needs them no more (:func:`forget`).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import session

from ..models import Consultation, Response
from . import about

KEY = "set_aside_organisation"
FIELDS = ("organisation_name", "partner_type", "size_band")


def keep(consultation: Consultation, response: Response, posted: Mapping[str, str]) -> None:
    """Set aside the organisation's details ``posted`` on the page (as the browser sent
    them, hidden under "For an organisation" or not) for ``response``'s draft. An
    individual's own type is no organisation's; nothing typed leaves the last kept as it is."""
    details = {name: (posted.get(name) or "").strip() for name in FIELDS}
    if about.is_individual(details["partner_type"]):
        details["partner_type"] = ""
    if not any(details.values()):
        return
    kept = dict(session.get(KEY, {}))
    kept[consultation.slug] = {"response": response.id, **details}
    session[KEY] = kept


def recall(consultation: Consultation, response: Response) -> dict[str, str]:
    """What was set aside for ``response``'s draft in this browser (empty when nothing)."""
    kept = session.get(KEY, {}).get(consultation.slug)
    if not kept or kept.get("response") != response.id:
        return {}
    return {name: kept.get(name, "") for name in FIELDS if kept.get(name)}


def forget(consultation: Consultation) -> None:
    """Drop what was set aside for this consultation's draft in this browser."""
    kept = dict(session.get(KEY, {}))
    if kept.pop(consultation.slug, None) is not None:
        if kept:
            session[KEY] = kept
        else:
            del session[KEY]
