"""smoke34: an officer filtered the Responses page to six responses (a partner type and an
area), opened one, and the only way back on its page (the consultation's name above the
heading) led to the whole list of 276, the filters gone. Each response's link on the list now
carries the list's filters and page, and the response page leads back to that same list."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from consult.extensions import db
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def listed(app):
    consultation = make_consultation()
    add_response(consultation, "WM-DUD1", "Buses late", ["bus"], partner="vcse", area="dudley")
    add_response(consultation, "WM-DUD2", "More trams", ["tram"], partner="vcse", area="dudley")
    add_response(consultation, "WM-COV", "Cheaper fares", ["rail"], area="coventry")
    db.session.commit()
    return consultation


def _links(client, consultation, **filters) -> dict[str, str]:
    page = client.get(f"/staff/consultations/{consultation.id}/responses", query_string=filters)
    assert page.status_code == 200
    return {a.get_text(): a["href"] for a in soup(page).select("#response-list tbody a")}


def test_a_response_opened_from_a_filtered_list_leads_back_to_it(app, listed):
    client = signed_in(app, "analyst")
    links = _links(client, listed, partner_type="vcse", area="dudley", q="Buses")
    assert set(links) == {"WM-DUD1"}
    carried = parse_qs(urlsplit(links["WM-DUD1"]).query)
    assert carried == {
        "status": ["submitted"],
        "partner_type": ["vcse"],
        "area": ["dudley"],
        "q": ["Buses"],
    }
    page = soup(client.get(links["WM-DUD1"]))
    back = page.find(id="back-to-list")
    assert back is not None and back.get_text() == "Back to the responses you filtered"
    again = client.get(back["href"])
    assert {a.get_text() for a in soup(again).select("#response-list tbody a")} == {"WM-DUD1"}
    assert "containing “Buses”" in soup(again).find(id="export-summary").get_text()


def test_a_response_from_the_plain_list_has_no_back_link(app, listed):
    """The plain list's links stay plain, and so does a response opened from anywhere else
    (a report's quote): its caption leads to the whole list, as before."""
    client = signed_in(app, "analyst")
    links = _links(client, listed)
    assert all("?" not in href for href in links.values()) and len(links) == 3
    page = soup(client.get(links["WM-COV"]))
    assert page.find(id="back-to-list") is None
    # Unknown values in a hand-made address are dropped, as the list drops them.
    odd = soup(client.get(links["WM-COV"] + "?area=atlantis&page=zz&status=draft"))
    assert parse_qs(urlsplit(odd.find(id="back-to-list")["href"]).query) == {"status": ["draft"]}
