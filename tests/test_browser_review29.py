"""review29: the invitations page's carried ticks (collect29 #1) where they met the other
changes of the round, in Chromium, served by a real gunicorn on a copy of the demo.

- Ticks survive "Add an organisation" (collect29 #7): the link, the form's Back and Cancel,
  and the return to Invitations carry them (they were dropped, so an officer who ticked
  some, then added a missing organisation, came back to nothing ticked).
- One ticked earlier that has submitted since is not offered ticked; sending with it is
  refused as before, but the page it goes back to keeps the others ticked (it kept none,
  while telling the officer to "untick it and send again")."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.reports_helpers import worker_environment
from tests.test_browser import (
    AXE,
    By,
    axe_violations,
    click_button,
    make_driver,
    prepared_demo,
    sign_in_as_demo_admin,
)
from tests.test_browser_invitations import (  # noqa: F401  (served is a fixture used by name)
    load,
    served,
)
from tests.test_gunicorn import gunicorn_process

pytestmark = pytest.mark.coding_encoder

INVITATIONS = "/staff/consultations/1/invitations"
INVITED = "City of Wolverhampton Council"  # demo: invited to consultation 1, not started
ADDED = "Aston Tenants Forum"


def _row_box(driver, name: str):
    label = driver.find_element(By.XPATH, f"//tbody//label[contains(., 'Invite {name}')]")
    return driver.find_element(By.ID, label.get_attribute("for"))


def _search(driver, text: str) -> None:
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(text)
    click_button(driver, "Apply filters")


def _chosen(url: str) -> list[str]:
    return parse_qs(urlsplit(url).query).get("chosen", [])


def test_ticks_survive_adding_an_organisation_and_a_refused_send(served, tmp_path):  # noqa: F811
    base, env, database = served
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, env)
        load(driver, base + INVITATIONS)
        _search(driver, INVITED)
        _row_box(driver, INVITED).click()
        driver.find_element(By.LINK_TEXT, "Add an organisation").click()
        with sqlite3.connect(database) as connection:
            (invited_id,) = connection.execute(
                "SELECT id FROM organisation WHERE name = ?", (INVITED,)
            ).fetchone()
        assert _chosen(driver.current_url) == [str(invited_id)]
        back = driver.find_element(By.CLASS_NAME, "govuk-back-link").get_attribute("href")
        cancel = driver.find_element(By.LINK_TEXT, "Cancel").get_attribute("href")
        assert _chosen(back) == _chosen(cancel) == [str(invited_id)]
        driver.find_element(By.ID, "name").send_keys(ADDED)
        Select(driver.find_element(By.ID, "partner_type")).select_by_value("vcse")
        Select(driver.find_element(By.ID, "area")).select_by_value("birmingham")
        driver.find_element(By.ID, "contact_email").send_keys("aston@example.org")
        click_button(driver, "Add organisation")

        # Back on Invitations, searched for the new one, the earlier tick still there.
        assert urlsplit(driver.current_url).path == INVITATIONS
        earlier = driver.find_element(By.ID, "ticked-elsewhere")
        assert "1 organisation ticked in an earlier search or page" in earlier.text
        assert INVITED in earlier.text
        assert earlier.find_element(By.CSS_SELECTOR, "input").is_selected()
        assert not AXE.exists() or axe_violations(driver) == []
        _row_box(driver, ADDED).click()

        # Meanwhile the invited organisation sends its response (a copy of a sent one).
        with sqlite3.connect(database) as connection:
            (invitation_id,) = connection.execute(
                "SELECT id FROM invitation WHERE consultation_id = 1 AND organisation_id = ?",
                (invited_id,),
            ).fetchone()
            columns = [row[1] for row in connection.execute("PRAGMA table_info(response)")]
            copied = [c for c in columns if c != "id"]
            values = {
                "reference": "'WM-REVIEW29'",
                "invitation_id": str(invitation_id),
                "resume_token_hash": "NULL",
                "status": "'submitted'",
            }
            connection.execute(
                f"INSERT INTO response ({', '.join(copied)}) SELECT "
                f"{', '.join(values.get(c, c) for c in copied)} FROM response"
                " WHERE consultation_id = 1 AND status = 'submitted' ORDER BY id LIMIT 1"
            )
            (added_id,) = connection.execute(
                "SELECT id FROM organisation WHERE name = ?", (ADDED,)
            ).fetchone()

        click_button(driver, "Send invitations to the organisations ticked")
        main = " ".join(driver.find_element(By.TAG_NAME, "main").text.split())
        assert (
            f"Nothing was sent. {INVITED} has already submitted its response, so it cannot be "
            "invited again. It is unticked: send the invitations again."
        ) in main
        assert _chosen(driver.current_url) == [str(added_id)]
        assert _row_box(driver, ADDED).is_selected()
        assert driver.find_elements(By.ID, "ticked-elsewhere") == []

        # A stale or hand-made address: the one that submitted is said, not ticked.
        load(driver, f"{base}{INVITATIONS}?q=Aston&chosen={invited_id}&chosen=junk")
        said = driver.find_element(By.ID, "ticked-answered").text
        assert said == (
            f"{INVITED} was ticked earlier but has submitted its response since, so it is "
            "no longer ticked."
        )
        assert driver.find_elements(By.ID, "ticked-elsewhere") == []
        assert not AXE.exists() or axe_violations(driver) == []
        click_button(driver, "Send invitations to the organisations ticked")
        assert "Choose at least one organisation to invite." in driver.page_source
    finally:
        driver.quit()


def test_the_dashboard_poll_when_the_session_runs_out(tmp_path):
    """The counts' endpoint: JSON, never cached, junk ``?submitted=`` read as the
    counts now; polling is not activity, so the idle sign-out comes while the dashboard is open,
    and signing in again leads back to the dashboard, not to the counts' JSON."""
    database = tmp_path / "live.sqlite"
    database.write_bytes(prepared_demo().read_bytes())
    env = worker_environment(
        f"sqlite:///{database}",
        tmp_path / "instance",
        DASHBOARD_POLL_SECONDS=1,
        STAFF_IDLE_SECONDS=8,
    )
    dashboard = "/staff/consultations/1/dashboard"
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _log):
        driver = make_driver(tmp_path / "profile")
        try:
            sign_in_as_demo_admin(driver, base, env)
            load(driver, base + dashboard)
            answer = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "fetch(arguments[0]).then(async r => done([r.status,"
                " r.headers.get('Cache-Control'), r.headers.get('Content-Type'),"
                " await r.json()]));",
                base + dashboard + "/counts?submitted=1e30&drafts=-4",
            )
            status, cache, kind, body = answer
            assert status == 200 and "no-store" in cache and kind == "application/json"
            assert body["change"] == ""  # junk is read as the counts now: nothing changed
            updating = driver.find_element(By.ID, "counts-updating")
            assert updating.get_attribute("role") == "status"
            assert not AXE.exists() or axe_violations(driver) == []
            # Idle: the page's timeout warning or the poll, whichever asks first, finds the
            # session over; the page leaves for sign-in or the counts say they stopped.
            stopped = (
                "const box = document.getElementById('counts-updating');"
                "return !box || box.textContent.startsWith('The counts stopped updating')"
            )
            WebDriverWait(driver, 40).until(lambda d: d.execute_script(stopped))
            load(driver, base + dashboard)
            assert urlsplit(driver.current_url).path == "/staff/sign-in"
            assert parse_qs(urlsplit(driver.current_url).query)["next"] == [dashboard]
        finally:
            driver.quit()


def test_select_all_acts_on_this_pages_results_only(served, tmp_path):  # noqa: F811
    """fixc29 #2: "Select all on this page" neither unticks nor counts the ticks carried from
    earlier searches, listed above the results: only the results' own boxes."""
    base, env, database = served
    with sqlite3.connect(database) as connection:
        (here, here_name), (earlier_id, _) = connection.execute(
            "SELECT id, name FROM organisation WHERE id NOT IN (SELECT organisation_id"
            " FROM invitation JOIN response ON response.invitation_id = invitation.id"
            " WHERE invitation.consultation_id = 1 AND response.status = 'submitted')"
            " ORDER BY id LIMIT 2"
        ).fetchall()
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, env)
        load(driver, f"{base}{INVITATIONS}?q={quote(here_name)}&chosen={earlier_id}")
        earlier = driver.find_element(By.ID, f"earlier-{earlier_id}")
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody input[name='organisation']")
        assert earlier.is_selected() and rows and not any(box.is_selected() for box in rows)
        button = driver.find_element(By.CSS_SELECTOR, "[data-select-all-button]")
        assert button.text == "Select all on this page"
        button.click()
        assert all(box.is_selected() for box in rows) and earlier.is_selected()
        status = driver.find_element(By.CSS_SELECTOR, "[data-select-all] [role='status']")
        assert status.get_attribute("textContent") == (
            f"{len(rows)} of {len(rows)} ticked on this page"
        )
        assert button.text == "Deselect all on this page"
        button.click()
        assert not any(box.is_selected() for box in rows) and earlier.is_selected()
        assert status.get_attribute("textContent") == f"0 of {len(rows)} ticked on this page"
        assert _row_box(driver, here_name) in rows
        # fixc29 #1 (the cap lowered to 1 here): more ticks than can be carried stop the
        # search, and the page says why; nothing is dropped.
        rows[0].click()
        lower = "document.querySelector('[data-carry-max]').dataset.carryMax = '1'"
        driver.execute_script(lower)
        before = driver.current_url
        driver.find_element(By.XPATH, "//button[normalize-space()='Apply filters']").click()
        warning = driver.find_element(By.ID, "ticks-over-cap-now")
        assert warning.text.startswith("You have ticked 2 organisations, but at most 1 ")
        assert driver.current_url == before and earlier.is_selected() and rows[0].is_selected()
    finally:
        driver.quit()
