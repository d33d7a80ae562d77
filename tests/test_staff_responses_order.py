"""The staff Responses list: newest first by when each response was submitted (a draft by
when it was last saved), said on the page, with paging that shows every response once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from consult.extensions import db
from consult.models import Response
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=UTC)


def add(consultation, reference: str, sent: datetime | None, saved: datetime) -> None:
    db.session.add(
        Response(
            consultation=consultation,
            reference=reference,
            status="submitted" if sent else "draft",
            submitted_at=sent,
            created_at=saved,
            updated_at=saved,
            organisation_name=f"Organisation {reference}",
        )
    )
    db.session.commit()  # one at a time: the ids run in this order


def listed(client, consultation, **args) -> list[str]:
    page = client.get(f"/staff/consultations/{consultation.id}/responses", query_string=args)
    assert page.status_code == 200
    return [a.get_text() for a in soup(page).select("#response-list tbody a")]


@pytest.fixture
def out_of_order(app):
    """Responses added in an order unlike their submission (smoke finding: the list read
    27 Nov, 30 Nov, 5 Dec, 26 Nov, as it went by internal id)."""
    consultation = make_consultation()
    add(consultation, "WM-A", at(27), at(27))
    add(consultation, "WM-B", at(30), at(30))
    add(consultation, "WM-C", at(5, 12), at(5, 12))
    add(consultation, "WM-D", at(26), at(26))
    add(consultation, "WM-DRAFT", None, at(1, 12))  # started long ago, last saved 1 Dec
    add(consultation, "WM-E", at(26), at(20))  # sent at the same moment as WM-D
    return consultation


def test_newest_submission_first_and_the_page_says_so(app, out_of_order):
    client = signed_in(app, "analyst")
    assert listed(client, out_of_order) == ["WM-C", "WM-B", "WM-A", "WM-E", "WM-D"]
    assert listed(client, out_of_order, status="any") == [
        "WM-C",
        "WM-DRAFT",
        "WM-B",
        "WM-A",
        "WM-E",
        "WM-D",
    ]
    page = soup(client.get(f"/staff/consultations/{out_of_order.id}/responses?status=draft"))
    order = " ".join(page.find(id="list-order").get_text().split())
    assert order == (
        "Newest first, by when each response was submitted (a draft by when it was last saved)."
    )
    [row] = page.select("#response-list tbody tr")
    assert row.select("td")[-1].get_text() == "Last saved 1 December 2026 at 10am"


def test_paging_shows_each_response_once_in_the_same_order(app, out_of_order, monkeypatch):
    monkeypatch.setattr("consult.staff.responses.PAGE_SIZE", 2)
    client = signed_in(app, "analyst")
    pages = [listed(client, out_of_order, status="any", page=n) for n in (1, 2, 3)]
    assert pages == [["WM-C", "WM-DRAFT"], ["WM-B", "WM-A"], ["WM-E", "WM-D"]]
