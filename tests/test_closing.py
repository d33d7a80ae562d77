"""Close now records when the consultation really closed: the pages show that time, not the
planned closing date, and retention counts from it (also for a consultation with no closing
date, which used to be kept for ever)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.extensions import db
from consult.models import Consultation, Response, as_utc, utcnow
from consult.retention import due_for_purge, purge
from consult.staff import building
from consult.times import uk_time
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def add_submitted(consultation: Consultation) -> Response:
    response = Response(
        consultation=consultation,
        reference="ABC-123",
        status="submitted",
        submitted_at=utcnow(),
        organisation_name="Acme Ltd",
        partner_type="business",
        area="coventry",
    )
    db.session.add(response)
    db.session.commit()
    return response


def test_close_now_shows_the_real_closing_time_not_the_planned_one(app):
    consultation = make_consultation(closes_in=timedelta(days=90))
    consultation.retention_days = 365
    db.session.commit()
    planned = uk_time(consultation.closes_at)
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}"
    before = utcnow()
    post(client, f"{base}/status", {"action": "close", "confirmed": "yes"}, page_url=base)
    db.session.expire_all()
    closed = db.session.get(Consultation, consultation.id)
    assert closed.status == "closed"
    assert before - timedelta(seconds=1) <= as_utc(closed.closed_at) <= utcnow()
    assert uk_time(closed.closes_at) == planned  # the planned date is kept, as planned

    page = soup(client.get(base))
    row = page.find(id="consultation-closed").get_text(" ", strip=True)
    assert row.startswith(f"Closed {uk_time(closed.closed_at)}")
    assert f"before its planned closing date, {planned}" in row
    kept = uk_time(closed.closed_at + timedelta(days=365), "date")
    assert page.find(id="consultation-retention").get_text(" ", strip=True) == (
        f"365 days after closing , so until {kept}"
    ).replace(" ,", ",")
    listing = soup(client.get("/staff/")).get_text(" ", strip=True)
    assert f"Closed on {uk_time(closed.closed_at, 'date')}" in listing
    assert uk_time(closed.closes_at, "date") not in listing


def test_reopening_forgets_the_closing_time(app):
    consultation = make_consultation()
    building.set_status(consultation, "close")
    assert consultation.closed_at is not None
    building.set_status(consultation, "open")
    db.session.commit()
    assert consultation.closed_at is None and consultation.closed_on() is None


def test_retention_counts_from_close_now_not_from_the_planned_date(app):
    consultation = make_consultation(closes_in=timedelta(days=300))
    consultation.retention_days = 365
    consultation.opens_at = utcnow() - timedelta(days=500)
    add_submitted(consultation)
    building.set_status(consultation, "close", now=utcnow() - timedelta(days=400))
    db.session.commit()
    assert [c.slug for c, _ in due_for_purge()] == [consultation.slug]
    purge(mode="anonymise")
    assert all(r.anonymised_at for r in db.session.query(Response).all())


def test_closed_early_is_not_purged_before_its_time(app):
    consultation = make_consultation(closes_in=timedelta(days=30))
    consultation.retention_days = 365
    consultation.opens_at = utcnow() - timedelta(days=20)
    add_submitted(consultation)
    building.set_status(consultation, "close", now=utcnow() - timedelta(days=10))
    db.session.commit()
    assert due_for_purge() == []
    assert due_for_purge(now=utcnow() + timedelta(days=356)) != []


def test_no_closing_date_closed_by_hand_is_purged_after_retention(app):
    """This consultation used to be skipped for ever, against its privacy notice."""
    consultation = make_consultation(closes_in=None)
    consultation.retention_days = 30
    add_submitted(consultation)
    assert due_for_purge(now=utcnow() + timedelta(days=1000)) == []  # still open
    consultation.opens_at = utcnow() - timedelta(days=50)
    building.set_status(consultation, "close", now=utcnow() - timedelta(days=31))
    db.session.commit()
    assert [c.slug for c, _ in due_for_purge()] == [consultation.slug]


def test_a_closing_date_that_passed_counts_as_closing(app):
    consultation = make_consultation(closes_in=timedelta(days=-40))
    consultation.retention_days = 30
    add_submitted(consultation)
    assert as_utc(consultation.closed_on()) == as_utc(consultation.closes_at)
    assert [c.slug for c, _ in due_for_purge()] == [consultation.slug]
