"""The staff search boxes read ``%`` and ``_`` as the characters typed, not as SQL wildcards
(smoke26p finding 1): on the Responses page a search for "%" listed, and exported, every
response, and "50%" matched "50" followed by anything; a theme's page listed all its responses
for "%". The organisations search already escaped them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import pages
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in
from tests.test_exports import exported, listed
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def percents(app):
    """Responses whose answers differ only around a per cent sign and an underscore."""
    consultation = make_consultation()
    add_response(consultation, "WM-PCT", "Fares 50% cheaper please", ["bus"])
    add_response(consultation, "WM-FIFTY", "Fares 500 pence is too much", ["bus"])
    add_response(consultation, "WM-UNDER", "See file fares_2027 attached", ["bus"])
    add_response(consultation, "WM-PLAIN", "Fares 5 0 pence", ["bus"])
    return consultation


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("%", {"WM-PCT"}),
        ("50%", {"WM-PCT"}),
        ("%%", set()),
        ("_", {"WM-UNDER"}),
        ("fares_2027", {"WM-UNDER"}),
        ("5_0", set()),
        ("\\", set()),
        ("50", {"WM-PCT", "WM-FIFTY"}),
    ],
)
def test_the_response_search_matches_what_was_typed(app, percents, typed, expected):
    client = signed_in(app, "admin")
    assert listed(client, percents, q=typed) == expected
    # The export of "the responses that match these filters" is the same set.
    rows = exported(client, percents, q=typed, status="submitted")
    assert {row["reference"] for row in rows} == expected


def test_the_response_page_counts_the_matches_of_a_per_cent_sign(app, percents):
    client = signed_in(app, "admin")
    page = client.get(f"/staff/consultations/{percents.id}/responses", query_string={"q": "%"})
    text = " ".join(soup(page).get_text(" ").split())
    assert "Export the 1 response that matches these filters" in text


def test_a_themes_search_matches_what_was_typed(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    run = store_synthetic_run(consultation, question, responses=60, themes=3)
    client = signed_in(app, "analyst")
    theme = db.session.scalars(
        select(pages.RunTheme).where(pages.RunTheme.run_id == run.id, pages.RunTheme.key == "T02")
    ).one()
    member = db.session.scalars(
        select(pages.RunAssignment).where(pages.RunAssignment.theme_id == theme.id)
    ).first()
    member.text = "Cut fares by 50% for under_25s"
    db.session.commit()
    url = f"/staff/reports/runs/{run.id}/themes/T02"
    for typed in ("%", "50%", "under_25"):
        found = client.get(url, query_string={"q": typed})
        text = " ".join(soup(found).get_text(" ").split())
        assert f"1 response matching “{typed}”" in text, typed
    for typed in ("%%", "under%25", "50_"):
        found = client.get(url, query_string={"q": typed})
        text = " ".join(soup(found).get_text(" ").split())
        assert f"0 responses matching “{typed}”" in text, typed
