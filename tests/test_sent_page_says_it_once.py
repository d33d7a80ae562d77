"""The page after Send says what happened once (smoke26p finding 5): it is a confirmation page,
headed with what happened, whose first paragraph gives the count and why links were not
emailed; a green success banner above it said the same sentence again, and screen readers,
sent to the banner first, heard it twice."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.models import Organisation
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_the_page_after_sending_says_what_happened_once(app):
    consultation = make_consultation()
    for name in ("Alpha Ltd", "Beta Ltd"):
        db.session.add(
            Organisation(
                name=name,
                partner_type="business",
                area="coventry",
                contact_email=f"{name.split()[0].lower()}@example.org",
            )
        )
    db.session.commit()
    ids = [str(o.id) for o in db.session.query(Organisation).all()]
    client = signed_in(app, "editor")
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    sent = post(
        client,
        f"{page_url}/send",
        {"mode": "invite", "organisation": ids},
        page_url=page_url,
        follow_redirects=True,
    )
    html = soup(sent)
    assert html.h1.get_text(strip=True) == "Invitation links created"
    said = " ".join(html.get_text(" ").split())
    sentence = "2 invitation links created; not emailed: no mail server is set up."
    assert said.count(sentence) == 1
    assert html.find(id="sent-count").get_text().startswith(sentence)
    assert html.select_one(".govuk-notification-banner--success") is None
    # The invitations page, where staff go next, has no stale banner either.
    after = soup(client.get(page_url))
    assert after.select_one(".govuk-notification-banner--success") is None
