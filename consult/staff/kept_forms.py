"""What a member of staff typed, kept across the idle sign-out.

A staff session ends after ``STAFF_IDLE_SECONDS`` without a request. Someone who spent that
long writing (a question's wording, a consultation's summary) and then presses the button
would lose it all on the way to the sign-in page. Instead the posted fields are kept in this
browser's session record, on the server (see ``consult/sessions.py``; the cookie holds only
an id), with the id of the member of staff whose session it was:

- never the CSRF token, a password, or an uploaded file (the page asks to choose it again);
- only when the post carried this session's own CSRF token, even an expired one (another site
  cannot plant text);
- only for a form whose page is its own address (the page can show it again), at most
  ``MAX_FIELDS`` fields and ``MAX_CHARACTERS`` characters;
- for ``STAFF_KEPT_FORM_SECONDS`` (then dropped at the browser's next staff request).

Signing in again as the same person on the same browser brings them back to the form with
what they typed filled in and a notice to check it and send it again: nothing is sent for
them. Anyone else signing in on that browser gets nothing, and the kept fields are dropped.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, flash, g, request, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from flask_wtf.form import _Auto
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from wtforms.validators import ValidationError

from .. import csrf_expiry

SESSION_KEY = "kept_form"
SIGN_IN_EMAIL = "sign_in_email"
EMAIL_MAX = 320  # no account's address is longer
MAX_FIELDS = csrf_expiry.KEEP_MAX_FIELDS
MAX_CHARACTERS = csrf_expiry.KEEP_MAX_CHARACTERS
SIGNED_OUT = (
    "You were signed out because you had not done anything for a while. Sign in again: what "
    "you typed has been kept, and you can check it and send it again."
)
PUT_BACK = (
    "What you typed has been put back. Nothing has been saved yet: check it, then send it again."
)
OPEN_TOO_LONG = "This page had been open too long to send."
FILE_AGAIN = " Choose the file again: files are not kept."


def _never_kept(name: str) -> bool:
    lowered = name.lower()
    return lowered == current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") or (
        "password" in lowered
    )


def _own_page() -> str | None:
    """The address of the page this form was posted from, when it is the form's own page
    (the route shows the form on GET); None for a post-only action."""
    adapter = current_app.url_map.bind("localhost", script_name=request.script_root or "/")
    try:
        adapter.match(request.path, method="GET")
    except HTTPException:
        return None
    return page_of(request.full_path)


def page_of(full_path: str) -> str:
    """A path with its query, without the bare ``?`` Flask adds when there is none."""
    return full_path[:-1] if full_path.endswith("?") else full_path


def keep(user_id: int) -> bool:
    """Keep this post's fields for ``user_id`` to find after signing in again; True when
    they were kept (a post from this session's own form, within the limits)."""
    if request.method != "POST":
        return False
    try:
        # This session's own token, however old (no session outlives STAFF_MAX_SECONDS).
        validate_csrf(
            request.form.get("csrf_token"),
            time_limit=current_app.config["STAFF_MAX_SECONDS"],
        )
    except ValidationError:
        return False
    page = _own_page()
    if page is None:
        return False
    fields = [
        [name, value] for name, value in request.form.items(multi=True) if not _never_kept(name)
    ]
    if not csrf_expiry.keepable(fields):
        return False
    session[SESSION_KEY] = {
        "user_id": user_id,
        "page": page,
        "fields": fields,
        "files": any(upload.filename for upload in request.files.values()),
        "at": time.time(),
    }
    return True


def keep_sign_in_email() -> None:
    """The email address typed on a sign-in page posted with an expired token (this
    browser's own: ``csrf_expiry.token_expired``), for the page it is sent back to; never
    the password. Kept in this browser's server-side session until it signs in."""
    email = request.form.get("email", "").strip()[:EMAIL_MAX]
    if email:
        session[SIGN_IN_EMAIL] = email


def sign_in_email() -> str | None:
    """The email address to put back on the sign-in page, if one was kept."""
    email = session.get(SIGN_IN_EMAIL)
    return email if isinstance(email, str) else None


def _current(record: Any) -> bool:
    """Whether a kept record is well formed and not yet expired."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("at"), int | float)
        and time.time() - record["at"] <= current_app.config["STAFF_KEPT_FORM_SECONDS"]
    )


def taken() -> dict[str, Any] | None:
    """The kept fields of this browser, taken out of its session (signing in clears the
    session; :func:`hand_over` puts them back for the right person)."""
    record = session.pop(SESSION_KEY, None)
    return record if _current(record) else None


def drop_expired() -> None:
    """Forget kept fields whose time is up (the sign-in page calls this)."""
    if SESSION_KEY in session and not _current(session[SESSION_KEY]):
        session.pop(SESSION_KEY, None)


def hand_over(record: dict[str, Any] | None, user_id: int) -> str | None:
    """After signing in as ``user_id``: keep the record in the new session when it is this
    person's, and return the page to go back to; otherwise drop it (return None)."""
    if record is None or record.get("user_id") != user_id:
        return None
    session[SESSION_KEY] = record
    return record.get("page")


def put_back(user_id: int) -> None:
    """On a signed-in GET: when the kept fields belong to this person and this page, use
    them to fill the page's form (see :class:`StaffForm`) and say so; expired ones are
    dropped."""
    record = session.get(SESSION_KEY)
    if record is None:
        return
    if not _current(record) or record.get("user_id") != user_id:
        session.pop(SESSION_KEY, None)
        return
    if request.method != "GET" or record.get("page") != page_of(request.full_path):
        return
    session.pop(SESSION_KEY, None)
    g.kept_form = MultiDict([tuple(pair) for pair in record.get("fields", [])])
    flash(PUT_BACK + (FILE_AGAIN if record.get("files") else ""))


def putting_back() -> bool:
    """Whether this request fills its form with kept fields."""
    return g.get("kept_form") is not None


def first_showing() -> bool:
    """A GET showing a form afresh: views fill in their own starting values only then, not
    over what is being put back."""
    return request.method == "GET" and not putting_back()


class KeptFormMeta(FlaskForm.Meta):
    """Form options: on a GET that puts kept fields back, they are the form's data."""

    def wrap_formdata(self, form, formdata):
        if formdata is _Auto and request.method == "GET" and putting_back():
            return g.kept_form
        return super().wrap_formdata(form, formdata)


class StaffForm(FlaskForm):
    """A staff form: what was typed before an idle sign-out comes back into it."""

    Meta = KeptFormMeta
