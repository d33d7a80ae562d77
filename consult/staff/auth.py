"""Signing in and out, and confirming the password again before sensitive actions."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import HTTPException
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from .. import audit, sessions
from ..extensions import db
from ..survey import access as partner_access
from ..templating import form_errors
from ..times import uk_time
from . import accounts, bp, kept_forms, permissions
from .flashes import flash_error
from .permissions import public, requires

THROTTLED = "Too many attempts. Wait 15 minutes, then try again."
WRONG_PASSWORD = "The password is not right"


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


def safe_next(target: str | None) -> str:
    """Only ever redirect within this site (after signing in, or a form's ``back``).

    Browsers read a backslash as a slash, so ``/\\evil.example`` is refused too."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("staff.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    """Staff sign-in, throttled per account and per address."""
    form = SignInForm()
    message = None
    status = 200
    if request.method == "POST" and form.validate():
        email = accounts.normalise_email(form.email.data)[:320]  # no account is longer
        try:
            user = accounts.authenticate(email, form.password.data, request.remote_addr or "")
        except accounts.Throttled:
            audit.record("sign_in_throttled", email, actor=email)
            db.session.commit()
            message, status = (THROTTLED, 429)
        else:
            if user is None:
                audit.record("sign_in_failed", email, actor=email)
                db.session.commit()
                message, status = ("The email address or password is not right.", 200)
            else:
                kept = kept_forms.taken()
                partner = partner_access.partner_state()  # a partner's draft in this browser
                session.clear()
                sessions.regenerate()  # a new session id: a planted one is worth nothing
                partner_access.carry_over(partner)
                login_user(user)
                now = time.time()
                session.update(staff_started=now, staff_seen=now, reauth_at=now)
                # What this person typed before the idle sign-out, if any: back to its form.
                back = kept_forms.hand_over(kept, user.id)
                audit.record("sign_in", user.email)
                db.session.commit()
                return redirect(safe_next(back or request.args.get("next")))
    elif request.method == "POST" and form.csrf_token.errors:
        message = "This page had been open too long. Sign in again."
    if request.method == "GET" and not form.email.data:
        # Typed on this page before its token expired (the password never is).
        form.email.data = kept_forms.sign_in_email()
    kept_forms.drop_expired()
    headers = {"Retry-After": str(int(accounts.THROTTLE_WINDOW.total_seconds()))}
    return (
        render_template("staff/sign_in.html", form=form, message=message, errors=form_errors(form)),
        status,
        (headers if status == 429 else {}),
    )


def _end_session() -> None:
    """Sign out: the server forgets this session, so a copy of its cookie is worth nothing
    (a partner's draft in this browser is not the staff member's: it is carried over)."""
    partner = partner_access.partner_state()
    logout_user()
    session.clear()
    sessions.regenerate()
    partner_access.carry_over(partner, lasting=True)


@bp.post("/sign-out")
@public
def sign_out():
    if current_user.is_authenticated:
        audit.record("sign_out", current_user.email)
        db.session.commit()
    _end_session()
    flash("You have signed out.", "success")
    return redirect(url_for("staff.sign_in"))


@bp.route("/confirm-password", methods=["GET", "POST"])
@requires("reports")
def confirm_password():
    """Enter the password again before exporting or deleting."""
    form = ConfirmPasswordForm()
    if request.method == "POST" and form.validate():
        email = current_user.email
        attempt = accounts.reserve_attempt(email, request.remote_addr or "")
        if attempt is None:
            # Too many wrong passwords: whoever this is, they are signed out.
            audit.record("reauthentication_throttled", email)
            db.session.commit()
            _end_session()
            flash_error(THROTTLED)
            return redirect(url_for("staff.sign_in"), 303)
        if accounts.check_password(current_user, form.password.data):
            attempt.succeeded = True
            session["reauth_at"] = time.time()
            audit.record("reauthenticated", email)
            db.session.commit()
            target = safe_next(request.args.get("next"))
            if is_download(target):
                return redirect(url_for("staff.download_ready", next=target), 303)
            return redirect(target)
        audit.record("reauthentication_failed", email)
        db.session.commit()
        # The field's own error (GOV.UK's pattern: summary, message tied to the field).
        form.password.errors = [WRONG_PASSWORD]
    return render_template("staff/confirm_password.html", form=form, errors=form_errors(form))


def _endpoint(path: str) -> str | None:
    """The GET view answering ``path`` on this site, or None."""
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:  # no such page, or a redirect (RequestRedirect is one)
        return None
    return endpoint


def is_download(target: str) -> bool:
    """True when ``target`` (a path on this site) is a file download that asks for the
    password again: every such GET view answers with an attachment."""
    endpoint = _endpoint(urlsplit(target).path)
    return bool(endpoint and getattr(current_app.view_functions.get(endpoint), "fresh", False))


def page_of_download(target: str) -> str:
    """The page a download is offered on (browsers send no Referer here): the Responses
    page with the same filters for a responses export, else the page one level up (a
    report's run page, a question's coding page), else the staff home page."""
    parts = urlsplit(target)
    parent, _, name = parts.path.rpartition("/")
    if name.startswith("export."):
        responses = f"{parent}/responses"
        if _endpoint(responses):
            return responses + (f"?{parts.query}" if parts.query else "")
    return parent if _endpoint(parent) else url_for("staff.home")


@bp.get("/download-ready")
@requires("reports")
def download_ready():
    """After the password is confirmed for a download: says the download has started
    (starting it), with a link to download it again while the confirmation lasts and a
    way back to the page it is offered on."""
    target = safe_next(request.args.get("next"))
    if not is_download(target):
        return redirect(target)
    until = session.get("reauth_at", 0) + current_app.config["STAFF_REAUTH_SECONDS"]
    return render_template(
        "staff/download_ready.html",
        target=target,
        back=page_of_download(target),
        until=uk_time(datetime.fromtimestamp(until, UTC), "time") if until > time.time() else "",
    )


# Said on the sign-in page when the timeout warning's time ran out.
TIMED_OUT = "You were signed out because you had done nothing for a while. Sign in again."


def _time_left(signed_in: bool, token: bool = False):
    left = int(permissions.seconds_left()) if signed_in else 0
    fresh = {"csrf_token": generate_csrf()} if token and signed_in else {}
    answer = jsonify(signed_in=signed_in, seconds_left=max(left, 0), **fresh)
    answer.headers["Cache-Control"] = "no-store"
    return answer


@bp.get("/session")
@public
def session_time():
    """For the timeout warning (static/js/timeout-warning.mjs): how long this staff session
    has left. Asking is not activity, so an open page does not keep anyone signed in, and
    changes nothing: a session that has run out is ended by the next staff page (which
    keeps a form sent meanwhile, see ``kept_forms``) or :func:`session_ended`. A signed-in
    answer carries a fresh CSRF token for "Stay signed in": the page's own is refused once
    the page is older than ``WTF_CSRF_TIME_LIMIT`` (review fixr17b #4)."""
    return _time_left(current_user.is_authenticated and permissions.seconds_left() >= 0, token=True)


@bp.get("/session/ended")
@public
def session_ended():
    """Where the timeout warning goes when the time is up: the session ends (if it has run
    out) and the sign-in page says why, then comes back to ``next``."""
    back = safe_next(request.args.get("next"))
    if current_user.is_authenticated and permissions.seconds_left() >= 0:
        return redirect(back)  # kept going meanwhile (another tab)
    if current_user.is_authenticated:
        permissions.end_expired_session()
    flash(TIMED_OUT)
    return redirect(url_for("staff.sign_in", next=back))


@bp.post("/session/keep-alive")
@public
def keep_alive():
    """The timeout warning's "Stay signed in": counts as activity, as any staff page does
    (a session that has already run out is not brought back)."""
    if not current_user.is_authenticated:
        return _time_left(False)
    if permissions.session_expired():
        return _time_left(False)
    return _time_left(True)
