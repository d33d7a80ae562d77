"""The partner's journey: start, organisation, sections, check answers, confirmation."""

from flask import Blueprint

bp = Blueprint("survey", __name__)

from . import views  # noqa: E402,F401
