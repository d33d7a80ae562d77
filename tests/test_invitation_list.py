"""The invitations page's download of the invited organisations: one CSV row each, with
partner type, email, when invited and last reminded, and status; the page's filters apply;
formula-injection safe like the response exports; audited; for people who may invite."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from consult import invitation_list
from consult.extensions import db
from consult.models import AuditEvent, Organisation
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in
from tests.test_staff_organisations import invite

pytestmark = pytest.mark.backends("sqlite", "postgresql")

HOSTILE = '=HYPERLINK("http://evil.example","x")'


def organisation(name: str, **fields) -> Organisation:
    made = Organisation(
        name=name,
        partner_type=fields.pop("partner_type", "business"),
        area="coventry",
        contact_email=fields.pop("contact_email", f"{name[:3].lower()}@example.org"),
        **fields,
    )
    db.session.add(made)
    db.session.commit()
    return made


def read(download) -> list[dict[str, str]]:
    text = download.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def invited(app):
    """Four organisations, three invited: one not started (reminded twice, its address
    bounced), one in progress and one submitted; one never invited."""
    consultation = make_consultation()
    waiting = invite(consultation, organisation(HOSTILE, contact_email="+1@example.org"))
    waiting.sent_at = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)  # 09:30 BST
    waiting.reminded_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 09:00 GMT
    waiting.reminders = 2
    waiting.organisation.bounced = True
    invite(consultation, organisation("Brindley Trust", partner_type="vcse"), "draft")
    invite(consultation, organisation("Canal Works"), "submitted")
    organisation("Never Asked Ltd")
    db.session.commit()
    return consultation


def test_the_list_has_every_invited_organisation_and_is_formula_safe(app, invited):
    client = signed_in(app, "editor")
    url = f"/staff/consultations/{invited.id}/invitations.csv"
    download = client.get(url)
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="transport-test-invitations.csv"'
    )
    rows = read(download)
    assert list(rows[0]) == invitation_list.COLUMNS
    assert [(r["organisation"], r["status"]) for r in rows] == [
        ("'" + HOSTILE, "not started"),  # guarded: a spreadsheet shows it, never runs it
        ("Brindley Trust", "in progress"),
        ("Canal Works", "submitted"),
    ]
    first = rows[0]
    assert first["email"] == "'+1@example.org" and first["email_bounced"] == "yes"
    assert {row["email_bounced"] for row in rows[1:]} == {"no"}
    assert first["invited_at"] == "2026-07-01T09:30:00+01:00"
    assert first["reminded_at"] == "2026-12-01T09:00:00+00:00"
    assert first["reminders"] == "2"
    assert rows[1]["partner_type"] == "Voluntary, community or social enterprise"
    assert rows[1]["reminded_at"] == "" and rows[1]["reminders"] == "0"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "invitation_list_downloaded")
    )
    assert event is not None and event.target == "transport-test"


def test_the_page_links_to_the_list_with_its_filters(app, invited):
    client = signed_in(app, "editor")
    page_url = f"/staff/consultations/{invited.id}/invitations"
    link = soup(client.get(page_url)).find(id="invitation-list").find("a")
    assert link["href"] == f"{page_url}.csv"
    filtered = soup(client.get(f"{page_url}?partner_type=business&status=not+submitted"))
    link = filtered.find(id="invitation-list").find("a")
    assert "matching your filters" in link.get_text()
    assert link["href"] == f"{page_url}.csv?partner_type=business&status=not+submitted"
    rows = read(client.get(link["href"]))
    assert [r["organisation"] for r in rows] == ["'" + HOSTILE]
    none = read(client.get(f"{page_url}.csv?status=not+invited&q=zzz&partner_type=business"))
    assert none == []  # the heading row only: nobody invited matches
    # A value the service does not know is refused, saying which (left27: it was ignored).
    unknown = client.get(f"{page_url}.csv?partner_type=nonsense")
    assert unknown.status_code == 400 and "‘nonsense’" in unknown.get_data(as_text=True)


def test_no_link_before_anyone_is_invited_and_only_for_people_who_may_invite(app):
    consultation = make_consultation()
    organisation("Never Asked Ltd")
    editor = signed_in(app, "editor")
    page = soup(editor.get(f"/staff/consultations/{consultation.id}/invitations"))
    assert page.find(id="invitation-list") is None
    viewer = signed_in(app, "viewer", "viewer@example.org")
    refused = viewer.get(f"/staff/consultations/{consultation.id}/invitations.csv")
    assert refused.status_code == 403
    assert editor.get("/staff/consultations/999/invitations.csv").status_code == 404
