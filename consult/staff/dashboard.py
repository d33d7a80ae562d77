"""A consultation's dashboard page; the figures come from ``figures.dashboard_data``."""

from __future__ import annotations

from flask import render_template

from ..extensions import db
from ..models import Consultation
from . import bp
from .figures import dashboard_data
from .permissions import requires


@bp.get("/consultations/<int:consultation_id>/dashboard")
@requires("reports")
def dashboard(consultation_id: int):
    """Invited vs started vs submitted, responses over time, who responded, closed questions."""
    consultation = db.get_or_404(Consultation, consultation_id)
    return render_template(
        "staff/dashboard.html", consultation=consultation, data=dashboard_data(consultation)
    )
