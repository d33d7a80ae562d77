"""After "Confirm your password" for a download, the page says the download has started
(and starts it), offers it again while the confirmation lasts, and leads back to the page
the download was asked for from, instead of staying on an empty password form."""

from __future__ import annotations

import pytest

from tests.helpers import make_consultation, soup
from tests.staff_helpers import PASSWORD, post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_confirming_for_a_download_lands_on_a_download_started_page(app):
    consultation = make_consultation()
    client = signed_in(app, "admin")
    with client.session_transaction() as session:
        session["reauth_at"] = 0
    page = f"/staff/consultations/{consultation.id}/responses?status=submitted"
    url = f"/staff/consultations/{consultation.id}/export.csv?status=submitted"
    prompt = client.get(url)
    assert "/staff/confirm-password" in prompt.headers["Location"]
    done = post(client, prompt.headers["Location"], {"password": PASSWORD})
    assert done.status_code == 303
    ready = client.get(done.headers["Location"])
    html = soup(ready)
    assert html.h1.get_text() == "Your download has started"
    assert html.title.get_text().startswith("Your download has started")
    refresh = html.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == f"0; url={url}"
    again = html.find(id="download-again")
    assert again.find("a")["href"] == url and "without your password until" in again.get_text()
    assert html.find(id="back")["href"] == page
    download = client.get(url)
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]


def test_other_pages_after_confirming_are_reached_directly(app):
    client = signed_in(app, "admin")
    with client.session_transaction() as session:
        session["reauth_at"] = 0
    confirm = "/staff/confirm-password?next=/staff/users"
    done = post(client, confirm, {"password": PASSWORD})
    assert done.headers["Location"] == "/staff/users"
    # The ready page for something that is not a download just goes there.
    assert client.get("/staff/download-ready?next=/staff/users").headers["Location"] == (
        "/staff/users"
    )
    away = client.get("/staff/download-ready?next=https://evil.example/x.csv")
    assert away.headers["Location"] == "/staff/"


def test_the_way_back_is_the_page_the_download_is_offered_on(app):
    from consult.staff.auth import page_of_download

    assert page_of_download("/staff/reports/runs/2/report.docx") == "/staff/reports/runs/2"
    assert page_of_download("/staff/consultations/3/export.csv?area=dudley") == (
        "/staff/consultations/3/responses?area=dudley"
    )
    assert page_of_download("/staff/reports/questions/4/coding/download.xlsx") == (
        "/staff/reports/questions/4/coding"
    )
    with app.test_request_context():
        assert page_of_download("/nowhere/x.csv") == "/staff/"
