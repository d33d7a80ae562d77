"""Signing in and out, and confirming the password again before sensitive actions."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from .. import audit
from ..extensions import db
from ..templating import form_errors
from . import accounts, bp
from .permissions import public, requires


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
        address = request.remote_addr or ""
        if accounts.is_throttled(form.email.data, address):
            audit.record("sign_in_throttled", form.email.data, actor=form.email.data)
            db.session.commit()
            message, status = ("Too many attempts. Wait 15 minutes, then try again.", 429)
        else:
            user = accounts.authenticate(form.email.data, form.password.data, address)
            if user is None:
                audit.record(
                    "sign_in_failed",
                    accounts.normalise_email(form.email.data),
                    actor=accounts.normalise_email(form.email.data),
                )
                db.session.commit()
                message, status = ("The email address or password is not right.", 200)
            else:
                session.clear()
                login_user(user)
                now = time.time()
                session.update(staff_started=now, staff_seen=now, reauth_at=now)
                audit.record("sign_in", user.email)
                db.session.commit()
                return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST" and form.csrf_token.errors:
        message = "This page had been open too long. Sign in again."
    return render_template(
        "staff/sign_in.html", form=form, message=message, errors=form_errors(form)
    ), status


@bp.post("/sign-out")
@public
def sign_out():
    if current_user.is_authenticated:
        audit.record("sign_out", current_user.email)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("staff.sign_in"))


@bp.route("/confirm-password", methods=["GET", "POST"])
@requires("reports")
def confirm_password():
    """Enter the password again before exporting or deleting."""
    form = ConfirmPasswordForm()
    message = None
    if request.method == "POST" and form.validate():
        if check_password_hash(current_user.password_hash, form.password.data):
            session["reauth_at"] = time.time()
            audit.record("reauthenticated", current_user.email)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
        audit.record("reauthentication_failed", current_user.email)
        db.session.commit()
        message = "The password is not right."
    return render_template(
        "staff/confirm_password.html", form=form, message=message, errors=form_errors(form)
    )
