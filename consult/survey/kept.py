"""A page posted with problems, kept in the session for the GET that draws it (Post/Redirect/Get).

A page whose answers need fixing (or clash with a colleague's) is not drawn as the answer to
its POST: that page would be the POST's history entry, and Back, Forward or reload would then
ask to send the form again ("Confirm Form Resubmission"). Instead the POST saves what it can
(see ``journey.save_page``), keeps here what was typed and which answers clash, and sends the
browser to the page's own address; that GET draws the page with the error summary, the
"Error:" title and everything as typed.

What is kept is drawn only while the draft is as that POST left it (the same response and
version) and only on its own page: once anything is saved, the page shows the draft again.
The session lives on the server (``consult/sessions.py``); one page a consultation is kept.

A page posted after its CSRF token expired saved nothing, so what it typed is kept apart
(:func:`keep_unsaved`), a page each, with the digests of what the partner had seen: its GET
draws it, with a message, until that page is saved (whatever else is saved meanwhile), so
the answers are offered back, never dropped, and a colleague's change made meanwhile is
still found when the partner sends them again.

A page posted when it can no longer be saved at all (the consultation has closed, or this
browser's session no longer holds the draft: its cookie expired, or the session ended)
is sent by a 303 to its own address, whose GET draws the dead end; what it typed is kept
(:func:`keep_lost`, one page a consultation, within ``csrf_expiry.keepable``'s limits) for
that page to show back, with the key of the draft it was typed into (``consult/survey/lost.py``).
When this browser returns to that draft (its invitation or resume link), or begins a new
open-link draft after losing one, the draft gets it filled in on its page (moved here by
:func:`take_lost`, then kept as unsaved); never another draft.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask import session
from werkzeug.datastructures import MultiDict

from .. import csrf_expiry
from ..models import Consultation, Response
from .receipt import EmailedCopy

KEY = "kept_pages"
UNSAVED = "unsaved_pages"
EMAILED = "emailed_resume_link"
COPIES = "emailed_copies"
LOST = "lost_pages"
SENT = "sent_here"
# Each page's answers this browser saved as it left the page (a "draft save", fixc17), as
# digests: what the partner typed is never taken for a colleague's change (``own_seen``).
OWN = "own_saved"


@dataclass(frozen=True)
class KeptPage:
    """A page's POST as the page must be drawn again."""

    page: str
    form: list[tuple[str, str]]  # the posted fields of the page's form, in order
    conflicts: list[str]  # field names whose answers clash with a colleague's
    seen: str | None = None  # unsaved only: the digests of what the page had shown
    message: str | None = None  # unsaved only: why it was not saved, when not an expired token
    draft: str | None = None  # lost only: the key of the draft it was typed into (``lost``)
    # lost only: whether that draft answered as an individual (None: not known, the page's
    # POST found no draft), so its questions are worded for them (``lost.typed_rows``).
    individual: bool | None = None
    # Fields the POST's save left as a colleague changed them (the partner had not touched
    # them): drawn as stored, not as posted (``journey.colleagues_answers_kept``).
    theirs: tuple[str, ...] = ()

    def formdata(self) -> MultiDict:
        return MultiDict(self.form)


def keep(
    consultation: Consultation,
    page: str,
    response: Response,
    version: int,
    form: list[tuple[str, str]],
    conflicts: list[str] | tuple[str, ...] = (),
    theirs: list[str] | tuple[str, ...] = (),
) -> None:
    """Keep this page's POST for the GET that follows; it replaces whatever was kept.
    ``theirs``: the fields its save left as a colleague changed them."""
    pages = dict(session.get(KEY, {}))
    pages[consultation.slug] = {
        "page": page,
        "response": response.id,
        "version": version,
        "form": [[name, value] for name, value in form],
        "conflicts": list(conflicts),
        "theirs": list(theirs),
    }
    session[KEY] = pages


def take(consultation: Consultation, page: str, response: Response) -> KeptPage | None:
    """What to draw on ``page`` instead of the stored draft, if anything.

    What no longer applies (the draft changed since) is dropped, whichever page asks."""
    kept = session.get(KEY, {}).get(consultation.slug)
    if not kept:
        return None
    if kept.get("response") != response.id or kept.get("version") != response.version:
        drop(consultation)
        return None
    if kept.get("page") != page:
        return None
    return KeptPage(
        page=page,
        form=[(str(name), str(value)) for name, value in kept.get("form", [])],
        conflicts=[str(name) for name in kept.get("conflicts", [])],
        theirs=tuple(str(name) for name in kept.get("theirs", [])),
    )


def drop(consultation: Consultation) -> None:
    """Forget the kept page of this consultation (the session is written only if one was)."""
    _forget(KEY, consultation.slug)


def _forget(key: str, slug: str) -> None:
    """Remove ``slug`` from the session's per-consultation dict under ``key``, writing the
    session only when there was something to remove (and dropping ``key`` once empty)."""
    pages = session.get(key)
    if pages and slug in pages:
        pages = {other: kept for other, kept in pages.items() if other != slug}
        if pages:
            session[key] = pages
        else:
            del session[key]


def keep_unsaved(
    consultation: Consultation,
    page: str,
    response: Response,
    form: list[tuple[str, str]],
    seen: str,
    message: str | None = None,
) -> None:
    """Keep what a page typed when its POST could not be saved (its CSRF token expired, or
    ``message`` says why)."""
    pages = dict(session.get(UNSAVED, {}))
    mine = dict(pages.get(consultation.slug, {}))
    mine[page] = {
        "response": response.id,
        "form": [[name, value] for name, value in form],
        "seen": seen,
        "message": message,
    }
    pages[consultation.slug] = mine
    session[UNSAVED] = pages


def take_unsaved(consultation: Consultation, page: str, response: Response) -> KeptPage | None:
    """What ``page`` typed and could not save, while it is still this draft's (typed before
    the draft was stored, on its first save, counts as this draft's: moving to another
    draft forgets it)."""
    kept = session.get(UNSAVED, {}).get(consultation.slug, {}).get(page)
    if not kept or kept.get("response") not in (None, response.id):
        return None
    return KeptPage(
        page=page,
        form=[(str(name), str(value)) for name, value in kept.get("form", [])],
        conflicts=[],
        seen=str(kept.get("seen") or "{}"),
        message=str(kept["message"]) if kept.get("message") else None,
    )


def forget_unsaved(consultation: Consultation, page: str | None = None) -> None:
    """Forget what ``page`` (or, without one, every page of the consultation) could not
    save: it has been saved now, or the browser moved to another draft."""
    pages = session.get(UNSAVED)
    if not pages or consultation.slug not in pages:
        return
    if page is not None and page not in pages[consultation.slug]:
        return  # nothing kept for it: the session is not written
    pages = dict(pages)
    mine = {} if page is None else dict(pages[consultation.slug])
    mine.pop(page, None)
    if mine:
        pages[consultation.slug] = mine
    else:
        del pages[consultation.slug]
    if pages:
        session[UNSAVED] = pages
    else:
        del session[UNSAVED]


def keep_lost(
    consultation: Consultation,
    page: str,
    form: list[tuple[str, str]],
    draft: str | None = None,
    seen: str | None = None,
    individual: bool | None = None,
) -> bool:
    """Keep what ``page`` typed when it could not be saved at all (see the module's
    docstring), with the key of the draft it was typed into (``lost.draft_key``), the
    digests of what it had seen and whether that draft answered as an individual, when
    known (``individual``); True when kept (something typed, within the limits)."""
    fields = [[name, value] for name, value in form]
    if not csrf_expiry.keepable(fields + [["seen", seen or ""]]):
        return False
    record = {"page": page, "form": fields, "draft": draft, "seen": seen}
    if individual is not None:
        record["individual"] = individual
    session[LOST] = {**session.get(LOST, {}), consultation.slug: record}
    # Kept as long as a grant to the draft would be (``access.grant``): past the browser's
    # closing, so the draft's link opened again later still finds it.
    session.permanent = True
    return True


def lost(consultation: Consultation) -> KeptPage | None:
    """The page of this consultation this browser typed and could not save, if any."""
    record = session.get(LOST, {}).get(consultation.slug)
    if not isinstance(record, dict) or not isinstance(record.get("page"), str):
        return None
    return KeptPage(
        page=record["page"],
        form=[(str(name), str(value)) for name, value in record.get("form", [])],
        conflicts=[],
        draft=record["draft"] if isinstance(record.get("draft"), str) else None,
        seen=record["seen"] if isinstance(record.get("seen"), str) else None,
        individual=record["individual"] if isinstance(record.get("individual"), bool) else None,
    )


def take_lost(consultation: Consultation) -> KeptPage | None:
    """:func:`lost`, forgotten here: it is being handed to a new draft."""
    page = lost(consultation)
    _forget(LOST, consultation.slug)
    return page


@dataclass(frozen=True)
class EmailedLink:
    """Where the resume link was just emailed, and whether it only reached the outbox
    (``kept``: no mail server is set up, so it was not sent)."""

    to: str
    kept: bool = False


def note_emailed(consultation: Consultation, address: str, kept: bool = False) -> None:
    """Remember that the resume link was just emailed (or only written to the outbox), for
    the saved page's GET to say so."""
    note = {"to": address, "kept": kept}
    session[EMAILED] = {**session.get(EMAILED, {}), consultation.slug: note}


def take_emailed(consultation: Consultation) -> EmailedLink | None:
    """The resume link just emailed, said once (a reload says nothing)."""
    emailed = session.get(EMAILED)
    if not emailed or consultation.slug not in emailed:
        return None
    emailed = dict(emailed)
    note = emailed.pop(consultation.slug)
    if emailed:
        session[EMAILED] = emailed
    else:
        del session[EMAILED]
    if isinstance(note, dict):
        return EmailedLink(str(note.get("to", "")), bool(note.get("kept")))
    return EmailedLink(str(note))  # noted before the outbox was told apart


def note_copy(consultation: Consultation, reference: str, copy: EmailedCopy) -> None:
    """Remember where the copy of the response just sent was emailed, whether it went, and
    whether it only reached the outbox (no mail server set up), for its confirmation page
    (every showing of it in this browser) to say so."""
    note = {"reference": reference, "to": copy.to, "sent": copy.sent, "kept": copy.kept}
    session[COPIES] = {**session.get(COPIES, {}), consultation.slug: note}


def copy_note(consultation: Consultation, reference: str) -> EmailedCopy | None:
    """The emailed copy of the response with this reference, when this browser sent it;
    None otherwise (a colleague's browser, or no address to send to)."""
    note = session.get(COPIES, {}).get(consultation.slug)
    if not isinstance(note, dict) or note.get("reference") != reference:
        return None
    return EmailedCopy(str(note.get("to", "")), bool(note.get("sent")), bool(note.get("kept")))


def note_sent(consultation: Consultation, reference: str) -> None:
    """Remember that this browser sent the response with this reference (fixc17)."""
    session[SENT] = {**session.get(SENT, {}), consultation.slug: reference}


def sent_here(consultation: Consultation, reference: str) -> bool:
    """Whether this browser sent the response with this reference."""
    return session.get(SENT, {}).get(consultation.slug) == reference


# A page draw's ``shown`` value (its hidden field): which draw a draft save came from.
SHOWN_FORMAT = re.compile(r"[A-Za-z0-9_-]{16}")
# The draws of one page whose draft-saved digests are kept (two or three tabs, and the page
# the browser keeps in memory); older ones are forgotten (their next save may then note a
# clash with the partner's own answer, never overwrite a colleague's).
OWN_DRAWS_KEPT = 4


def new_shown() -> str:
    """A new value for a page draw's hidden ``shown`` field (:func:`note_own`)."""
    return secrets.token_urlsafe(12)


def read_shown(posted: str | None) -> str | None:
    """A posted ``shown`` field, when it has the shape :func:`new_shown` gives."""
    return posted if posted and SHOWN_FORMAT.fullmatch(posted) else None


def note_own(
    consultation: Consultation, page: str, response: Response, shown: str, digests: dict
) -> None:
    """Remember the digests of the answers this browser saved on ``page`` of ``response`` as
    it left the page without a button (a draft save, fixc17), for the page draw that sent
    them (its ``shown`` value). That page, when the partner comes back to it without asking
    the server again (the browser's back/forward cache, or a tab hidden and shown again),
    still holds the digests it was drawn with: its next save takes these as seen
    (:func:`own_seen`), so the partner's own answer is never taken for a colleague's clash,
    while a colleague's change made after it still is. Another draw of the page (another
    tab) does not take them (fixr17a): its blank answer would erase this one unnoticed."""
    slug = consultation.slug
    mine = dict(session.get(OWN, {}))
    before = mine.get(slug)
    same = isinstance(before, dict) and before.get("draft") == response.reference
    pages = dict(before.get("pages", {})) if same else {}
    draws = pages.get(page)
    draws = (
        {k: v for k, v in draws.items() if isinstance(v, dict)} if isinstance(draws, dict) else {}
    )
    earlier = draws.pop(shown, {})
    draws[shown] = {**earlier, **digests}  # the newest last
    pages[page] = dict(list(draws.items())[-OWN_DRAWS_KEPT:])
    mine[slug] = {"draft": response.reference, "pages": pages}
    session[OWN] = mine


def own_seen(
    consultation: Consultation, page: str, response: Response, shown: str | None
) -> dict[str, str]:
    """The digests :func:`note_own` kept for this draw (``shown``) of this page of this
    draft (empty when none)."""
    mine = session.get(OWN, {}).get(consultation.slug)
    if shown is None or not isinstance(mine, dict) or mine.get("draft") != response.reference:
        return {}
    draws = mine.get("pages", {}).get(page)
    digests = draws.get(shown) if isinstance(draws, dict) else None
    return dict(digests) if isinstance(digests, dict) else {}


def forget_own(consultation: Consultation, page: str, shown: str | None) -> None:
    """Forget :func:`note_own`'s digests of this draw (``shown``) of a page saved by one of
    its buttons (its next draw gets the stored answers' digests)."""
    mine = session.get(OWN, {})
    entry = mine.get(consultation.slug)
    if shown is None or not isinstance(entry, dict):
        return
    draws = entry.get("pages", {}).get(page)
    if not isinstance(draws, dict) or shown not in draws:
        return
    draws = {key: value for key, value in draws.items() if key != shown}
    pages = {key: value for key, value in entry["pages"].items() if key != page}
    if draws:
        pages[page] = draws
    mine = dict(mine)
    if pages:
        mine[consultation.slug] = {**entry, "pages": pages}
    else:
        del mine[consultation.slug]
    if mine:
        session[OWN] = mine
    else:
        session.pop(OWN, None)
