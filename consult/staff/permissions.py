"""Who may do what: four roles, permissions per role, and the decorators views use."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user

from ..extensions import db
from ..models import User

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


def session_expired() -> bool:
    """True when a signed-in session has been idle or alive too long (and ends it)."""
    now = time.time()
    config = current_app.config
    started = session.get("staff_started", now)
    seen = session.get("staff_seen", now)
    if now - seen > config["STAFF_IDLE_SECONDS"] or now - started > config["STAFF_MAX_SECONDS"]:
        logout_user()
        session.pop("staff_started", None)
        session.pop("staff_seen", None)
        session.pop("reauth_at", None)
        return True
    session["staff_seen"] = now
    return False


def requires(permission: str, *, fresh: bool = False) -> Callable:
    """Sign-in and this permission for a staff view; ``fresh`` also asks for the password
    again when it was last entered more than a few minutes ago."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or session_expired():
                if session.get("_flashes") is None:
                    flash("Sign in to continue.")
                return redirect(url_for("staff.sign_in", next=request.full_path))
            if not can(permission):
                abort(403)
            if fresh:
                entered = session.get("reauth_at", 0)
                if time.time() - entered > current_app.config["STAFF_REAUTH_SECONDS"]:
                    return redirect(url_for("staff.confirm_password", next=request.full_path))
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        wrapped.fresh = fresh  # type: ignore[attr-defined]
        return wrapped

    return decorate


def public(view: Callable) -> Callable:
    """Mark a staff route that needs no sign-in (the sign-in pages themselves)."""
    view.permission = None  # type: ignore[attr-defined]
    return view
