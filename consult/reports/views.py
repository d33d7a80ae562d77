"""Report pages (routes on :data:`consult.reports.bp`); thin views over ``runs.py``."""

from __future__ import annotations  # noqa: I001  (review_views is imported last, on purpose)

from . import bp  # noqa: F401
from . import review_views  # noqa: E402,F401
