"""The business-size question is asked of businesses only (smoke26p finding 2, listed in the
accessibility statement as a known issue): "If you are a business, how many people do you
employ?" followed the list of organisation types and showed to every organisation. It is now
revealed under the "Business" type (GOV.UK's conditional reveal: shown there, under Business,
without JavaScript), on the open link's page and an invitation's, and the statement no
longer lists it."""

from __future__ import annotations

import pytest

from tests.helpers import make_consultation, make_invitation, soup
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def size_reveal(page):
    """The partner-type radio that reveals the size question, and its revealed block."""
    html = soup(page)
    sizes = html.select("input[name=size_band]")
    assert sizes, "no size question"
    block = sizes[0].find_parent(class_="govuk-radios__conditional")
    assert block is not None, "the size question is not revealed by a choice"
    # GOV.UK Frontend's script turns data-aria-controls into aria-controls.
    owner = html.find("input", attrs={"data-aria-controls": block["id"]})
    return owner, block, sizes


def test_the_open_links_size_question_is_revealed_under_business(app, client):
    make_consultation()
    start_open(client)
    owner, block, sizes = size_reveal(client.get(f"{BASE}/organisation"))
    assert owner["name"] == "partner_type" and owner["value"] == "business"
    assert all(block in size.parents for size in sizes)
    # Still inside "For an organisation": an individual is not asked it either.
    outer = block.find_parent(class_="govuk-radios__conditional")
    assert outer is not None and outer["id"] == "conditional-answering_as"


def test_an_invitations_size_question_is_revealed_under_business(app, client):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    page = client.get(f"{BASE}/organisation")
    if page.status_code == 302:
        page = client.get(page.headers["Location"])
    owner, block, _ = size_reveal(page)
    assert owner["name"] == "partner_type" and owner["value"] == "business"
    # The invitation's business is ticked, so its size shows at once.
    assert owner.has_attr("checked")


def test_the_statement_no_longer_lists_the_size_question(client):
    issues = soup(client.get("/accessibility")).find(id="known-issues").get_text()
    assert "how many people a business employs" not in issues
    assert "business-size" not in soup(client.get("/accessibility")).get_text()
