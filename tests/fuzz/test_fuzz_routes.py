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
# The lost-session visitors' own share: about one request in thirty is a page they post
# with their session lost, so at 150 requests the seed drew 4 of them and a CI run, whose
# world differed a little, none; at 500 each seed tried drew 15 or more.
LOST_REQUESTS = max(REQUESTS, 500)


def test_no_request_gives_a_500(app):
    world = build_world(app)
    outcome = fuzz(world, REQUESTS, SEED)
    assert outcome.requests >= REQUESTS  # a lost visitor's redirects are followed too
    assert not outcome.failures, "\n".join(outcome.failures[:20])
    # The fuzzer reached the views, not only error pages.
    assert outcome.statuses[200] > REQUESTS // 10
    assert len(outcome.statuses) >= 3


def test_a_lost_session_never_gives_a_500(app):
    """The lost-session visitors alone (issue 11): a partner whose session cookie expired
    or whose session the server forgot, posting pages with its own, another draft's or a
    made-up ``draft`` key and any ``Sec-Fetch-Site``, reading what-you-typed.txt, and a
    partner's browser a member of staff signed in on."""
    world = build_world(app, with_run=False)
    outcome = fuzz(world, LOST_REQUESTS, SEED, focus=True)
    assert not outcome.failures, "\n".join(outcome.failures[:20])
    reached = outcome.reached
    # Their posts were answered (a lost one by the dead end's 303), what-you-typed.txt was
    # asked for, and the partner's browser a member of staff signed in on posted its pages.
    assert sum(n for path, n in reached.items() if path.startswith("POST survey page by lost ("))
    assert any(path.startswith("GET what-you-typed.txt") for path in reached)
    assert any(path.startswith("POST survey page by partner-staff") for path in reached)
