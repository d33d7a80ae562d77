"""A form posted after its CSRF token expired: Post/Redirect/Get, never a page drawn as the
POST's answer (its history entry would make Back and reload ask "Confirm Form Resubmission").

Only a token this service signed for this browser's own session, and merely older than
``WTF_CSRF_TIME_LIMIT``, counts as expired (:func:`token_expired`): that proves the form was
a page this browser was shown, so what it sent may be kept and offered back. A token that is
missing, forged or another browser's (Flask-WTF reports an old one as "expired" without
comparing it with the session) is refused with a plain 400 page and nothing is kept.

An expired POST with nothing typed to keep (a start or send button, the switch-draft page,
or a form outside the survey and staff pages) is answered by a redirect to a page that
answers GET; :func:`note` marks that address in the (server-side) session, and its GETs draw
the ``csrf_message`` banner (any template extending ``base.html``) until the browser next
posts a form. Survey pages keep the typed answers themselves (``consult/survey/kept.py``);
staff forms are filled in again by ``consult/staff/kept_forms.py``.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, redirect, request, session
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException

KEY = "csrf_expired_at"
NOTE_MESSAGE = "csrf_expired_message"
# What a page reached after an expired POST says; survey pages with typed answers say more.
MESSAGE = (
    "This page was open for a long time, so for your security nothing was saved. "
    "Check the page and select the button again."
)


def _posted_token() -> str | None:
    """The CSRF token the request sent, where Flask-WTF looks for it (form, then headers)."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = request.form.get(name)
    if token:
        return token
    for header in current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"]):
        if request.headers.get(header):
            return request.headers[header]
    return None


# At most this much of what a form typed is kept for a later page (staff forms and survey
# pages alike): the session row must stay small.
KEEP_MAX_FIELDS = 200
KEEP_MAX_CHARACTERS = 100_000


def keepable(fields: list[tuple[str, str]] | list[list[str]]) -> bool:
    """Whether posted ``fields`` are few and short enough to keep in the session."""
    size = sum(len(name) + len(value) for name, value in fields)
    return bool(fields) and len(fields) <= KEEP_MAX_FIELDS and size <= KEEP_MAX_CHARACTERS


def _signer() -> URLSafeTimedSerializer:
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token")


def _same_site_post() -> bool:
    """The POST came from a page of this site: ``Sec-Fetch-Site`` says "same-origin" (a
    header no page can set), or, from a browser that does not send it, the POST carried
    this site's session cookie (sent on a cross-site POST only when
    ``SESSION_COOKIE_SAMESITE`` is "None"); and ``Origin``, when sent, does not name another
    site (the page's no-referrer policy makes Chromium send "Origin: null"). A browser whose
    session cookie has expired sends none: only the first applies."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        if fetch_site != "same-origin":
            return False
    elif not request.cookies.get(current_app.session_interface.get_cookie_name(current_app)):
        return False
    origin = request.headers.get("Origin")
    return not origin or origin == "null" or urlsplit(origin).netloc == request.host


def token_from_our_page() -> bool:
    """True when the request's CSRF token, whatever its age, was signed by this service
    for a page this browser was shown: for this session's own token or, when the session no
    longer holds it (its cookie expired, or it ended on the server), for a same-site POST
    (:func:`_same_site_post`).
    Enough to keep what the form typed for this browser to see again; never enough to save
    it."""
    token = _posted_token()
    if not token or len(token) > 1024:
        return False
    try:
        value = _signer().loads(token)
    except BadData:
        return False
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(name)
    if raw and isinstance(value, str) and hmac.compare_digest(str(raw), value):
        return True
    return _same_site_post()


REPLACED = "csrf_replaced"
REPLACED_MAX = 3  # the tokens of this many earlier sessions of the browser are recognised


def _digest(raw: str) -> str:
    return hashlib.sha256(f"replaced-csrf:{raw}".encode()).hexdigest()


def replaced_tokens() -> list[str]:
    """Digests (never the tokens) of this session's CSRF token and those it replaced, for a
    new session of the same browser to carry (a staff sign-in or sign-out carrying the
    partner's journey: ``consult.survey.access.partner_state``), so that a survey page drawn
    before it is recognised (:func:`token_replaced`) while its token is of no use."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    earlier = [str(d) for d in session.get(REPLACED, []) if isinstance(d, str)]
    raw = session.get(name)
    current = [_digest(str(raw))] if raw else []
    return (current + earlier)[:REPLACED_MAX]


def token_replaced() -> bool:
    """True when the request's CSRF token, whatever its age, was signed by this service for
    an earlier session of this browser (its digest is among :func:`replaced_tokens`), and
    the POST is same-site: a page drawn before a staff sign-in or sign-out in the same
    browser. Enough to offer what it typed back, on its page, never to save it."""
    token = _posted_token()
    digests = session.get(REPLACED)
    if not token or not digests or len(token) > 1024:
        return False
    try:
        value = _signer().loads(token)
    except BadData:
        return False
    if not isinstance(value, str):
        return False
    digest = _digest(value)
    known = any(hmac.compare_digest(digest, str(d)) for d in digests)
    return known and _same_site_post()


def token_expired() -> bool:
    """True when the request's CSRF token was signed by this service for this session and
    failed only because it is older than the time limit."""
    token = _posted_token()
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(name)
    if not token or not raw or len(token) > 1024:
        return False
    signer = _signer()
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
    try:
        signer.loads(token, max_age=limit)
        return False  # still fresh: the check failed for another reason
    except SignatureExpired:
        pass
    except BadData:
        return False
    try:
        value = signer.loads(token)  # signed by us, whatever its age
    except BadData:
        return False
    return isinstance(value, str) and hmac.compare_digest(str(raw), value)


def note(path: str, message: str | None = None) -> None:
    """Make the GETs of ``path`` say that the form was not saved (``message``, else
    :data:`MESSAGE`), until a form is next posted."""
    session[KEY] = path
    if message:
        session[NOTE_MESSAGE] = message
    else:
        session.pop(NOTE_MESSAGE, None)


def _same_site_referrer() -> str | None:
    """The path (and query) of the page the form was on, when it is this site's."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def answers_get(path: str) -> bool:
    """Whether this site's ``path`` is a page that answers GET (not a redirect)."""
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:  # not found, not a GET page, or a redirect
        return False
    return True


def return_path(fallback: str = "/") -> str:
    """Where to send the browser after an expired POST: the page the form was on (its
    ``Referer``, when it is this site's), else the address posted to when it answers GET,
    else ``fallback``."""
    for path in (_same_site_referrer(), request.full_path.rstrip("?")):
        if path and answers_get(path):
            return path
    return fallback


def _notice() -> dict[str, str]:
    """The banner for a GET of the address a noted redirect led to."""
    if not has_request_context():  # a template drawn outside a request (a job, an email)
        return {}
    noted = session.get(KEY) if request.method == "GET" else None
    if noted is None or noted not in (request.path, request.full_path.rstrip("?")):
        return {}
    message = session.get(NOTE_MESSAGE)
    return {"csrf_message": message if isinstance(message, str) else MESSAGE}


def _forget_on_post() -> None:
    """A form posted since (this runs after ``CSRFProtect``'s check, so a staff form that
    failed it never gets here): the note has been read."""
    if request.method == "POST" and KEY in session:
        del session[KEY]
        session.pop(NOTE_MESSAGE, None)


def refused():
    """The answer to a form that failed the CSRF check (staff and report forms that can keep
    what was typed do so first: ``consult.staff.permissions.expired_token``; survey pages
    check their own). One this browser was shown whose token merely expired is sent back,
    by a 303, to the page it was on, which says nothing was saved (Post/Redirect/Get: reload
    and Back never ask to send it again). A missing or forged token gets the plain 400
    page."""
    from .errors import render_error

    if request.method == "POST" and token_expired():
        fallback = "/staff/" if request.path.startswith("/staff") else "/"
        target = return_path(fallback)
        note(target)
        return redirect(target, 303)
    return render_error(400)


def init_app(app: Flask) -> None:
    """Draw the banner on the page an expired POST was redirected to (a value the view
    passes itself wins). Call after ``csrf.init_app``."""
    app.before_request(_forget_on_post)
    app.context_processor(_notice)
