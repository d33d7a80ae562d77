"""The partner's journey end to end, through the real app and a real SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response
from tests.helpers import (
    ORGANISATION_ANSWERS,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    section_one,
    section_two,
    soup,
)

BASE = "/c/transport-test"

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def start_open(client):
    page = client.get(BASE)
    assert page.status_code == 200
    started = client.post(BASE, data=hidden_fields(page))
    assert started.status_code == 302
    return started


def answer_everything(client, consultation):
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(consultation)).status_code == 302


def test_whole_journey_open_link(client, app):
    consultation = make_consultation()
    start = client.get(BASE)
    text = soup(start).get_text(" ", strip=True)
    assert "Who should answer" in text and "closes on" in text and "about 15 minutes" in text
    assert "How we use your information" in text

    started = client.post(BASE, data=hidden_fields(start))
    assert started.headers["Location"].endswith("/organisation")

    after_org = post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    assert after_org.headers["Location"].endswith("/section/1")
    after_one = post_form(client, f"{BASE}/section/1", section_one(consultation))
    assert after_one.headers["Location"].endswith("/section/2")
    after_two = post_form(client, f"{BASE}/section/2", section_two(consultation))
    assert after_two.headers["Location"].endswith("/check")

    check = client.get(f"{BASE}/check")
    check_text = soup(check).get_text(" ", strip=True)
    for expected in (
        "Tipton Community Trust",
        "Agree",
        "Reliable buses matter.",
        "Bus",
        "Tram",
        "Reliability",
        "More night buses",
        "Sandwell",
    ):
        assert expected in check_text
    change_links = [
        a["href"] for a in soup(check).find_all("a") if a.get_text().startswith("Change")
    ]
    assert f"{BASE}/section/1?return=check#{field(consultation, 'Why')}" in change_links

    sent = post_form(client, f"{BASE}/check", {}, action=None, page=check)
    assert sent.headers["Location"].endswith("/confirmation")
    confirmation = client.get(f"{BASE}/confirmation")
    reference = soup(confirmation).find(id="reference").get_text(strip=True)
    assert reference.startswith("WM-")
    assert "What happens next" in confirmation.get_data(as_text=True)
    assert "More night buses" in confirmation.get_data(as_text=True)  # the printable copy

    response = db.session.scalar(select(Response))
    assert response.status == "submitted" and response.submitted_at is not None
    assert response.reference == reference
    assert response.partner_type == "vcse" and response.area == "sandwell"
    values = {a.question.field_name: a.value for a in response.answers}
    assert values[field(consultation, "Buses should")] == "agree"
    assert values[field(consultation, "Which modes")] == '["bus", "tram"]'
    assert values[field(consultation, "One idea")] == "More night buses"


def test_change_link_returns_to_check_answers(client, app):
    consultation = make_consultation()
    answer_everything(client, consultation)
    changed = post_form(
        client,
        f"{BASE}/section/2?return=check",
        section_two(consultation, **{field(consultation, "One idea"): "Trams"}),
    )
    assert changed.headers["Location"].endswith("/check")
    assert "Trams" in client.get(f"{BASE}/check").get_data(as_text=True)


def test_pages_have_no_html5_validation_and_use_novalidate(client, app):
    make_consultation()
    start_open(client)
    for url in (f"{BASE}/organisation", f"{BASE}/section/1", f"{BASE}/section/2"):
        page = soup(client.get(url))
        assert page.find("form", method="post").has_attr("novalidate")
        assert not page.select("[required]"), url
        assert not page.select("[pattern]"), url
        assert not page.find("script", src=False, nonce=False)  # only the nonce'd inline script


def test_choices_are_one_size_on_every_page(client, app):
    """A new officer saw small radios for "Buses should be franchised" beside large
    checkboxes and radios on the same page: agreement questions use the large radios too."""
    make_consultation()
    start_open(client)
    for url in (f"{BASE}/organisation", f"{BASE}/section/1", f"{BASE}/section/2"):
        page = soup(client.get(url))
        assert page.select(".govuk-radios, .govuk-checkboxes"), url
        assert not page.select(".govuk-radios--small, .govuk-checkboxes--small"), url
    agreement = soup(client.get(f"{BASE}/section/1")).find(
        "legend", string=lambda s: s and "franchised" in s
    )
    assert agreement.find_next(class_="govuk-radios")


def test_invitation_journey_prefills_organisation(client, app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    landed = client.get(f"/i/{token}")
    assert landed.headers["Location"].endswith(BASE)
    start = client.get(BASE)
    assert "on behalf of Acme Ltd" in start.get_data(as_text=True)
    client.post(BASE, data=hidden_fields(start))
    org_page = soup(client.get(f"{BASE}/organisation"))
    assert org_page.find(id="organisation_name")["value"] == "Acme Ltd"
    assert org_page.find("input", {"name": "partner_type", "value": "business"}).has_attr("checked")
    assert org_page.find("input", {"name": "size_band", "value": "small"}).has_attr("checked")
    assert org_page.find("input", {"name": "area", "value": "coventry"}).has_attr("checked")
    assert org_page.find(id="respondent_email")["value"] == "contact@acme.example"


def test_open_link_can_be_turned_off(client, app):
    make_consultation(allow_open_link=False)
    page = client.get(BASE)
    assert page.status_code == 403
    assert "by invitation only" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "_anchor=x",
        "_scheme=x",
        "_method=POST",
        "_external=1&_scheme=javascript",
        "_external=1",
        "return=check&_anchor=q1",
    ],
)
def test_query_named_like_url_for_keywords_is_no_500(client, app, query):
    """A query string is only ever copied into the form's own address: ``?_anchor=x`` or
    ``?_external=1&_scheme=javascript`` once crashed every journey page (``url_for``'s
    keywords), and ``?_external=1`` made the form post to an absolute address."""
    consultation = make_consultation()
    answer_everything(client, consultation)
    for page in ("organisation", "section/1", "check"):
        response = client.get(f"{BASE}/{page}?{query}")
        assert response.status_code == 200, (page, query)
        action = soup(response).find("form", method="post")["action"]
        assert action == f"{BASE}/{page}?{query}", action
        assert action.startswith("/") and not action.startswith("//")


def test_form_action_without_a_query_has_no_question_mark(client, app):
    consultation = make_consultation()
    answer_everything(client, consultation)
    page = client.get(f"{BASE}/section/1?")
    assert soup(page).find("form", method="post")["action"] == f"{BASE}/section/1"
