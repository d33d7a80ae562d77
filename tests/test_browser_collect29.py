"""collect29: what a mature survey tool does for partners and staff that this app did not,
each through a real server process and Chromium, with axe-core's WCAG 2.2 AA rules.

#4 a partner coming back through their invitation link sees their progress (GOV.UK task
list) and every answer kept; #6 a short answer with a limit counts characters live (GOV.UK
Frontend's character count on an input), and says its limit without JavaScript."""

from __future__ import annotations

import sqlite3
import time

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.test_browser import (  # noqa: F401  (live_server is a fixture used by name)
    By,
    axe_violations,
    click_button,
    live_server,
    make_driver,
    running_server,
    sign_in_as_demo_admin,
)

LIMITED = "Name one bus route that needs improving"


def _add_limited_short_question(env: dict) -> None:
    """A short answer limited to 20 characters, last in the demo's first section."""
    database = env["CONSULT_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        section_id, last = connection.execute(
            "SELECT s.id, max(q.position) FROM section s JOIN question q ON q.section_id = s.id"
            " WHERE s.consultation_id = 1 AND s.position = 1 GROUP BY s.id"
        ).fetchone()
        connection.execute(
            "INSERT INTO question (section_id, position, kind, text, hint, text_individuals,"
            " required, max_length) VALUES (?, ?, 'short_text', ?, 'A number or a name', '',"
            " 0, 20)",
            (section_id, last + 1, LIMITED),
        )


def _limited_box(driver):
    label = driver.find_element(By.XPATH, f"//label[contains(., '{LIMITED}')]")
    return driver.find_element(By.ID, label.get_attribute("for"))


def test_a_returning_partner_sees_progress_and_a_live_count(tmp_path):
    with running_server(tmp_path / "server") as (base, links):
        _add_limited_short_question(links.env)
        link = links()
        first = make_driver(tmp_path / "first")
        violations: dict[str, list[str]] = {}
        try:
            first.get(link)
            click_button(first, "Start now")
            click_button(first, "Continue")  # About you, prefilled from the invitation
            first.find_element(By.CSS_SELECTOR, "input[type=radio][value=agree]").click()
            why = first.find_elements(By.TAG_NAME, "textarea")[0]
            why.send_keys("Longer funding lets us plan.")
            box = _limited_box(first)
            group = box.find_element(
                By.XPATH, "ancestor::div[contains(@class, 'govuk-form-group')]"
            )
            message = group.find_element(By.CSS_SELECTOR, ".govuk-character-count__status")
            assert message.text == "You have 20 characters remaining"
            box.send_keys("The 11 outer circle!")  # 20 characters
            WebDriverWait(first, 10).until(
                lambda _: message.text == "You have 0 characters remaining"
            )
            box.send_keys("x")
            WebDriverWait(first, 10).until(
                lambda _: message.text == "You have 1 character too many"
            )
            assert box.get_attribute("aria-describedby").split()[0].endswith("-info")
            violations["section with count"] = axe_violations(first)
            box.send_keys(Keys.BACKSPACE)  # back to 20: the answer is saved as typed
            click_button(first, "Save and come back later")
            assert first.title.startswith("Your answers have been saved")
        finally:
            first.quit()

        later = make_driver(tmp_path / "later")
        try:
            later.get(link)  # a colleague, or the same person in another browser
            summary = " ".join(later.find_element(By.ID, "progress-summary").text.split())
            assert summary.startswith("You have answered 3 of ")
            assert summary.endswith("You left off at ‘Working with government’.")
            rows = later.find_elements(By.CSS_SELECTOR, "#progress li")
            first_row = " ".join(rows[1].text.split())
            assert "Working with government" in first_row and "In progress" in first_row
            assert "Completed" in rows[0].text
            violations["start with progress"] = axe_violations(later)
            rows[1].find_element(By.TAG_NAME, "a").click()
            assert later.title.startswith("Working with government")
            assert _limited_box(later).get_attribute("value") == "The 11 outer circle!"
            assert (
                later.find_elements(By.TAG_NAME, "textarea")[0].get_attribute("value")
                == "Longer funding lets us plan."
            )
        finally:
            later.quit()

        plain = make_driver(tmp_path / "plain", javascript=False)
        try:
            plain.get(link)
            click_button(plain, "Continue your response")
            box = _limited_box(plain)
            info = plain.find_element(By.ID, box.get_attribute("id") + "-info")
            assert info.text == "You can enter up to 20 characters."
        finally:
            plain.quit()
        assert violations == {key: [] for key in violations}, violations


INVITATIONS = "/staff/consultations/1/invitations"


def _search(driver, text: str) -> None:
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(text)
    click_button(driver, "Apply filters")


def _row_box(driver, name: str):
    label = driver.find_element(By.XPATH, f"//tbody//label[contains(., 'Invite {name}')]")
    return driver.find_element(By.ID, label.get_attribute("for"))


def _add_organisation(driver, base: str, name: str, start: str = "/staff/organisations/new"):
    driver.get(base + start)
    if start == INVITATIONS:  # collect29 #7: added from the invitations page
        driver.find_element(By.LINK_TEXT, "Add an organisation").click()
    driver.find_element(By.ID, "name").send_keys(name)
    Select(driver.find_element(By.ID, "partner_type")).select_by_value("vcse")
    Select(driver.find_element(By.ID, "area")).select_by_value("birmingham")
    email = name.lower().replace(" ", "") + "@example.org"
    driver.find_element(By.ID, "contact_email").send_keys(email)
    click_button(driver, "Add organisation")


def tick_then_search(driver, base: str, first: str, second: str) -> None:
    """On Invitations: ``first`` found and ticked, then a search for ``second``: the tick goes
    with the search, listed as ticked in an earlier search."""
    driver.get(base + INVITATIONS)
    _search(driver, first)
    _row_box(driver, first).click()
    _search(driver, second)  # the first tick goes with the search
    earlier = driver.find_element(By.ID, "ticked-elsewhere")
    assert "1 organisation ticked in an earlier search or page" in earlier.text
    assert first in earlier.text
    assert earlier.find_element(By.CSS_SELECTOR, "input").is_selected()


def tick_and_send(driver, first: str, second: str) -> None:
    """``second`` ticked on its results too, and both sent at once."""
    _row_box(driver, second).click()
    click_button(driver, "Send invitations to the organisations ticked")
    issued = driver.find_element(By.ID, "issued-links").text
    assert first in issued and second in issued


def test_ticks_carry_across_a_search_and_are_sent_together(tmp_path):
    with running_server(tmp_path / "server") as (base, links):
        driver = make_driver(tmp_path / "staff")
        try:
            sign_in_as_demo_admin(driver, base, links.env)
            first, second = "Aston Tenants Forum", "Selly Oak Food Bank"
            _add_organisation(driver, base, first, start=INVITATIONS)
            # Back on Invitations, searched for it, ready to tick (not on Organisations).
            assert driver.current_url.startswith(base + INVITATIONS + "?q=Aston")
            assert f"Added {first}. Tick it below to invite it." in driver.page_source
            assert _row_box(driver, first).is_enabled()
            assert axe_violations(driver) == []
            _add_organisation(driver, base, second)
            assert driver.current_url.startswith(base + "/staff/organisations?q=Selly")
            tick_then_search(driver, base, first, second)
            assert axe_violations(driver) == []
            tick_and_send(driver, first, second)
        finally:
            driver.quit()


def _one_more_response(env: dict, reference: str) -> None:
    """A copy of the demo's first response, sent, as if another partner had just sent one."""
    database = env["CONSULT_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(response)")]
        copied = [c for c in columns if c != "id"]
        chosen = {
            "reference": "?",
            "invitation_id": "NULL",
            "resume_token_hash": "NULL",
            "status": "'submitted'",
        }
        select = ", ".join(chosen.get(c, c) for c in copied)
        connection.execute(
            f"INSERT INTO response ({', '.join(copied)}) SELECT {select} FROM response"
            " WHERE consultation_id = 1 ORDER BY id LIMIT 1",
            (reference,),
        )


def _press(driver, text: str) -> None:
    """A button that changes the page in place (type="button": nothing is loaded)."""
    driver.find_element(By.XPATH, f"//button[normalize-space()='{text}']").click()


def test_the_dashboard_counts_update_themselves_politely(tmp_path):
    with running_server(tmp_path / "server", CONSULT_DASHBOARD_POLL_SECONDS="2") as (base, links):
        driver = make_driver(tmp_path / "staff")
        try:
            sign_in_as_demo_admin(driver, base, links.env)
            driver.get(base + "/staff/consultations/1/dashboard")
            before = driver.find_element(By.ID, "live-counts").get_attribute("data-submitted")
            said = driver.find_element(By.ID, "counts-updating").text
            assert said == "These counts update by themselves every 2 seconds."
            assert axe_violations(driver) == []
            focused = driver.execute_script("return document.activeElement")
            _one_more_response(links.env, "WM-LIVE-1")
            live = driver.find_element(By.ID, "counts-change")
            WebDriverWait(driver, 20).until(lambda _: "new response sent" in live.text)
            assert live.text.startswith("1 new response sent since this page was loaded")
            assert live.get_attribute("aria-live") == "polite"
            summary = driver.find_element(By.ID, "counts-summary").text
            assert summary.startswith(f"{int(before) + 1} responses sent")
            assert driver.execute_script("return document.activeElement") == focused
            # Stopped (WCAG 2.2.2): nothing changes until restarted.
            _press(driver, "Stop updating the counts")
            assert driver.find_element(By.ID, "counts-updating").text.startswith(
                "These counts are not updating"
            )
            _one_more_response(links.env, "WM-LIVE-2")
            time.sleep(5)
            assert live.text.startswith("1 new response sent")
            _press(driver, "Update the counts again")
            WebDriverWait(driver, 20).until(lambda _: live.text.startswith("2 new responses"))
            assert axe_violations(driver) == []
        finally:
            driver.quit()
        plain = make_driver(tmp_path / "plain", javascript=False)
        try:
            sign_in_as_demo_admin(plain, base, links.env)
            plain.get(base + "/staff/consultations/1/dashboard")
            summary = plain.find_element(By.ID, "counts-summary").text
            assert f"{int(before) + 2} responses sent" in summary and ", at " in summary
            assert plain.find_elements(By.ID, "counts-updating") == []
        finally:
            plain.quit()
