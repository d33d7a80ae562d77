"""The staff workspace: sign-in, builder, invitations, responses, exports and dashboards."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import auth, builder, dashboard, invites, responses, views  # noqa: E402,F401
