"""Scheduling through a real server process (``flask run`` on the demo) and plain HTTP: a
staff member schedules a draft, partners following its links before the date are told when
it opens (the invitation email says so too), and once the date has passed the same links
open the survey with nothing else done."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from consult.models import utcnow
from tests.test_browser import (
    By,
    axe_violations,
    demo_admin_session,
    make_driver,
    running_server,
)
from tests.test_new_officer import add_question, create, invite_one, token, words

requests = pytest.importorskip("requests")

# Run in another process against the server's database: the opening date moves to a minute
# ago, as if the time had come. (The ORM renews the definition key, so the server reads the
# consultation again; when time really passes nothing changes in the database at all, since
# availability is worked out from the time on every request.)
TIME_PASSES = """
import sys
from datetime import timedelta
from consult import create_app
from consult.extensions import db
from consult.models import Consultation, utcnow
app = create_app()
with app.app_context():
    item = db.session.scalar(db.select(Consultation).where(Consultation.slug == sys.argv[1]))
    item.opens_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo on a real server, a requests session signed in as its admin, and the
    server's settings (its instance folder holds the outbox)."""
    with running_server(tmp_path_factory.mktemp("schedule")) as (base, invitation_link):
        env = {**os.environ, **invitation_link.env}
        session = demo_admin_session(base, env)
        yield base, session, env


def schedule(session, consultation: str):
    page = session.get(consultation + "/status/schedule")
    return session.post(
        consultation + "/status",
        data={"csrf_token": token(page.text), "action": "schedule", "confirmed": "yes"},
    )


def test_schedule_then_the_links_say_when_then_they_open(server):
    base, session, env = server
    day = (utcnow() + timedelta(days=10)).date()
    typed = f"{day.day} {day:%B %Y} at 9am"
    consultation = create(
        base, session, title="Scheduled buses", slug="scheduled-buses", opens_at=typed
    ).url
    assert re.search(r"/staff/consultations/\d+$", consultation)
    add_question(session, consultation)

    overview = session.get(consultation).text
    assert f"Schedule to open on {typed}" in words(overview)
    confirm = session.get(consultation + "/status/schedule").text
    assert f"Are you sure you want to schedule Scheduled buses to open on {typed}?" in words(
        confirm
    )
    done = session.post(
        consultation + "/status",
        data={"csrf_token": token(confirm), "action": "schedule", "confirmed": "yes"},
    )
    shown = words(done.text)
    assert f"The consultation is scheduled to open on {typed}" in shown
    assert "Consultation · scheduled" in shown
    listed = words(session.get(base + "/staff/").text)
    assert f"Scheduled buses Scheduled Opens {typed}" in listed

    # Partners: the open link and an invitation say when it opens.
    sent = invite_one(session, consultation)
    shown = words(sent.text)
    assert "1 invitation link created; not emailed: no mail server is set up." in shown, shown
    link = re.search(r'href="(http://[^"]+/i/[^"]+)"', sent.text)[1]
    outbox = Path(env["CONSULT_INSTANCE_PATH"]) / "outbox"
    [email] = outbox.glob("*.eml")
    body = message_from_bytes(email.read_bytes(), policy=policy.default).get_content()
    assert f"The consultation opens on {typed} (UK time): the link will work from then." in body
    # Partners: the open link and an invitation say when it opens, on its start page with
    # no start button, and the list of consultations shows it as opening soon.
    for url in (base + "/c/scheduled-buses", base + urlsplit(link).path):
        before = requests.get(url)
        assert before.status_code == 200, url
        assert before.url == base + "/c/scheduled-buses"
        assert f"This consultation opens on {typed} (UK time)." in words(before.text)
        assert "Start now" not in before.text
    assert (
        f"Opening soon You can read about these now and respond once they open. "
        f"Scheduled buses Opens on {typed}" in words(requests.get(base + "/").text)
    )

    # The time comes: nothing else is done, and the same links open the survey.
    subprocess.run(
        [sys.executable, "-c", TIME_PASSES, "scheduled-buses"], env=env, check=True, timeout=60
    )
    opened = requests.get(base + "/c/scheduled-buses")
    assert opened.status_code == 200 and "Start now" in opened.text
    partner = requests.Session()
    invited = partner.get(base + urlsplit(link).path)
    assert invited.status_code == 200 and invited.url.endswith("/c/scheduled-buses")
    assert "Start now" in invited.text
    listed = words(session.get(base + "/staff/").text)
    assert "Scheduled buses Open" in listed
    assert "Opening soon" not in words(requests.get(base + "/").text)


def test_scheduling_pages_pass_axe(server, tmp_path):
    """The new pages and wording, in Chromium, against axe's WCAG 2.2 AA rules: the draft
    with its Schedule button, the confirmation, the scheduled consultation and list, its
    Back to draft and refused Close now pages, its invitations, and the partner's page."""
    base, session, _ = server
    day = (utcnow() + timedelta(days=20)).date()
    consultation = create(
        base, session, title="Axe check", slug="axe-check", opens_at=f"{day:%d/%m/%Y} 10:30"
    ).url
    add_question(session, consultation)
    path = urlsplit(consultation).path
    driver = make_driver(tmp_path / "profile")
    try:
        driver.get(base + "/staff/sign-in")
        driver.add_cookie({"name": "session", "value": session.cookies["session"], "path": "/"})
        failures: dict[str, list[str]] = {}

        def check(page: str, expect: str) -> None:
            driver.get(base + page)
            assert expect in " ".join(driver.find_element(By.TAG_NAME, "body").text.split())
            found = axe_violations(driver)
            if found:
                failures[page] = found

        check(path, "Schedule to open on")
        check(path + "/status/schedule", "Yes, schedule it")
        schedule(session, consultation)
        check(path, "Scheduled Partners can see when it opens")
        check("/staff/", "Scheduled Opens")
        check(path + "/status/draft", "It will not open on")
        check(path + "/status/close", "cannot be closed")
        check(path + "/invitations", "scheduled to open on")
        check("/c/axe-check", "This consultation opens on")
        check("/", "Opening soon")
        # At 320 px wide (WCAG 1.4.10 reflow) the partner's pages scroll only up and down.
        driver.set_window_size(320, 800)
        for page in ("/", "/c/axe-check", path):
            driver.get(base + page)
            wide = driver.execute_script(
                "const root = document.documentElement; return root.scrollWidth - root.clientWidth"
            )
            assert wide <= 0, (page, wide)
        assert failures == {}, failures
    finally:
        driver.quit()
