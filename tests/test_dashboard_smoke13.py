"""smoke13 finding 12: the dashboard's open-link note said "1 response has been started
through the open link ... They are not counted"; one response is "It is"."""

from __future__ import annotations

import pytest

from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in
from tests.test_staff_figures import respond


def note(app, consultation) -> str:
    page = signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}/dashboard")
    return soup(page).find(id="open-link-note").get_text(" ", strip=True)


@pytest.mark.parametrize(
    "status, opening",
    [
        ("draft", "1 response has been started through the open link, without an invitation, "),
        ("submitted", "1 response was submitted through the open link, without an invitation."),
    ],
)
def test_one_open_link_response_is_it(app, status, opening):
    consultation = make_consultation()
    respond(consultation, "WM-O1", status=status)
    said = note(app, consultation)
    assert said.startswith(opening), said
    assert said.endswith("It is not counted in the invited figures above."), said


def test_two_open_link_responses_are_they(app):
    consultation = make_consultation()
    respond(consultation, "WM-O1")
    respond(consultation, "WM-O2", status="draft")
    said = note(app, consultation)
    assert said.endswith("They are not counted in the invited figures above."), said
