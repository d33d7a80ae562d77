"""Close now on a real server: the consultation page and the list say when it closed, not
the planned closing date, and retention is counted from then."""

from __future__ import annotations

import os
import re

from tests.test_browser import demo_admin_session, running_server
from tests.test_new_officer import token, words


def test_close_now_shows_when_it_closed(tmp_path):
    with running_server(tmp_path / "served") as (base, invitation_link):
        session = demo_admin_session(base, {**os.environ, **invitation_link.env})
        page = base + "/staff/consultations/1"
        before = words(session.get(page).text)
        planned = re.search(r"Closes (\d+ \w+ \d{4} at [\d:]+[ap]m)", before)[1]
        confirm = session.get(page + "/status/close")
        done = session.post(
            page + "/status",
            data={"csrf_token": token(confirm.text), "action": "close", "confirmed": "yes"},
        )
        assert done.url == page
        after = words(done.text)
        assert "Closes " + planned not in after
        closed = re.search(r"Closed (\d+ \w+ \d{4}) at [\d:]+[ap]m", after)
        assert closed, after
        assert f"Closed before its planned closing date, {planned}." in after
        assert re.search(r"Retention \d+ days after closing, so until \d+ \w+ \d{4}", after)
        listing = words(session.get(base + "/staff/").text)
        assert f"Closed on {closed[1]}" in listing
