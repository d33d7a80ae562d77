"""Plain content pages linked from every page's footer: privacy, accessibility statement,
cookies and contact. Anyone can read them; none needs signing in."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory

bp = Blueprint("pages", __name__)

# The accessibility statement's dates: when it was prepared and the service last tested.
STATEMENT_PREPARED = "2 December 2026"


def contact_email() -> str:
    """Where people write to the consultation team: ``CONTACT_EMAIL``, else ``MAIL_SENDER``."""
    config = current_app.config
    return config.get("CONTACT_EMAIL") or config.get("MAIL_SENDER") or ""


def session_cookie() -> dict[str, str]:
    """The one cookie the service sets: the session id (the session is kept on the server)."""
    days = int(current_app.permanent_session_lifetime.total_seconds() // 86400)
    return {
        "name": current_app.config.get("SESSION_COOKIE_NAME") or "session",
        "expires": (
            f"{days} days after your last visit if you have started a response; otherwise "
            "when you close your browser"
        ),
    }


@bp.get("/privacy")
def privacy():
    """How the service uses personal data."""
    return render_template("pages/privacy.html", contact=contact_email())


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement, on the GOV.UK model."""
    return render_template(
        "pages/accessibility.html", contact=contact_email(), prepared=STATEMENT_PREPARED
    )


@bp.get("/cookies")
def cookies():
    """The cookies the service sets: only a strictly necessary session cookie."""
    return render_template("pages/cookies.html", cookie=session_cookie())


@bp.get("/contact")
def contact():
    """How to reach the consultation team."""
    return render_template("pages/contact.html", contact=contact_email())


@bp.get("/favicon.ico")
def favicon():
    """The service's icon (a speech bubble drawn for it, as SVG) where browsers look for it
    by default; pages also name it with a ``<link rel="icon">``."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
