"""Routes for the partner's journey. Thin: parse, call journey/review, render."""

from __future__ import annotations

import hmac
import json
import re
from dataclasses import replace
from typing import Any

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from .. import csrf_expiry, wording
from ..extensions import db
from ..mail import mail_configured, send_resume_link, sendable
from ..models import Consultation, Invitation, Organisation, Response, Section
from ..sessions import resend_cookie
from . import about, access, bp, journey, kept, lost, progress, receipt, review, set_aside
from .access import DeadEnd
from .fields import (
    describe_textarea,
    note_id,
    organisation_params,
    question_params,
    with_note,
    with_reveal,
)
from .forms import (
    BUSINESS,
    CheckForm,
    OrganisationForm,
    PageForm,
    StartForm,
    encode_typed,
    organisation_form,
    section_form,
)

# The action of a page's save sent by its script as the page is left without a button.
DRAFT = "draft"
# Kept with Check your answers when its answers changed after the page was drawn.
CHANGED = "changed since shown"
# The page's button named in what an expired or replaced form's page says (smoke17: "the
# button"): a page of answers is sent again by Continue (which saves, as every button does).
CONTINUE = "Continue"
CSRF_WORDING = (
    "This page was open for a long time, so for your security we could not save it. "
    "Your answers are still below: check them and select {button} again."
)
CSRF_MESSAGE = CSRF_WORDING.format(button=CONTINUE)


REPLACED_WORDING = (
    "Someone signed in to or out of the consultation team's pages in this browser while this "
    "page was open, so for your security we could not save it. Your answers are still below: "
    "check them and select {button} again."
)
REPLACED_MESSAGE = REPLACED_WORDING.format(button=CONTINUE)
# A page with nothing typed (a start, send or switch button) whose token had expired.
EXPIRED_WORDING = (
    "This page was open for a long time, so for your security nothing was saved. "
    "Check the page and select {button} again."
)
REPLACED_NOTHING_TYPED = (
    "Someone signed in to or out of the consultation team's pages in this browser while this "
    "page was open, so for your security nothing was saved. Check the page and select "
    "{button} again."
)


def _not_saved_because() -> str | None:
    """Why a survey form that failed its CSRF check was not saved, when it may be offered
    back: None for this session's token that merely expired (the page says so), a message
    for a page drawn before a staff sign-in or sign-out in this browser replaced the
    session (``csrf_expiry.token_replaced``). Any other failure (no token, a forged one,
    another browser's) is refused with the plain 400 page, and nothing it sent is kept or
    shown (``consult/csrf_expiry.py``)."""
    if csrf_expiry.token_expired():
        return None
    if csrf_expiry.token_replaced():
        return REPLACED_MESSAGE
    abort(400)


def _expired(button: str):
    """A survey form with nothing typed (a start, send or switch button, named ``button``)
    that failed its CSRF check (Post/Redirect/Get, like every POST here): when it may be
    offered back (:func:`_not_saved_because`), the browser is sent back to the page's own
    address, whose GET draws it with a fresh token and says nothing was saved, and which
    button to select again."""
    replaced = _not_saved_because() is not None
    wording = REPLACED_NOTHING_TYPED if replaced else EXPIRED_WORDING
    csrf_expiry.note(request.path, wording.format(button=button))
    return redirect(request.full_path.rstrip("?"))


LOST_MESSAGE = (
    "We could not save this page when you sent it, because your answers could not be found "
    "in this browser. What you typed is below: check it and select Continue again."
)


@bp.app_errorhandler(DeadEnd)
def dead_end(error: DeadEnd):
    """A plain page for closed consultations, unknown or expired links and the like, with
    what this browser typed on a page of the consultation and could not save (see
    :func:`_draft`), to copy. A POST's dead end in a consultation (closed, not open yet,
    no draft in this browser) is drawn by the GET of its address (Post/Redirect/Get: reload
    and Back never send the form again); an unknown address is answered where it is."""
    if (
        request.method == "POST"
        and error.consultation is not None
        and csrf_expiry.answers_get(request.path)
    ):
        return redirect(request.full_path.rstrip("?"), 303)
    consultation = error.consultation
    record = kept.lost(consultation) if consultation is not None else None
    typed = (
        lost.typed_rows(consultation, record.page, record.form, record.individual)
        if record
        else None
    )
    return (
        render_template(
            "survey/dead_end.html",
            error=error,
            consultation=consultation,
            typed=typed,
            saved=_saved_after_closing(consultation),
            **(_way_back(consultation, record) if typed else {}),
        ),
        error.status,
    )


def _closed_draft(consultation: Consultation | None) -> Response | None:
    """This browser's stored, unsent draft of a consultation that has closed, if any."""
    if consultation is None or consultation.availability() != "closed":
        return None
    response = access.current_response(consultation)
    if response is None or response.status == "submitted" or not journey.is_stored(response):
        return None
    return response


def _saved_after_closing(consultation: Consultation | None) -> list[tuple[str, str]] | None:
    """The answers this browser's draft saved before the consultation closed on it, to read
    and copy (they were never sent): the partner does not lose them with the dead end."""
    response = _closed_draft(consultation)
    if response is None:
        return None
    return review.saved_answer_rows(consultation, response) or None


def _way_back(consultation: Consultation, record: kept.KeptPage) -> dict[str, Any]:
    """How the partner gets what they typed back into their draft: the link they came by
    (an invitation's, or the resume link of an open-link draft) fills it in when opened
    again in this browser; a new open-link response does too, for an open-link draft."""
    taking_answers = consultation.availability() == "open"
    kind = lost.kind_of(record.draft)
    return {
        "lost_kind": kind if taking_answers else None,
        "refill": taking_answers and kind == lost.OPEN and consultation.allow_open_link,
        "download_url": url_for("survey.typed_answers", slug=consultation.slug),
    }


def page_url(consultation: Consultation, page: str, **params: Any) -> str:
    """The URL of a journey page given its key."""
    if page == journey.ORGANISATION_PAGE:
        return url_for("survey.organisation", slug=consultation.slug, **params)
    if page == journey.CHECK_PAGE:
        return url_for("survey.check", slug=consultation.slug, **params)
    position = int(page.split("-", 1)[1])
    return url_for("survey.section", slug=consultation.slug, position=position, **params)


def sent_url(slug: str, already: bool = True) -> str:
    """The confirmation page. Reached from anywhere but the "Accept and send" that just sent
    the response (Back, an old tab, a link), it first says the response was already sent
    and cannot be changed or sent again."""
    if already:
        return url_for("survey.confirmation", slug=slug, already="sent")
    return url_for("survey.confirmation", slug=slug)


def _visible(slug: str) -> Consultation:
    consultation = access.get_consultation(slug)
    if consultation.status == "draft":
        raise DeadEnd(404, "Consultation not found", "Check the web address you were given.")
    return consultation


def _own_response(consultation: Consultation) -> Response:
    """This browser's response, or a page saying how to get back to it."""
    response = access.current_response(consultation)
    if response is None:
        raise DeadEnd(
            403,
            "Start from the beginning",
            "We could not find your answers in this browser. Use your invitation link or "
            "the link to come back to your answers, or start from the consultation's first page.",
            consultation,
        )
    return response


def _draft(
    slug: str, consultation: Consultation | None = None, response: Response | None = None
) -> tuple[Consultation, Response]:
    """The open consultation and this browser's draft, or the right dead end or redirect.

    After "Start now" the draft may not be stored yet: it is stored on the first save.
    A view that has already read the consultation and stored response passes them in.
    """
    consultation = consultation or _visible(slug)
    try:
        if consultation.stage() == "scheduled":
            access.require_open(consultation)  # says when it opens, before anything else
        # An expired (or twice replaced) invitation is a dead end too, answers kept.
        response = response or access.current_draft(consultation)
        if response is None:
            _own_response(consultation)  # the "start from the beginning" dead end
        if response.status == "submitted":
            abort(redirect(sent_url(slug)))
        access.require_open(consultation)
    except DeadEnd:
        if request.method == "POST":
            # The dead end is drawn by the page's GET (see dead_end), which shows back what
            # was typed, kept here.
            _keep_lost(consultation, response)
        raise
    return consultation, response


def _posted_fields(consultation: Consultation) -> tuple[str, list[tuple[str, str]]] | None:
    """The page key and answer fields of a POST to a section or organisation page."""
    if request.endpoint == "survey.organisation":
        form = organisation_form(request.form)
        return journey.ORGANISATION_PAGE, form.posted_fields(request.form)
    position = (request.view_args or {}).get("position")
    if request.endpoint != "survey.section" or not isinstance(position, int):
        return None
    for page_section in consultation.sections:
        if page_section.position == position:
            form = section_form(page_section, request.form)
            return journey.section_page(page_section), form.posted_fields(request.form)
    return None


def _keep_lost(consultation: Consultation, response: Response | None = None) -> bool:
    """Keep what a page that can no longer be saved typed, when it came from a page this
    browser was shown (``csrf_expiry.token_from_our_page``: another site cannot plant
    text), with the key of its draft, what it had seen and (when this browser's draft
    ``response`` was found) whether it answered as an individual, for the dead end to show
    back and that draft to fill in (``consult/survey/lost.py``)."""
    posted = _posted_fields(consultation)
    if posted is None or not csrf_expiry.token_from_our_page():
        return False
    page, fields = posted
    if not any(value.strip() for _, value in fields):
        return False
    draft = lost.read_key(request.form.get("draft"))
    seen = json.dumps(_seen(request.form.get("seen")))
    individual = None if response is None else about.is_individual(response.partner_type)
    return kept.keep_lost(consultation, page, fields, draft, seen, individual)


SEEN_MAX_CHARS = 64 * 1024
# One flat object of digests: nothing nested, so parsing can never recurse deeply.
FLAT_OBJECT = re.compile(r"\s*\{[^{}\[\]]*\}\s*")


def _seen(raw: str | None) -> dict[str, str]:
    """The digests of what the partner saw, from the page's hidden ``seen`` field; empty
    when it is missing, too long, nested or not JSON (the save then goes ahead without the
    colleague check rather than losing the page's answers)."""
    raw = raw or "{}"
    if len(raw) > SEEN_MAX_CHARS or not FLAT_OBJECT.fullmatch(raw):
        return {}
    try:
        seen = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(seen, dict):
        return {}
    return {
        str(k): str(v)
        for k, v in seen.items()
        if isinstance(v, str | int | float) and not isinstance(v, bool)
    }


def _digests(values: dict[str, str]) -> str:
    return json.dumps({name: journey.value_digest(value) for name, value in values.items()})


@bp.get("/")
def index():
    """Consultations open now, and those scheduled to open (soonest first, with the date
    they open: their start pages say what they are about but offer no start button)."""
    consultations = db.session.scalars(
        select(Consultation).where(Consultation.status == "open").order_by(Consultation.title)
    ).all()
    open_now = [c for c in consultations if c.availability() == "open"]
    upcoming = sorted(
        (c for c in consultations if c.stage() == "scheduled"),
        key=lambda c: (c.opens_at, c.title),
    )
    return render_template("survey/index.html", consultations=open_now, upcoming=upcoming)


@bp.route("/i/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """An invitation link: remember it, then continue to the consultation (asking first
    when this browser has other answers in progress)."""
    invite = access.check_invitation(token)
    consultation = invite.consultation
    if not consultation.allow_invitations:
        raise DeadEnd(
            403,
            "This consultation is not taking responses by invitation",
            "Use the consultation's open link instead, or ask the consultation team.",
            consultation,
        )
    theirs = db.session.scalar(select(Response).where(Response.invitation_id == invite.id))
    mine = _draft_in_progress(consultation, theirs)
    if mine is not None and (mine.invitation_id is None or mine.invitation_id != invite.id):
        stop = _leave_draft(consultation, mine)
        if stop is not None:
            return stop
    access.grant(consultation, "invitation", token)
    response = access.current_response(consultation)
    if response is not None and response.status == "submitted":
        return redirect(sent_url(consultation.slug))
    if consultation.stage() != "scheduled":  # a scheduled one's start page says when
        access.require_open(consultation)
    return redirect(url_for("survey.start", slug=consultation.slug))


def _draft_in_progress(consultation: Consultation, other: Response | None) -> Response | None:
    """This browser's stored, unsent draft of the consultation when it is not ``other``:
    a link to another draft must not silently replace it."""
    mine = access.current_response(consultation)
    if mine is None or mine.status == "submitted":
        return None
    if other is not None and other.id == mine.id:
        return None
    return mine


def _leave_draft(consultation: Consultation, mine: Response):
    """Before a link takes this browser from its draft ``mine`` to another: the page asking
    first (a GET), or the expired page (a "Switch" POST whose token has expired); None once
    the switch is confirmed, forgetting what was typed into the draft it leaves."""
    if request.method == "GET":
        return _ask_before_switching(consultation, mine)
    if not StartForm().validate():
        return _expired("Switch to the answers from the link")
    kept.forget_unsaved(consultation)  # typed into the draft this browser leaves
    return None


def _ask_before_switching(consultation: Consultation, mine: Response):
    """The "You already have answers in progress" page: keep them or switch. Drawn only by a
    GET: its "Switch" POST, with an expired token, is sent back here (see :func:`_expired`)."""
    return render_template(
        "survey/switch_draft.html",
        consultation=consultation,
        response=mine,
        # whose answers they are: an organisation's name, never one an individual's carries
        organisation=None if about.is_individual(mine.partner_type) else mine.organisation_name,
        form=StartForm(),
        keep_url=page_url(consultation, mine.last_page),
        own_link=_link_back(consultation),
    )


def _link_back(consultation: Consultation) -> str | None:
    """The link that brings this browser's draft back (its invitation link, or the resume
    link of an open-link draft), to copy before switching away from it, so that no draft is
    left without a way back (smoke17); None when this browser holds no link."""
    grant_ = access.granted(consultation)
    if not grant_:
        return None
    if grant_["via"] == "invitation":
        return url_for("survey.invitation", token=grant_["token"], _external=True)
    return url_for("survey.resume", slug=consultation.slug, token=grant_["token"], _external=True)


@bp.route("/c/<slug>/resume/<token>", methods=["GET", "POST"])
def resume(slug: str, token: str):
    """A resume link for an open-link draft. When this browser already has other answers
    in progress, it asks first (a planted link must not swap the partner's draft)."""
    consultation = _visible(slug)
    response = journey.find_response_by_resume_token(consultation, token)
    if response is None:
        raise DeadEnd(
            404,
            "This link to your answers is not recognised",
            "Check you copied the whole link. You can also start a new response.",
            consultation,
        )
    mine = _draft_in_progress(consultation, response)
    if mine is not None:
        stop = _leave_draft(consultation, mine)
        if stop is not None:
            return stop
    access.grant(consultation, "open", token)
    if response.status == "submitted":
        return redirect(sent_url(slug))
    access.require_open(consultation)
    return redirect(page_url(consultation, _refill(consultation, response) or response.last_page))


# The start page's address for someone who came by an invitation and answers for themselves:
# the open link, without the invitation (``?own=1``: this browser's invitation grant stays
# until they start, ``begin``).
OWN = "own"


def _answering_for_themselves(consultation: Consultation, source) -> bool:
    """Whether the start page (``source``: its query or form) is the open link's, asked for
    from an invitation by someone answering for themselves (fixc17)."""
    return source.get(OWN) == "1" and consultation.allow_open_link


def own_response_url(consultation: Consultation) -> str | None:
    """Where someone holding an organisation's invitation starts a response of their own:
    the consultation's open link (None when it has none)."""
    if not consultation.allow_open_link:
        return None
    return url_for("survey.start", slug=consultation.slug, _external=True, **{OWN: "1"})


def _start_context(consultation: Consultation, own: bool = False) -> dict[str, Any]:
    invite = None if own else access.invitation_for(consultation)
    if invite is None and not consultation.allow_open_link:
        raise DeadEnd(
            403,
            "This consultation is by invitation only",
            "Use the link in the invitation sent to your organisation.",
            consultation,
        )
    response = access.current_response(consultation)
    if own and response is not None and response.invitation_id is not None:
        response = None  # the organisation's, not theirs
    return {
        "consultation": consultation,
        "invitation": invite,
        "response": response,
        "own": own,
        "own_url": None if own else own_response_url(consultation),
        "wording": wording,
        "progress": _progress(consultation, response),
        "page_url": page_url,
    }


def _progress(consultation: Consultation, response: Response | None):
    """A stored, unsent draft's progress for the start page (collect29 #4); else None."""
    if response is None or response.status != "draft" or not journey.is_stored(response):
        return None
    answers = {qid: row.value for qid, row in journey.stored_answers(response).items()}
    return progress.draft_progress(
        consultation,
        answers,
        about_title=about.title(response.partner_type),
        about_done=bool(response.partner_type),
        last_page=response.last_page,
    )


@bp.get("/c/<slug>")
def start(slug: str):
    """The start page: what this is, who should answer, when it closes, privacy. Before a
    scheduled consultation opens, it says when it opens instead of offering to start."""
    consultation = _visible(slug)
    scheduled = consultation.stage() == "scheduled"
    if not scheduled:
        access.require_open(consultation)
    return render_template(
        "survey/start.html",
        form=StartForm(),
        scheduled=scheduled,
        **_start_context(consultation, _answering_for_themselves(consultation, request.args)),
    )


@bp.post("/c/<slug>")
def begin(slug: str):
    """Start or continue this browser's draft and go where the partner left off. From an
    invitation, someone answering for themselves (``own``) starts a new open-link draft: the
    organisation's stays with its invitation link."""
    consultation = _visible(slug)
    access.require_open(consultation)
    own = _answering_for_themselves(consultation, request.form)
    context = _start_context(consultation, own)
    invite, response = context["invitation"], context["response"]
    if not StartForm().validate():
        return _expired(_start_label(response))
    if own and access.invitation_for(consultation) is not None:
        kept.forget_unsaved(consultation)  # typed into the organisation's draft
        access.begin_open_draft(consultation, fresh=True)
    elif invite is None and (response is None or response.status == "submitted"):
        access.begin_open_draft(consultation, fresh=response is not None)
        if response is not None:
            kept.forget_unsaved(consultation)  # a new draft: nothing typed is its
    response = access.current_draft(consultation)  # stored on its first save
    if response.status == "submitted":
        return redirect(sent_url(slug))
    page = _refill(consultation, response) or _resume_page(consultation, response)
    if own and page == journey.ORGANISATION_PAGE and response.id is None:
        # About you starts at "As an individual" for someone answering for themselves
        return redirect(page_url(consultation, page, **{OWN: "1"}))
    return redirect(page_url(consultation, page))


def _resume_page(consultation: Consultation, response: Response) -> str:
    """Where Continue goes: the draft's last page, or, when that page has gone (a section
    deleted since), where the start page says the partner left off (fixc29 #3)."""
    if response.last_page in journey.page_sequence(consultation):
        return response.last_page
    shown = _progress(consultation, response)
    return shown.left_off if shown is not None else journey.ORGANISATION_PAGE


def _start_label(response: Response | None) -> str:
    """The start page's button, as ``survey/start.html`` names it."""
    if response is not None and response.status == "submitted":
        return "Start a new response"
    return "Continue your response" if response is not None else "Start now"


def _refill(consultation: Consultation, draft: Response) -> str | None:
    """What a page typed and could not save (the browser's session had lost its draft),
    filled in on that page of ``draft`` to check and send, when it was typed into this
    draft (or, typed into an open-link draft, this is a new one: ``lost.belongs_to``);
    returns that page, else None. Kept with what the page had seen, so a colleague's change
    made meanwhile is still found when it is sent."""
    record = kept.lost(consultation)
    if record is None or draft.status != "draft" or not lost.belongs_to(record.draft, draft):
        return None
    kept.take_lost(consultation)
    seen = record.seen or "{}"
    kept.keep_unsaved(consultation, record.page, draft, record.form, seen, LOST_MESSAGE)
    return record.page


def _back_url(consultation: Consultation, page: str) -> str:
    """Where the page's Back link goes: check answers when the partner came from there (the
    link's ``?return=check``), else the page before, or the start page."""
    if request.args.get("return") == "check":
        return page_url(consultation, journey.CHECK_PAGE)
    previous = journey.previous_page(consultation, page)
    if previous is None:
        return url_for("survey.start", slug=consultation.slug)
    return page_url(consultation, previous)


def _after_save(consultation: Consultation, page: str) -> str:
    """Where Continue goes: back to check answers when the partner came from there; the
    Back link (which saves what was typed first, when scripts run) to the page before."""
    if request.form.get("action") == "save":
        return url_for("survey.saved", slug=consultation.slug)
    if request.form.get("action") == "back":
        return _back_url(consultation, page)
    if request.args.get("return") == "check":
        return page_url(consultation, journey.CHECK_PAGE)
    return page_url(consultation, journey.next_page(consultation, page))


def _save_and_route(
    consultation: Consultation,
    response: Response,
    page: str,
    form: PageForm,
    typed: dict[str, str],
    *,
    load,
    write,
    posted: MultiDict | None = None,
) -> str:
    """Save whatever was typed (valid or not), then move on or say what needs fixing.
    ``posted``: the page's fields as the form read them, when not as the browser sent them
    (``request.form``).

    Returns the URL to redirect to: never a page drawn as the POST's answer
    (Post/Redirect/Get, so Back and reload never send the form again). Answers that need
    fixing or clash with a colleague's are kept (see ``kept``) and the URL is the page's
    own: its GET draws them. A page whose CSRF token expired saves nothing: what it typed is
    kept, with what it had seen, for its own GET to offer back (a missing or forged token
    is refused with a 400).
    """
    valid = form.validate()
    if form.csrf_expired:
        why = _not_saved_because()
        seen = json.dumps(_seen(request.form.get("seen")))
        fields = form.posted_fields(posted or request.form)
        kept.keep_unsaved(consultation, page, response, fields, seen, why)
        return _same_page(consultation, page)
    _refuse_another_drafts_page(consultation, response)
    response = journey.store_draft(response, commit=False)  # committed with the answers
    action = request.form.get("action")
    # "draft": the page's script saving what was typed as the page is left without a button
    # (browser Back, another tab, a phone's app switch): saved unchecked, like "back".
    saving_only = action in ("save", "back", DRAFT)
    moving_on = valid and not saving_only
    if moving_on:
        target_page = (
            journey.CHECK_PAGE
            if request.args.get("return") == "check"
            else journey.next_page(consultation, page)
        )
    else:
        target_page = page
    # What this page draw (``shown``: not another tab's) saved on leaving it is the
    # partner's own, not a colleague's.
    shown = kept.read_shown(request.form.get("shown"))
    own = kept.own_seen(consultation, page, response, shown)
    seen = {**_seen(request.form.get("seen")), **own}
    try:
        result = journey.save_page(
            response,
            seen,
            typed,
            load=load,
            write=write,
            last_page=target_page,
        )
    except journey.AlreadySubmitted:  # a colleague submitted while this page was saved
        return sent_url(consultation.slug)
    kept.forget_unsaved(consultation, page)  # typed after an expired token: saved now
    if action == DRAFT and shown is not None:
        left = set(result.conflicts) | set(result.theirs)
        saved = {name: journey.value_digest(value) for name, value in typed.items()}
        kept.note_own(
            consultation,
            page,
            response,
            shown,
            {name: digest for name, digest in saved.items() if name not in left},
        )
    elif action != DRAFT:
        kept.forget_own(consultation, page, shown)
    # Pages of the draft the browser keeps in memory (its back/forward cache) are older than
    # this save: their answers and ``seen`` digests would make the partner's own answers look
    # like a colleague's clash. A changed cookie makes Chrome drop them, so Back asks again.
    resend_cookie()
    if result.conflicts or not (saving_only or valid):
        kept.keep(
            consultation,
            page,
            response,
            result.version,
            form.posted_fields(posted or request.form),
            conflicts=list(result.conflicts),
            theirs=result.theirs,
        )
        return _same_page(consultation, page)
    kept.drop(consultation)
    return _after_save(consultation, page)


class OtherDraft(Exception):
    """A page's save that came from a page drawn for another draft than the one this
    browser holds now (see :func:`_save_and_route`)."""

    def __init__(self, consultation: Consultation) -> None:
        super().__init__(consultation.slug)
        self.consultation = consultation


OTHER_DRAFT = DeadEnd(
    409,
    "This page was for another response",
    "Since this page was shown, this browser has opened another response to this "
    "consultation (in another tab or window, or from a link). So that one response's answers "
    "never go into the other, nothing on this page was saved or sent.",
)


def _refuse_another_drafts_page(consultation: Consultation, response: Response) -> None:
    """Stop (:class:`OtherDraft`) a POST from a page drawn for another draft than
    ``response``, the one this browser holds now (its hidden ``draft`` key differs): the
    browser has moved to another since (a resume or invitation link, "Start now" for one's
    own), and saving or sending it would write into or send this one (fixr17a)."""
    drawn_for = lost.read_key(request.form.get("draft"))
    if drawn_for is not None and not hmac.compare_digest(drawn_for, lost.draft_key(response)):
        raise OtherDraft(consultation)


@bp.errorhandler(OtherDraft)
def other_draft(error: OtherDraft):
    """The answer to a save from a page of another draft: nothing to a draft save (sent by
    the page's script as it is left, nobody reads it); to a button's, a page saying so with
    what was typed, kept (as for a draft lost, ``_keep_lost``) for that draft's link to fill
    in, opened again in this browser."""
    if request.form.get("action") == DRAFT:
        return "", 204
    consultation = error.consultation
    record = kept.lost(consultation) if _keep_lost(consultation) else None
    typed = None
    way_back: dict[str, Any] = {}
    if record is not None:
        typed = lost.typed_rows(consultation, record.page, record.form, record.individual)
        # "Start a new response" would open the draft held now, not fill it into a new one.
        way_back = {**_way_back(consultation, record), "refill": False}
    page = render_template(
        "survey/dead_end.html",
        error=replace(OTHER_DRAFT, consultation=consultation),
        consultation=consultation,
        typed=typed,
        saved=None,
        **way_back,
    )
    return page, OTHER_DRAFT.status


def _answer_save(url: str):
    """The answer to a page's save: a redirect to ``url``; to a draft save (sent by the
    page's script as it is left, whose answer nobody reads), nothing."""
    if request.form.get("action") == DRAFT:
        return "", 204
    return redirect(url)


def _same_page(consultation: Consultation, page: str) -> str:
    """The page's own URL (keeping where Continue goes: back to check answers or on)."""
    if request.args.get("return") == "check":
        return page_url(consultation, page, **{"return": "check"})
    return page_url(consultation, page)


def _kept_form(shown: kept.KeptPage, make_form):
    """The page's form as its POST sent it, with that POST's error messages."""
    form = make_form(shown.formdata())
    form.validate_answers()
    return form


def _page_as_shown(
    consultation: Consultation,
    page: str,
    response: Response,
    stored: dict[str, str],
    make_form,
    saved_formdata,
) -> tuple[PageForm, dict[str, Any]]:
    """A page's form and context for its GET: what a POST with an expired token typed and
    could not save (with what that page had seen, so a colleague's change made meanwhile is
    still found); else what its last POST typed, with its errors and clashes; else the
    draft as stored (``saved_formdata()``)."""
    shown = kept.take(consultation, page, response)
    unsaved = kept.take_unsaved(consultation, page, response)
    if unsaved is not None:
        context = {"seen": unsaved.seen, "csrf_message": unsaved.message or CSRF_MESSAGE}
        return _kept_form(unsaved, make_form), context
    if shown is None:
        return make_form(saved_formdata()), {"seen": _digests(stored)}
    updated: list[str] = []
    if shown.theirs:
        # A colleague saved these while the partner left them alone: drawn as stored (with
        # a note), never as the partner's page had them, which would read as missing and
        # overwrite them on the next save (``journey.colleagues_answers_kept``).
        as_stored = list(saved_formdata().items(multi=True))
        shown = replace(shown, form=journey.shown_again(shown.form, as_stored, list(shown.theirs)))
        updated = [name for name in shown.theirs if name in stored]
    context = {"seen": _digests(stored), "updated": updated, **_conflicts(shown, stored)}
    return _kept_form(shown, make_form), context


@bp.route("/c/<slug>/organisation", methods=["GET", "POST"])
def organisation(slug: str):
    """About you (for an organisation, or as an individual), prefilled from the invitation."""
    consultation, response = _draft(slug)
    invited = _invited(response)
    if request.method == "POST":
        posted = _without_the_organisations_area(response, request.form)
        form = organisation_form(posted, invited=invited)
        namesake_before = journey.invited_namesake(response)  # as stored before this save
        url = _save_and_route(
            consultation,
            response,
            journey.ORGANISATION_PAGE,
            form,
            form.typed(),
            load=journey.stored_organisation_values,
            write=journey.write_organisation_values,
            posted=posted,
        )
        if form.answering_as.data == about.FOR_ORGANISATION:
            set_aside.forget(consultation)  # stored as the organisation's now
        elif form.answering_as.data == about.AS_INDIVIDUAL and response.id is not None:
            set_aside.keep(consultation, response, request.form)
        if _moved_on(consultation, url) and journey.invited_namesake(response) not in (
            None,
            namesake_before,
        ):
            url = _invited_namesake_url(consultation)
        return _answer_save(url)
    stored = journey.stored_organisation_values(response)
    form, context = _page_as_shown(
        consultation,
        journey.ORGANISATION_PAGE,
        response,
        stored,
        lambda data: organisation_form(data, invited=invited),
        lambda: _organisation_formdata(consultation, response, stored),
    )
    if request.args.get(OWN) == "1" and not invited and not form.answering_as.data:
        form.answering_as.data = about.AS_INDIVIDUAL  # from the "for yourself" link (smoke18w #11)
    return render_organisation(consultation, response, form, context)


def _moved_on(consultation: Consultation, url: str) -> bool:
    """Whether a save of "About you" (answered with ``url``) was Continue moving on: not
    a save to come back later, a Back link's, nor the page drawn again to fix answers."""
    return request.form.get("action") not in ("save", "back", DRAFT) and url == _after_save(
        consultation, journey.ORGANISATION_PAGE
    )


def _invited_namesake_url(consultation: Consultation) -> str:
    """The page saying that the organisation named was invited (keeping where Continue
    goes: back to check answers or on)."""
    back_to_check = {"return": "check"} if request.args.get("return") == "check" else {}
    return url_for("survey.invited_namesake", slug=consultation.slug, **back_to_check)


@bp.get("/c/<slug>/invited-organisation")
def invited_namesake(slug: str):
    """Someone on the open link answering for an organisation invited to the consultation:
    it has its own invitation link, and a response sent here would be a second one from it
    (``journey.invited_namesake``). Their answers are saved; they may carry on, or change
    the name. With no invited organisation named (any more), "About you"."""
    consultation, response = _draft(slug)
    name = journey.invited_namesake(response)
    if name is None:
        return redirect(page_url(consultation, journey.ORGANISATION_PAGE))
    back_to_check = request.args.get("return") == "check"
    onward = (
        journey.CHECK_PAGE
        if back_to_check
        else journey.next_page(consultation, journey.ORGANISATION_PAGE)
    )
    invited = db.session.scalar(select(Organisation).where(Organisation.name == name).limit(1))
    return render_template(
        "survey/invited_namesake.html",
        consultation=consultation,
        name=name,
        # Not "We have sent … by email" when its address bounced or it has none (smoke28):
        # the one person who never had the email is the likeliest to come this way.
        emailed=bool(invited and invited.contact_email and not invited.bounced),
        onward_url=page_url(consultation, onward),
        change_url=page_url(
            consultation,
            journey.ORGANISATION_PAGE,
            **({"return": "check"} if back_to_check else {}),
        )
        + "#organisation_name",
    )


# Sent by the page's script when the area was chosen after choosing "As an individual".
AREA_FOR = "area_for"


def _without_the_organisations_area(response: Response, posted: MultiDict) -> MultiDict:
    """The page as sent, but a partner who answered for an organisation and now answers as
    an individual is asked where they live: the organisation's area, still chosen as the
    page had it (asked "Where is your organisation based?"), is not taken as theirs (smoke17:
    Coventry carried over as "Where you live"). With scripts the page unticks it itself."""
    stored_area = response.area or ""
    switching = (
        posted.get("answering_as") == about.AS_INDIVIDUAL
        and bool(response.partner_type)
        and not about.is_individual(response.partner_type)
    )
    chosen_for_themselves = posted.get(AREA_FOR) == about.AS_INDIVIDUAL  # ticked after switching
    if not (switching and stored_area and posted.get("area") == stored_area):
        return posted
    if chosen_for_themselves:
        return posted
    fields = MultiDict(posted)
    fields.pop("area")
    return fields


def _set_aside(consultation: Consultation, response: Response) -> dict[str, str]:
    """The organisation's details a partner who answered as an individual did not store
    (``set_aside``): as this browser last sent them, else the invitation's."""
    aside = set_aside.recall(consultation, response)
    invitation = response.invitation if journey.is_stored(response) else None
    if invitation is not None:
        organisation = invitation.organisation
        invited = {
            "organisation_name": organisation.name,
            "partner_type": organisation.partner_type,
        }
        if organisation.partner_type == BUSINESS:
            invited["size_band"] = organisation.size_band or ""
        aside = {**invited, **aside}
    return aside


def _organisation_formdata(consultation: Consultation, response: Response, stored: dict[str, str]):
    """The page's stored answers as form data. A partner who answered as an individual
    stored no organisation name or size: their fields (under "For an organisation") hold
    what was set aside again (:func:`_set_aside`), so choosing "For an organisation" after
    all loses nothing."""
    values = dict(stored)
    if about.is_individual(values["partner_type"]):
        aside = _set_aside(consultation, response)
        names = ["organisation_name", "size_band"]
        if _invited(response):
            # Answered as an individual before an invitation's draft became its
            # organisation's only (fixc17): the page offers the invitation's type back.
            values["partner_type"] = ""
            names.append("partner_type")
        for name in names:
            values[name] = values[name] or aside.get(name, "")
    return review.stored_formdata(values, set())


def _conflicts(shown: kept.KeptPage | None, stored: dict[str, str]) -> dict[str, Any]:
    """The colleague's answers that clash with what the kept POST typed (as stored now:
    the draft is as that POST left it)."""
    if shown is None or not shown.conflicts:
        return {}
    return {"conflicts": {name: stored.get(name, "") for name in shown.conflicts}}


def render_organisation(
    consultation: Consultation, response: Response, form: OrganisationForm, context: dict
):
    params = organisation_params(
        form,
        invited=_invited(response),
        emails=mail_configured(),
        organisation_type=_set_aside(consultation, response).get("partner_type", "")
        if form.answering_as.data == about.AS_INDIVIDUAL
        else "",
        organisation_area=""
        if about.is_individual(response.partner_type)
        else (response.area or ""),
    )
    # A note about a colleague's answer is part of its field's description (fixc17).
    for name, field_params in params.items():
        kind = "radios" if "items" in field_params else "input"
        note = note_id(name, context.get("conflicts"), context.get("updated"))
        params[name] = with_note(kind, field_params, note)
    return render_template(
        "survey/organisation.html",
        consultation=consultation,
        response=response,
        form=form,
        params=params,
        with_reveal=with_reveal,
        about_title=about.PAGE_TITLE,
        # An invitation's draft is its organisation's: no "As an individual" (fixc17).
        invited_organisation=_invited_organisation(response),
        own_url=own_response_url(consultation),
        conflict_display={
            name: review.organisation_display(name, value)
            for name, value in (context.get("conflicts") or {}).items()
        },
        errors=form.field_errors(),
        resume_token=_resume_token(consultation, response),
        draft_key=lost.draft_key(response),
        shown=kept.new_shown(),
        **context,
    )


def _invited_organisation(response: Response) -> str | None:
    """The name of the organisation an invitation's draft answers for (None on the open
    link)."""
    invitation = response.invitation
    if invitation is None and response.invitation_id is not None:  # not stored yet
        invitation = db.session.get(Invitation, response.invitation_id)
    return invitation.organisation.name if invitation is not None else None


def _invited(response: Response) -> bool:
    """Whether the draft came through an invitation (stored or not yet)."""
    return response.invitation_id is not None or response.invitation is not None


def _resume_token(consultation: Consultation, response: Response) -> str | None:
    """The resume token to show as a link, once the draft it reopens is stored."""
    return access.resume_token(consultation) if journey.is_stored(response) else None


def _section(consultation: Consultation, position: int) -> Section:
    for section in consultation.sections:
        if section.position == position:
            return section
    abort(404)


@bp.route("/c/<slug>/section/<int:position>", methods=["GET", "POST"])
def section(slug: str, position: int):
    """One section page of questions."""
    consultation, response = _draft(slug)
    page_section = _section(consultation, position)
    questions = page_section.questions
    page = journey.section_page(page_section)
    # Answering as an individual, a question worded for organisations reads as staff worded
    # it for individuals (``consult.wording.asked``): its label and its error messages.
    individual = about.is_individual(response.partner_type)

    def load(r: Response) -> dict[str, str]:
        return journey.stored_question_values(r, questions)

    def write(r: Response, values: dict[str, str]) -> None:
        journey.write_question_values(r, questions, values)

    if request.method == "POST":
        form = section_form(page_section, request.form, individual=individual)
        typed = encode_typed(form, {q.field_name: q for q in questions})
        url = _save_and_route(consultation, response, page, form, typed, load=load, write=write)
        return _answer_save(url)
    form, context = _page_as_shown(
        consultation,
        page,
        response,
        load(response),
        lambda data: section_form(page_section, data, individual=individual),
        lambda: review.section_formdata(page_section, response),
    )
    conflicts = context.get("conflicts") or {}
    fields = []
    for q in questions:
        kind, params = question_params(q, form[q.field_name], individual)
        note = note_id(q.field_name, conflicts, context.get("updated"))
        fields.append((q, kind, with_note(kind, params, note), note))
    by_name = {q.field_name: q for q in questions}
    conflict_display = {
        name: review.display_value(by_name[name], value) for name, value in conflicts.items()
    }
    return render_template(
        "survey/section.html",
        consultation=consultation,
        response=response,
        section=page_section,
        form=form,
        fields=fields,
        errors=form.field_errors(),
        resume_token=_resume_token(consultation, response),
        draft_key=lost.draft_key(response),
        shown=kept.new_shown(),
        previous_url=_back_url(consultation, page),
        conflict_display=conflict_display,
        describe_textarea=describe_textarea,
        **context,
    )


def _review_context(consultation: Consultation, response: Response) -> dict[str, Any]:
    return {
        "consultation": consultation,
        "response": response,
        "organisation_rows": review.organisation_rows(response),
        "about_title": about.title(response.partner_type),
        "individual": about.is_individual(response.partner_type),
        "sections": review.check_sections(consultation, response),
        "page_url": page_url,
        "wording": wording,
    }


@bp.route("/c/<slug>/check", methods=["GET", "POST"])
def check(slug: str):
    """Check your answers, then submit exactly once."""
    consultation = _visible(slug)
    response = access.current_response(consultation)
    if response is not None and response.status == "submitted":
        # Back, an old tab or a link: the confirmation says it was already sent. A replayed
        # or double-clicked "Accept and send": the original confirmation.
        return redirect(sent_url(slug, already=request.method == "GET"))
    consultation, response = _draft(slug, consultation, response)
    form = CheckForm()
    if request.method == "GET":
        context = _review_context(consultation, response)
        shown = kept.take(consultation, journey.CHECK_PAGE, response)
        if shown is not None:
            # "Accept and send" found answers to fix, or answers changed since the page was
            # drawn, and nothing has been saved since.
            context["errors"] = _problem_links(consultation, response)
            context["changed_meanwhile"] = CHANGED in shown.conflicts
        draft_key = lost.draft_key(response)
        return render_template(
            "survey/check.html",
            form=form,
            draft_key=draft_key,
            invited_namesake=journey.invited_namesake(response),
            **context,
        )
    if not form.validate():
        return _expired("Accept and send")  # nothing typed: the page's GET says nothing was sent
    _refuse_another_drafts_page(consultation, response)
    checked_version = response.version  # the answers as checked below
    # The version the page showed (pages drawn before it was sent have none): a colleague,
    # or another tab, saved since, so "Accept and send" would send answers nobody read.
    shown_version = request.form.get("version")
    changed = shown_version is not None and shown_version != str(checked_version or "")
    if changed or review.problems(consultation, response):
        conflicts = [CHANGED] if changed else []
        kept.keep(consultation, journey.CHECK_PAGE, response, checked_version, [], conflicts)
        return redirect(page_url(consultation, journey.CHECK_PAGE))
    kept.drop(consultation)
    response = journey.store_draft(response)
    sent_now = journey.submit(response, version=checked_version)  # committed
    if not sent_now and response.status == "draft":
        # A colleague saved while these answers were being checked: check them again.
        kept.keep(consultation, journey.CHECK_PAGE, response, response.version, [], [CHANGED])
        return redirect(page_url(consultation, journey.CHECK_PAGE))
    if sent_now:  # only the request that sent it emails the copy: a replay sends nothing
        kept.note_sent(consultation, response.reference)
        emailed = receipt.email_copy(consultation, response)
        if emailed is not None:
            kept.note_copy(consultation, response.reference, emailed)
    # The browser must not bring the draft's pages back from memory on Back: they would look
    # as if the answers could still be changed and sent. Their next showing asks the server,
    # which sends it to the confirmation.
    resend_cookie()
    return redirect(sent_url(slug, already=False))


def _problem_links(consultation: Consultation, response: Response) -> list[dict[str, str]]:
    """Error summary items for every answer that stops the response being sent, each
    linking to its field (with a way straight back to check answers)."""
    return [
        {
            "text": problem.message,
            "href": page_url(consultation, problem.page, **{"return": "check"})
            + f"#{problem.field_id}",
        }
        for problem in review.problems(consultation, response)
    ]


@bp.get("/c/<slug>/confirmation")
def confirmation(slug: str):
    """The reference number, what happens next, whether the copy of the answers was
    emailed, and the copy to download or print."""
    consultation = _visible(slug)
    response = _own_response(consultation)
    if response.status != "submitted":
        return redirect(page_url(consultation, response.last_page))
    if _someone_elses(consultation, response):
        return render_template(
            "survey/sent_elsewhere.html",
            consultation=consultation,
            response=response,
            organisation=_invited_organisation(response),
        )
    return render_template(
        "survey/confirmation.html",
        already_sent=request.args.get("already") == "sent",
        emailed=kept.copy_note(consultation, response.reference),
        download_url=url_for("survey.response_copy", slug=slug),
        invited_organisation=_invited_organisation(response),
        **_review_context(consultation, response),
    )


def _someone_elses(consultation: Consultation, response: Response) -> bool:
    """Whether the sent response holds one person's answers that this browser may not read:
    sent as an individual's through an organisation's invitation (before fixc17 made an
    invitation its organisation's only) by another browser. An organisation's response is
    shared by the colleagues holding its link, as its draft was: they read it (as designed:
    the start page says they share one response)."""
    return (
        response.invitation_id is not None
        and about.is_individual(response.partner_type)
        and not kept.sent_here(consultation, response.reference)
    )


@bp.get("/c/<slug>/your-response.txt")
def response_copy(slug: str):
    """The sent response as a text file, for the browser that may see its confirmation
    page (the same rules: another browser gets the 403 "start from the beginning" page);
    404 while it is a draft. Built whole here, inside the request's database session."""
    consultation = _visible(slug)
    response = _own_response(consultation)
    if response.status != "submitted" or _someone_elses(consultation, response):
        abort(404)
    copy = receipt.copy_text(consultation, response)
    return _text_file(copy, receipt.file_name(consultation, response))


def _text_file(text: str, name: str):
    """``text`` as a plain UTF-8 file to download as ``name`` (made of a slug, which is
    letters, digits and hyphens, or ``receipt.file_name``), never cached: it holds answers."""
    reply = make_response(text)
    reply.mimetype = "text/plain"  # Flask adds "; charset=utf-8"
    reply.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    reply.headers["Cache-Control"] = "no-store"
    return reply


def _saved_page(
    consultation: Consultation, response: Response, emailed: kept.EmailedLink | None = None
):
    token = access.resume_token(consultation)
    resume_url = (
        url_for("survey.resume", slug=consultation.slug, token=token, _external=True)
        if token
        else None
    )
    # With no mail server nothing can be emailed: the page offers no "Email me this link"
    # (it only said afterwards that it could not) and says to copy the link instead.
    emails = mail_configured()
    can_email = bool(emails and resume_url and sendable(response.respondent_email))
    return render_template(
        "survey/saved.html",
        consultation=consultation,
        response=response,
        wording=wording,
        individual=about.is_individual(response.partner_type),
        resume_url=resume_url,
        emailed=emailed,
        emails=emails,
        email_form=StartForm() if can_email else None,
        unsendable_email=(
            response.respondent_email
            if emails and resume_url and response.respondent_email and not can_email
            else None
        ),
        organisation_url=url_for("survey.organisation", slug=consultation.slug),
        continue_url=page_url(consultation, response.last_page),
        too_long=[
            {
                "text": problem.message,
                "href": page_url(consultation, problem.page) + f"#{problem.field_id}",
            }
            for problem in review.too_long(consultation, response)
        ],
    )


@bp.get("/c/<slug>/saved")
def saved(slug: str):
    """Answers saved: how to come back to them (nothing is sent from a page load)."""
    consultation, response = _draft(slug)
    if not journey.is_stored(response):
        return redirect(page_url(consultation, response.last_page))
    return _saved_page(consultation, response, emailed=kept.take_emailed(consultation))


@bp.post("/c/<slug>/saved")
def email_resume_link(slug: str):
    """Send the resume link to the respondent's email address ("Email me this link"); with
    no mail server set up nothing is sent (the page never offers it then)."""
    consultation, response = _draft(slug)
    token = access.resume_token(consultation)
    if (
        not mail_configured()
        or not journey.is_stored(response)
        or not token
        or not sendable(response.respondent_email)
    ):
        return redirect(url_for("survey.saved", slug=slug))
    if not StartForm().validate():
        return _expired("Email me this link")  # the page's GET says nothing was sent
    resume_url = url_for("survey.resume", slug=slug, token=token, _external=True)
    try:
        outbox = send_resume_link(
            consultation,
            response.respondent_email,
            resume_url,
            individual=about.is_individual(response.partner_type),
        )
    except Exception:  # the mail server down or refusing: the link is on the page anyway
        current_app.logger.warning(
            "Could not email the resume link of draft %s", response.reference, exc_info=True
        )
        sent = False
    else:
        sent = outbox is None
    # The page saying so is a GET: reload or Back must not send the email again. "Kept"
    # (not emailed) covers both the outbox and a failure: either way the partner copies it.
    kept.note_emailed(consultation, response.respondent_email, kept=not sent)
    return redirect(url_for("survey.saved", slug=slug))


@bp.get("/c/<slug>/privacy")
def privacy(slug: str):
    """The consultation's privacy notice on its own page, linked from emails; it stays
    readable after the consultation closes."""
    consultation = _visible(slug)
    return render_template("survey/privacy.html", consultation=consultation, wording=wording)


@bp.get("/c/<slug>/your-saved-answers.txt")
def saved_answers(slug: str):
    """The answers this browser's draft saved before the consultation closed on it, as a
    text file; 404 while the consultation is open (the draft is there to carry on) or when
    this browser has no unsent draft."""
    consultation = _visible(slug)
    rows = _saved_after_closing(consultation)
    if not rows:
        abort(404)
    text = lost.as_text(consultation, rows, lost.SAVED_HEADING)
    return _text_file(text, f"{consultation.slug}-your-saved-answers.txt")


@bp.get("/c/<slug>/what-you-typed.txt")
def typed_answers(slug: str):
    """What this browser typed on a page of the consultation and could not save (the
    consultation closed, or the draft was lost), as a text file to keep or send by email;
    404 when nothing is kept. Readable after the consultation closes."""
    consultation = _visible(slug)
    record = kept.lost(consultation)
    if record is None:
        abort(404)
    rows = lost.typed_rows(consultation, record.page, record.form, record.individual)
    return _text_file(lost.as_text(consultation, rows), f"{consultation.slug}-what-you-typed.txt")
