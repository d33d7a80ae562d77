"""Who may do what: four roles, permissions per role, and the decorators views use."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, flash, jsonify, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFError

from .. import csrf_expiry
from ..extensions import db
from ..models import User
from . import kept_forms

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            "users",
            "audit",
            "build",
            "invite",
            "responses",
            "export",
            "import",
            "delete",
            "analyse",
            "review",
            "reports",
        }
    ),
    "editor": frozenset({"build", "invite", "reports"}),
    # Theme reports: "reports" reads them, "analyse" runs analyses, "review" corrects themes,
    # "export" downloads documents.
    "analyst": frozenset({"responses", "export", "import", "analyse", "review", "reports"}),
    "viewer": frozenset({"reports"}),
}
ROLE_LABELS = {
    "admin": "Admin: users and everything else",
    "editor": "Editor: build consultations, manage invitations",
    "analyst": "Analyst: read responses, run analysis, export",
    "viewer": "Viewer: read reports only",
}

login_manager = LoginManager()
login_manager.login_view = "staff.sign_in"
login_manager.login_message = "Sign in to continue."


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def can(permission: str, user=None) -> bool:
    """Whether the (current) user's role grants this permission."""
    user = user or current_user
    return bool(user.is_authenticated and permission in PERMISSIONS.get(user.role, ()))


def seconds_left(now: float | None = None) -> float:
    """How long this signed-in session has before it ends, idle or in all (negative: it
    has ended), not counting this request as activity."""
    now = time.time() if now is None else now
    config = current_app.config
    started = session.get("staff_started", now)
    seen = session.get("staff_seen", now)
    return min(
        config["STAFF_IDLE_SECONDS"] - (now - seen),
        config["STAFF_MAX_SECONDS"] - (now - started),
    )


def end_expired_session() -> None:
    """Sign out a session that has been idle or alive too long."""
    logout_user()
    session.pop("staff_started", None)
    session.pop("staff_seen", None)
    session.pop("reauth_at", None)


def session_expired(activity: bool = True) -> bool:
    """True when a signed-in session has been idle or alive too long (and ends it);
    otherwise this request counts as activity (unless ``activity`` is False: a page's own
    script asking for something, which must not keep an open page signed in)."""
    now = time.time()
    if seconds_left(now) < 0:
        end_expired_session()
        return True
    if activity:
        session["staff_seen"] = now
    return False


def password_stale() -> bool:
    """Whether the password was last entered too long ago for exporting or deleting."""
    entered = session.get("reauth_at", 0)
    return time.time() - entered > current_app.config["STAFF_REAUTH_SECONDS"]


def requires(permission: str, *, fresh: bool = False, activity: bool = True) -> Callable:
    """Sign-in and this permission for a staff view; ``fresh`` also asks for the password
    again when it was last entered more than a few minutes ago; ``activity=False``: the
    request is not activity that keeps the session from its idle sign-out (a page's script
    polling, as the dashboard's counts do)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            user_id = current_user.id if current_user.is_authenticated else None
            if user_id is None or session_expired(activity):
                return _to_sign_in(user_id)
            if not can(permission):
                abort(403)
            if fresh and password_stale():
                back = kept_forms.page_of(request.full_path)  # no stray "?" at the end
                if request.method == "POST":  # this address takes posts only: back to
                    back = _sent_from()  # the page the form was on, to send it again
                return redirect(url_for("staff.confirm_password", next=back))
            kept_forms.put_back(user_id)
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        wrapped.fresh = fresh  # type: ignore[attr-defined]
        return wrapped

    return decorate


def _to_sign_in(user_id: int | None):
    """To the sign-in page, and back here after. A form posted by someone whose session
    had just run out is kept for them (see ``kept_forms``) and its page is where they come
    back to; after any other post, the page it was sent from (never the post's own address,
    which only takes posts)."""
    back = kept_forms.page_of(request.full_path)
    if request.method == "POST":
        if user_id is not None and kept_forms.keep(user_id):
            flash(kept_forms.SIGNED_OUT)
        else:
            back = _sent_from()
    if session.get("_flashes") is None:
        flash("Sign in to continue.")
    return redirect(url_for("staff.sign_in", next=back))


def _sent_from() -> str:
    """The path of the page a post came from (its Referer, when on this site), or the
    staff home page."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("staff.home")


def expired_token(error: CSRFError):
    """A staff form refused because its CSRF token had expired (the page was open longer
    than ``WTF_CSRF_TIME_LIMIT``): what was typed is kept, as after an idle sign-out. Signed
    out meanwhile: to the sign-in page and back; still signed in: straight back to the
    form, filled in. The sign-in page keeps its email address (see
    ``kept_forms.keep_sign_in_email``). Anything else (no one signed in, nothing to keep, a
    forged token) is answered as every other form is: :func:`consult.csrf_expiry.refused`."""
    user_id = current_user.id if current_user.is_authenticated else None
    if request.endpoint == "staff.keep_alive":
        # The timeout warning's script asks for a fresh token and tries again (fixr17b #4).
        answer = jsonify(signed_in=user_id is not None and not session_expired(), csrf=False)
        answer.status_code = 400
        return answer
    if request.endpoint == "staff.sign_in" and csrf_expiry.token_expired():
        kept_forms.keep_sign_in_email()  # the email (never the password) is put back
    if "expired" not in (error.description or "") or user_id is None:
        return csrf_expiry.refused()
    if session_expired():
        return _to_sign_in(user_id)
    if not kept_forms.keep(user_id):
        return csrf_expiry.refused()
    flash(kept_forms.OPEN_TOO_LONG)
    return redirect(kept_forms.page_of(request.full_path))


def public(view: Callable) -> Callable:
    """Mark a staff route that needs no sign-in (the sign-in pages themselves)."""
    view.permission = None  # type: ignore[attr-defined]
    return view
