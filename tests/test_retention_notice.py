"""A consultation's privacy notice never contradicts its retention setting: the demo keeps
responses as long as its notice promises, the builder refuses a notice and setting that
disagree, and the consultation page warns about a pair already saved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.demo import PRIVACY, load_demo
from consult.extensions import db
from consult.models import Consultation
from consult.retention_notice import conflict, stated_period
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_stated_periods_are_read_from_plain_sentences():
    assert stated_period(PRIVACY).days == 730
    assert stated_period("Responses are retained for 18 months.").days == 548
    assert stated_period("We delete answers 90 days after the consultation closes.").days == 90
    assert stated_period("We keep your answers safe.") is None
    assert conflict("We keep your answers safe.", None) is None
    assert conflict(PRIVACY, 730) is None and conflict(PRIVACY, 731) is None
    assert "until deleted" in conflict(PRIVACY, None)
    assert "365 days" in conflict(PRIVACY, 365)


def test_the_demo_keeps_responses_as_long_as_its_privacy_notice_says(app):
    load_demo(responses=5)
    demo = db.session.scalar(select(Consultation))
    assert stated_period(demo.privacy_notice).words == "two years"
    assert demo.retention_days == 730
    assert conflict(demo.privacy_notice, demo.retention_days) is None
    client = signed_in(app, "editor")
    page = client.get(f"/staff/consultations/{demo.id}").get_data(as_text=True)
    assert "730 days after closing" in page and "kept until deleted" not in page
    assert 'id="retention-conflict"' not in page


def _details(consultation: Consultation, **changes: str) -> dict[str, str]:
    return {
        "title": consultation.title,
        "slug": consultation.slug,
        "minutes_to_complete": "15",
        "allow_open_link": "y",
        "allow_invitations": "y",
        "privacy_notice": PRIVACY,
        "retention_days": "730",
        **changes,
    }


def test_the_builder_refuses_a_notice_the_setting_contradicts(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    url = f"/staff/consultations/{consultation.id}/edit"
    for retention in ("", "365"):
        page = post(client, url, _details(consultation, retention_days=retention))
        assert page.status_code == 200
        errors = soup(page).select(".govuk-error-summary li")
        assert any(
            "privacy notice says responses are kept for two years" in e.get_text() for e in errors
        ), retention
        db.session.expire_all()
        assert db.session.get(Consultation, consultation.id).privacy_notice != PRIVACY
    assert post(client, url, _details(consultation)).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Consultation, consultation.id)
    assert (saved.privacy_notice, saved.retention_days) == (PRIVACY, 730)
    # a notice that says nothing about how long stays free of the setting
    unsaid = _details(consultation, privacy_notice="We keep answers safe.", retention_days="")
    assert post(client, url, unsaid).status_code == 302


def test_the_consultation_page_warns_about_a_saved_contradiction(app):
    consultation = make_consultation()
    consultation.privacy_notice = PRIVACY  # as a definition imported or a demo loaded before
    db.session.commit()
    page = soup(signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}"))
    warning = page.find(id="retention-conflict")
    assert warning is not None
    assert "kept for two years" in warning.get_text()
    assert "keeps them until deleted" in warning.get_text()
