"""Report pages (routes on :data:`consult.reports.bp`); thin views over ``runs.py``."""

from __future__ import annotations

from . import bp  # noqa: F401, I001
from . import review_views  # noqa: E402,F401
