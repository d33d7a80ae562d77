"""Review (axe 'region'): the back link sat outside every landmark on survey question pages,
check answers, the theme page and the coding form; it now sits in a navigation landmark."""

from __future__ import annotations

import pytest

from tests.helpers import make_consultation, soup
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite")


def test_the_back_link_is_inside_a_navigation_landmark(app, client):
    make_consultation()
    start_open(client)
    for url in (f"{BASE}/organisation", f"{BASE}/section/1"):
        html = soup(client.get(url))
        (link,) = html.select("a.govuk-back-link")
        nav = link.find_parent("nav")
        assert nav is not None and nav["aria-label"] == "Back"
    start = soup(client.get(BASE))
    assert not start.select("nav.consult-back-nav")  # no empty landmark where there is no link
