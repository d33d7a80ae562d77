"""The staff workspace: sign-in, builder, invitations, responses, exports and dashboards."""

from flask import Blueprint
from flask_wtf.csrf import CSRFError

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import auth, builder, dashboard, invites, responses, views  # noqa: E402,F401
from .fields import field_params  # noqa: E402
from .flashes import flashed_errors, flashed_field_error  # noqa: E402
from .permissions import can, expired_token, seconds_left  # noqa: E402

bp.register_error_handler(CSRFError, expired_token)


@bp.record_once
def _register_template_helpers(state) -> None:
    """Staff templates ask ``can("permission")`` to show only what the user may do, and
    draw form fields with ``field_params`` and GOV.UK Frontend's macros; errors flashed by
    ``flash_error`` go in the error summary (``flashed_errors``) and on their field."""
    state.app.jinja_env.globals["can"] = can
    state.app.jinja_env.globals["field_params"] = field_params
    state.app.jinja_env.globals["flashed_errors"] = flashed_errors
    state.app.jinja_env.globals["flashed_field_error"] = flashed_field_error
    state.app.jinja_env.globals["staff_seconds_left"] = seconds_left
