"""A real browser (Chromium, with and without JavaScript) answering the demo as an individual
(smoke16, finding 13): its question worded for organisations reads as worded for
individuals on its page, on Check your answers and on the confirmation, whose "What happens
next" promises no partners' briefing."""

from __future__ import annotations

from tests.test_browser import (  # noqa: F401  (live_server and browser are fixtures used by name)
    By,
    browser,
    choose,
    click_button,
    live_server,
)
from tests.test_browser_layout import answer_sections

SLUG = "/c/trailblazer-devolution-deal"
FOR_ORGANISATIONS = "Which economic pressures affect your organisation most?"
FOR_INDIVIDUALS = "Which economic pressures affect you most?"


def _agree_and_continue(driver) -> None:
    for radio in driver.find_elements(By.CSS_SELECTOR, ".govuk-radios input[type=radio]"):
        if radio.get_attribute("value") == "agree":
            radio.click()
    click_button(driver, "Continue")


def _rows(driver) -> dict[str, str]:
    rows = driver.find_elements(By.CSS_SELECTOR, ".govuk-summary-list__row")
    return {
        row.find_element(By.CSS_SELECTOR, "dt").text: row.find_element(By.CSS_SELECTOR, "dd").text
        for row in rows
    }


def test_an_individual_reads_the_individual_wording_to_the_confirmation(live_server, browser):  # noqa: F811
    base, _ = live_server
    browser.get(base + SLUG)
    click_button(browser, "Start now")
    assert browser.title.startswith("About you –"), browser.title
    choose(browser, "answering_as", "individual")
    choose(browser, "area", "walsall")
    click_button(browser, "Continue")
    assert browser.title.startswith("Working with government"), browser.title
    _agree_and_continue(browser)

    assert browser.title.startswith("Business and the economy"), browser.title
    legends = [legend.text for legend in browser.find_elements(By.TAG_NAME, "legend")]
    assert f"{FOR_INDIVIDUALS} (optional)" in legends, legends
    assert "your organisation" not in browser.find_element(By.TAG_NAME, "form").text
    browser.find_element(By.CSS_SELECTOR, "input[type=checkbox][value=energy]").click()
    _agree_and_continue(browser)
    answer_sections(browser)

    rows = _rows(browser)
    assert rows.get(FOR_INDIVIDUALS) == "Energy costs", rows
    assert FOR_ORGANISATIONS not in rows
    click_button(browser, "Accept and send")
    assert browser.title.startswith("Response sent"), browser.title
    rows = _rows(browser)
    assert rows.get(FOR_INDIVIDUALS) == "Energy costs", rows
    assert not [key for key in rows if "organisation" in key.lower()], rows
    next_steps = browser.find_element(By.ID, "what-happens-next").text
    assert "publish a summary" in next_steps and "briefing" not in next_steps, next_steps
    assert "Partners who responded" not in browser.find_element(By.TAG_NAME, "main").text
