"""collect29 #5: the dashboard's counts keep themselves up to date. The page says how many
responses are sent and started, with the time; its script asks ``/dashboard/counts`` (JSON)
for the latest, which says what changed since the page was loaded. Asking is not activity:
an open dashboard still signs out when idle."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from consult.extensions import db
from consult.staff.live_counts import Counts, change, summary
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in
from tests.test_staff_figures import respond

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_the_sentences_count_and_say_what_changed():
    at = datetime(2026, 12, 7, 10, 42, tzinfo=UTC)
    assert summary(Counts(12, 3), at) == "12 responses sent and 3 started but not sent, at 10:42am."
    assert summary(Counts(1, 0), at).startswith("1 response sent and 0 started")
    assert change(Counts(2, 1), Counts(2, 1)) == ""
    assert change(Counts(2, 1), Counts(3, 1)) == (
        "1 new response sent since this page was loaded. "
        "Reload the page to see it in the charts below."
    )
    assert change(Counts(2, 1), Counts(4, 0)).startswith(
        "2 new responses sent since this page was loaded; 0 started but not sent (was 1)."
    )


def test_the_dashboard_and_its_counts(app):
    consultation = make_consultation()
    respond(consultation, "WM-A1")
    respond(consultation, "WM-A2", status="draft")
    db.session.commit()
    client = signed_in(app, "analyst")
    base = f"/staff/consultations/{consultation.id}/dashboard"
    page = soup(client.get(base))
    box = page.find(id="live-counts")
    assert (box["data-submitted"], box["data-drafts"]) == ("1", "1")
    assert box["data-counts-url"] == f"{base}/counts"
    assert (
        page.find(id="counts-summary")
        .get_text()
        .startswith("1 response sent and 1 started but not sent, at ")
    )
    live = page.find(id="counts-change")
    assert live["aria-live"] == "polite" and live.get_text() == ""
    assert page.find("script", src=lambda s: s and "dashboard-live.mjs" in s)

    respond(consultation, "WM-A3")
    db.session.commit()
    answer = client.get(f"{base}/counts?submitted=1&drafts=1")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    data = answer.get_json()
    assert (data["submitted"], data["drafts"]) == (2, 1)
    assert data["change"].startswith("1 new response sent since this page was loaded")
    # Odd values of what the page showed are not trusted: nothing said changed.
    assert client.get(f"{base}/counts?submitted=x&drafts=-4").get_json()["change"] == ""


def test_asking_for_the_counts_is_not_activity(app):
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    url = f"/staff/consultations/{consultation.id}/dashboard/counts"
    earlier = time.time() - 60
    with client.session_transaction() as session:
        session["staff_seen"] = earlier
    assert client.get(url).status_code == 200
    with client.session_transaction() as session:
        assert session["staff_seen"] == earlier  # an open dashboard does not keep anyone in
    # Idle too long: the sign-in page, not the counts (the script stops asking).
    with client.session_transaction() as session:
        session["staff_seen"] = time.time() - app.config["STAFF_IDLE_SECONDS"] - 5
    gone = client.get(url)
    assert gone.status_code == 302 and "/staff/sign-in" in gone.headers["Location"]
