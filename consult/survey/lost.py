"""What a page typed and could not save at all, tied to the draft it was typed into.

A survey page carries a hidden ``draft`` field: an opaque key of the draft the page belongs
to (:func:`draft_key`: the kind of link, invitation or open, and an HMAC, under the app's
secret, of the consultation and the invitation or the resume token's digest; it names
nobody and cannot be made up). When the page's POST finds no draft in this browser's session
(the cookie expired, or the session ended), what it typed is kept in the browser's new
server-side session with that key (``kept.keep_lost``). It is filled in again only on the
draft with the same key, once this browser returns to it by its invitation link or its
resume link (:func:`belongs_to`); what was typed into an open-link draft may also go into a
new open-link draft begun in this browser (its resume link may never have been shown), but
what was typed into an invitation's draft never goes anywhere else.

Nothing here reads a request: views pass what was posted.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence

from flask import current_app
from werkzeug.datastructures import MultiDict

from ..models import Consultation, Response
from ..wording import asked
from . import journey
from .forms import encode_typed, section_form
from .review import display_value, organisation_typed_rows

INVITATION = "invitation"
OPEN = "open"
KEY_FORMAT = re.compile(r"(invitation|open)\.[0-9a-f]{32}")


def draft_key(response: Response) -> str:
    """The opaque key of this draft (stored or not yet), for its pages' hidden field."""
    if response.invitation_id is not None:
        kind, ident = INVITATION, str(response.invitation_id)
    else:
        kind, ident = OPEN, str(response.resume_token_hash)
    secret = str(current_app.secret_key).encode("utf-8")
    message = f"lost-answers:{response.consultation_id}:{kind}:{ident}".encode()
    return f"{kind}.{hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]}"


def read_key(posted: str | None) -> str | None:
    """A posted ``draft`` field, when it has a key's shape (anything else is dropped)."""
    return posted if posted and KEY_FORMAT.fullmatch(posted) else None


def kind_of(key: str | None) -> str | None:
    """Which kind of link the key's draft came by: ``"invitation"``, ``"open"`` or None."""
    return key.split(".", 1)[0] if key else None


def belongs_to(key: str | None, response: Response) -> bool:
    """Whether what was typed under ``key`` may be filled in on ``response``: its own draft,
    or (typed into an open-link draft) a new open-link draft not stored yet."""
    if key is None:
        return False
    if hmac.compare_digest(key, draft_key(response)):
        return True
    new_open_draft = response.invitation_id is None and not journey.is_stored(response)
    return kind_of(key) == OPEN and new_open_draft


def typed_rows(
    consultation: Consultation,
    page: str,
    fields: list[tuple[str, str]],
    individual: bool | None = None,
) -> list[tuple[str, str]]:
    """(question, answer as it reads) for every answer a page's posted ``fields`` hold, in
    the page's order: text as typed, choices by their labels; each question as it was
    asked (``asked``): worded for an individual when the draft answered as one
    (``individual``; None when not known, as for everyone)."""
    formdata = MultiDict(fields)
    if page == journey.ORGANISATION_PAGE:
        return organisation_typed_rows(formdata)
    for section in consultation.sections:
        if journey.section_page(section) == page:
            form = section_form(section, formdata, csrf=False)
            questions = {q.field_name: q for q in section.questions}
            typed = encode_typed(form, questions)
            return [
                (asked(q, bool(individual)), display_value(q, typed[q.field_name]))
                for q in section.questions
                if typed.get(q.field_name, "").strip()
            ]
    return []


UNSAVED_HEADING = ("What you typed for", "It could not be saved, so it has not been sent.")
SAVED_HEADING = (
    "Your saved answers for",
    "They were saved but never sent: the consultation closed first.",
)


def as_text(
    consultation: Consultation,
    rows: list[tuple[str, str]],
    heading: tuple[str, str] = UNSAVED_HEADING,
    details: Sequence[str] = (),
    sections: Sequence[tuple[str, list[tuple[str, str]]]] = (),
) -> str:
    """The rows as a plain text file, to keep or send by email (``heading``: what they
    are, :data:`UNSAVED_HEADING` or :data:`SAVED_HEADING`). ``details``: lines under the
    heading (a sent response's reference); ``sections``: (title, rows) after ``rows``,
    each under its underlined title (a sent response's copy, ``consult/survey/receipt.py``).
    Line breaks typed in a browser (carriage return and line feed) come out as line feeds."""
    lines = [f"{heading[0]}: {consultation.title}", heading[1], *details, ""]
    for title, section_rows in (("", rows), *sections):
        if title:
            lines.extend([title, "=" * len(title), ""])
        for question, answer in section_rows:
            lines.extend([question, answer, ""])
    text = "\n".join(lines)
    return text.replace("\r\n", "\n").replace("\r", "\n")
