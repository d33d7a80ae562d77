"""Every staff form a new officer can open by mistake has a way back besides the browser's
(smoke26p finding 4): Add a section, Edit section, Add a question, Edit question, Create and
Edit a consultation, Import a definition and Import responses each have a Cancel link beside
their button, to the page they were opened from, as Add an organisation already had. Cancel
saves nothing."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.models import Section
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def cancel_href(client, url: str) -> str:
    """The href of the page's one Cancel link, which sits with the form's button."""
    page = client.get(url)
    assert page.status_code == 200, url
    html = soup(page)
    links = [a for a in html.select("main a") if a.get_text(strip=True) == "Cancel"]
    assert len(links) == 1, url
    group = links[0].find_parent(class_="govuk-button-group")
    assert group is not None and group.find("button"), url
    return links[0]["href"]


def test_each_builder_form_has_a_cancel_link_back(app):
    consultation = make_consultation()
    section = consultation.sections[0]
    question = section.questions[1]
    client = signed_in(app, "admin")
    home = f"/staff/consultations/{consultation.id}"
    expected = {
        "/staff/consultations/new": "/staff/",
        f"{home}/edit": home,
        f"{home}/sections/new": home,
        f"/staff/sections/{section.id}/edit": home,
        f"/staff/sections/{section.id}/questions/new": home,
        f"/staff/questions/{question.id}/edit": f"{home}#question-{question.id}",
        "/staff/definitions/import": "/staff/",
        f"{home}/import": f"{home}/responses",
    }
    for url, target in expected.items():
        assert cancel_href(client, url) == target, url


def test_cancel_is_a_link_that_saves_nothing(app):
    consultation = make_consultation()
    client = signed_in(app, "admin")
    home = f"/staff/consultations/{consultation.id}"
    target = cancel_href(client, f"{home}/sections/new")
    assert client.get(target).status_code == 200
    db.session.expire_all()
    assert db.session.query(Section).filter_by(consultation_id=consultation.id).count() == 2
