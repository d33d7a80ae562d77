"""Filter values the service does not know (``?partner_type=nonsense``) on staff pages: the
Responses page says which one with an error summary (a 400), lists what the known filters
select, and its exports refuse with a 400 page naming the value, never a 500 nor a silent
empty or unfiltered file (left27 #2)."""

from __future__ import annotations

import pytest

from consult.filters import unknown_filters
from tests.helpers import error_summary, make_consultation, soup
from tests.staff_helpers import signed_in
from tests.test_exports import exported, listed
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def mixed(app):
    consultation = make_consultation()
    add_response(consultation, "WM-BIZ", "Buses late", ["bus"], org="Acme", area="walsall")
    add_response(consultation, "WM-VCSE", "More trams", ["tram"], org="Trust", partner="vcse")
    add_response(consultation, "WM-DR", "Draft", [], area="walsall", status="draft")
    return consultation


def test_unknown_values_are_named_known_ones_pass():
    assert unknown_filters({"status": "any", "partner_type": "vcse", "area": "walsall"}) == []
    assert unknown_filters({"status": "", "partner_type": "", "q": "anything"}) == []
    problems = unknown_filters({"status": "sent", "partner_type": "nonsense", "area": "Mars"})
    assert [field for field, _ in problems] == ["status", "partner_type", "area"]
    assert "‘nonsense’" in problems[1][1] and "partner type" in problems[1][1]
    long = unknown_filters({"area": "x" * 500})[0][1]
    assert "x" * 40 in long and "x" * 41 not in long  # a value is quoted, cut short


def test_the_responses_page_names_the_unknown_value_and_keeps_the_known_filters(app, mixed):
    client = signed_in(app, "analyst")
    url = f"/staff/consultations/{mixed.id}/responses"
    page = client.get(url, query_string={"partner_type": "nonsense", "area": "walsall"})
    assert page.status_code == 400
    assert error_summary(page) == [
        (
            "#partner_type",
            "The partner type ‘nonsense’ is not one this service knows, so it was not used: "
            "choose one from the list",
        )
    ]
    html = soup(page)
    assert html.title.get_text().startswith("Error: ")
    # The area still filters; the unknown partner type is not a filter matching nothing.
    assert {a.get_text() for a in html.select("#response-list tbody a")} == {"WM-BIZ"}
    assert html.find(id="partner_type").find_parent(class_="govuk-form-group--error")
    assert html.find(id="partner_type-error") is not None
    # The export links carry the known filters only.
    assert "partner_type" not in html.find(id="export-csv")["href"]
    assert "area=walsall" in html.find(id="export-csv")["href"]
    status = client.get(url, query_string={"status": "sent"})
    assert status.status_code == 400
    assert [href for href, _ in error_summary(status)] == ["#status"]
    assert listed(client, mixed) == {"WM-BIZ", "WM-VCSE"}  # known values: unchanged


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_with_an_unknown_value_is_refused_saying_which(app, mixed, fmt):
    client = signed_in(app, "analyst")
    url = f"/staff/consultations/{mixed.id}/export.{fmt}"
    refused = client.get(url, query_string={"area": "Mars", "partner_type": "vcse"})
    assert refused.status_code == 400
    assert refused.content_type.startswith("text/html")
    html = soup(refused)
    text = html.find("main").get_text(" ", strip=True)
    assert "The area ‘Mars’ is not one this service knows" in text
    assert "Nothing was exported" in text
    back = html.find(id="back-to-form")["href"]
    assert back == f"/staff/consultations/{mixed.id}/responses?partner_type=vcse&area=Mars"
    rows = exported(client, mixed, fmt, partner_type="vcse")
    assert [row["reference"] for row in rows] == ["WM-VCSE"]


# --- the organisations and invitations pages, their list and sending ----------------------


@pytest.fixture
def invited(app):
    from tests.helpers import make_invitation

    consultation = make_consultation()
    make_invitation(consultation, name="Acme Ltd")
    return consultation


def test_the_organisations_page_names_an_unknown_value(app, invited):
    client = signed_in(app, "editor")
    page = client.get("/staff/organisations", query_string={"area": "Mars"})
    assert page.status_code == 400
    assert error_summary(page) == [
        (
            "#area",
            "The area ‘Mars’ is not one this service knows, so it was not used: "
            "choose one from the list",
        )
    ]
    assert [r.find("td").get_text() for r in soup(page).find("tbody").find_all("tr")] == [
        "Acme Ltd"
    ]
    assert soup(page).find(id="area-error") is not None
    assert client.get("/staff/organisations?area=coventry").status_code == 200


def test_the_invitations_page_its_list_and_sending_refuse_unknown_values(app, invited):
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{invited.id}/invitations"
    page = client.get(base, query_string={"status": "sent-ish", "partner_type": "business"})
    assert page.status_code == 400
    assert [href for href, _ in error_summary(page)] == ["#status"]
    assert client.get(base, query_string={"status": "not submitted"}).status_code == 200
    for url in (f"{base}.csv", f"{base}/remind", f"{base}/invite-all"):
        refused = client.get(url, query_string={"partner_type": "nonsense"})
        assert refused.status_code == 400, url
        text = soup(refused).find("main").get_text(" ", strip=True)
        assert "The partner type ‘nonsense’ is not one this service knows" in text, url
        assert soup(refused).find(id="back-to-form")["href"].startswith(base + "?")


def test_a_theme_page_names_an_unknown_choice_of_responses(app):
    from tests.reports.stored_runs import store_synthetic_run

    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    run = store_synthetic_run(consultation, question, responses=30, themes=2)
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{run.id}/themes/T01"
    page = client.get(url, query_string={"scope": "everything"})
    assert page.status_code == 400
    assert error_summary(page) == [
        (
            "#scope",
            "The choice of responses ‘everything’ is not one this service knows, so it was "
            "not used: choose one from the list",
        )
    ]
    assert soup(page).find(id="scope").has_attr("checked")  # the main theme's, as before
    assert client.get(url, query_string={"scope": "any"}).status_code == 200
