"""A real browser: two colleagues answer one invitation at once in Chromium. The one whose
Continue finds the other's change is told so first, as an error summary would tell them:
the banner takes focus (a screen reader reads it instead of the same page's title again),
and the page passes axe's WCAG 2.2 AA rules and reflows at 320 px."""

from __future__ import annotations

from tests import test_browser
from tests.test_browser import axe_violations, click_button, make_driver
from tests.test_browser_layout import page_width, set_width

live_server = test_browser.live_server  # the same real-server fixture, for this module

By = test_browser.By


def on_first_section(driver, link: str) -> None:
    """Open the invitation link and go on to the first section page."""
    driver.get(link)
    button = driver.find_element(By.CSS_SELECTOR, "main form .govuk-button").text
    click_button(driver, button)
    if driver.title.startswith("About your organisation"):
        click_button(driver, "Continue")
    assert driver.title.startswith("Working with government"), driver.title


def focused_id(driver) -> str:
    return driver.execute_script("return document.activeElement.id")


def test_a_colleagues_clash_takes_focus_and_passes_axe(live_server, tmp_path):
    _, invitation_link = live_server
    link = invitation_link()
    alice = make_driver(tmp_path / "alice")
    bob = make_driver(tmp_path / "bob")
    try:
        set_width(bob, 320)  # Bob answers on a phone
        on_first_section(alice, link)
        on_first_section(bob, link)
        for driver, agree, reason in ((alice, "agree", "Alice's"), (bob, "disagree", "Bob's")):
            driver.find_element(By.CSS_SELECTOR, f"input[name=q1][value={agree}]").click()
            driver.find_elements(By.TAG_NAME, "textarea")[0].send_keys(f"{reason} reason")
        click_button(alice, "Continue")
        assert alice.title.startswith("Business and the economy")
        click_button(bob, "Continue")

        assert bob.title.startswith("Working with government"), bob.title
        assert "Alice's reason" in bob.find_element(By.ID, "q2-conflict").text
        assert bob.find_element(By.ID, "q2").get_attribute("value") == "Bob's reason"
        # The banner has focus (it had none: the page began at the top as before).
        assert focused_id(bob) == "conflict-message"
        assert axe_violations(bob) == []
        assert page_width(bob) <= 320

        # Bob has read Alice's answer: Continue keeps his and moves on.
        click_button(bob, "Continue")
        assert bob.title.startswith("Business and the economy"), bob.title
    finally:
        alice.quit()
        bob.quit()
