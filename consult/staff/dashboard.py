"""A consultation's dashboard page; the figures come from ``figures.dashboard_data``, the
counts that keep themselves up to date from ``live_counts``."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request

from ..edge import bounded_int
from ..extensions import db
from ..models import Consultation, utcnow
from . import bp, live_counts
from .figures import dashboard_data
from .permissions import requires


@bp.get("/consultations/<int:consultation_id>/dashboard")
@requires("reports")
def dashboard(consultation_id: int):
    """Invited vs started vs submitted, responses over time, who responded, closed questions."""
    consultation = db.get_or_404(Consultation, consultation_id)
    counts = live_counts.current(consultation)
    return render_template(
        "staff/dashboard.html",
        consultation=consultation,
        data=dashboard_data(consultation),
        counts=counts,
        counts_summary=live_counts.summary(counts, utcnow()),
        poll_seconds=current_app.config["DASHBOARD_POLL_SECONDS"],
    )


@bp.get("/consultations/<int:consultation_id>/dashboard/counts")
@requires("reports", activity=False)
def dashboard_counts(consultation_id: int):
    """The dashboard's counts now, as JSON, for its script (``?submitted=&drafts=``: what the
    page showed). Asking is not activity: a dashboard left open still signs out when idle,
    and the script, sent to the sign-in page instead of JSON, stops asking."""
    consultation = db.get_or_404(Consultation, consultation_id)
    counts = live_counts.current(consultation)
    shown = live_counts.Counts(
        submitted=bounded_int(request.args.get("submitted"), counts.submitted, low=0),
        drafts=bounded_int(request.args.get("drafts"), counts.drafts, low=0),
    )
    response = jsonify(
        **counts.as_dict(),
        summary=live_counts.summary(counts, utcnow()),
        change=live_counts.change(shown, counts),
    )
    response.headers["Cache-Control"] = "no-store"
    return response
