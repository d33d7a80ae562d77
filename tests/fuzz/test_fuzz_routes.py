"""A seeded share of the route fuzzer in every test run, on SQLite and PostgreSQL: a few
hundred hypothesis-drawn requests from every kind of visitor to every route, never a 500
and never a traceback. ``make fuzz`` (``bench/fuzz.py``) runs 10,000+ of them."""

from __future__ import annotations

import os

import pytest

from tests.fuzz.routes import build_world, fuzz

pytestmark = pytest.mark.backends("sqlite", "postgresql")

REQUESTS = int(os.environ.get("CONSULT_FUZZ_REQUESTS", "150"))
SEED = int(os.environ.get("CONSULT_FUZZ_SEED", "20261202"))


def test_no_request_gives_a_500(app):
    world = build_world(app)
    outcome = fuzz(world, REQUESTS, SEED)
    assert outcome.requests == REQUESTS
    assert not outcome.failures, "\n".join(outcome.failures[:20])
    # The fuzzer reached the views, not only error pages.
    assert outcome.statuses[200] > REQUESTS // 10
    assert len(outcome.statuses) >= 3
