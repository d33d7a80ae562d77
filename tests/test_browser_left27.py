"""A real browser on left27's pages: someone on the open link naming an invited organisation
reads that it has its own invitation link (a page passing axe's WCAG 2.2 AA rules and
reflowing at 320 px), can carry on, and is warned again on Check your answers; staff asking
the Responses page for a filter value it does not know get an error summary, focused, that
links to the filter."""

from __future__ import annotations

import sqlite3

from tests import test_browser
from tests.test_browser import (
    axe_violations,
    click_button,
    follow_link,
    live_server_env,
    make_driver,
    sign_in_as_demo_admin,
)
from tests.test_browser_layout import page_width, set_width
from tests.test_browser_partner import focused_id

live_server = test_browser.live_server  # the same real-server fixture, for this module
By = test_browser.By
SLUG = "trailblazer-devolution-deal"


def _invited_name(env: dict) -> str:
    """The name of an organisation the demo invited (from the live server's database)."""
    path = env["CONSULT_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        (name,) = connection.execute(
            "SELECT organisation.name FROM organisation JOIN invitation"
            " ON invitation.organisation_id = organisation.id ORDER BY organisation.id LIMIT 1"
        ).fetchone()
    return name


def test_an_invited_organisation_on_the_open_link_is_told(live_server, tmp_path):
    base, _ = live_server
    name = _invited_name(live_server_env(live_server))
    driver = make_driver(tmp_path / "profile")
    try:
        driver.get(f"{base}/c/{SLUG}")
        click_button(driver, "Start now")
        driver.find_element(By.CSS_SELECTOR, "input[name=answering_as][value=organisation]").click()
        driver.find_element(By.ID, "organisation_name").send_keys(name.upper())
        driver.find_element(By.CSS_SELECTOR, "input[name=partner_type][value=vcse]").click()
        driver.find_element(By.CSS_SELECTOR, "input[name=area]").click()
        click_button(driver, "Continue")
        assert driver.title.startswith(f"{name} has been invited to respond"), driver.title
        main = driver.find_element(By.TAG_NAME, "main").text
        assert "use the link in that invitation" in main and "second response" in main
        assert axe_violations(driver) == []
        set_width(driver, 320)
        assert page_width(driver) <= 320
        set_width(driver, 1200)
        click_button(driver, "Continue with a separate response")
        assert driver.title.startswith("Working with government"), driver.title
        driver.get(f"{base}/c/{SLUG}/check")
        warning = driver.find_element(By.ID, "invited-namesake").text
        assert name in warning and "second response" in warning
        assert axe_violations(driver) == []
        follow_link(driver, "a[href*='/organisation?return=check']")
        assert driver.title.startswith("About you"), driver.title
    finally:
        driver.quit()


def test_an_unknown_filter_value_is_an_error_summary(live_server, tmp_path):
    base, _ = live_server
    driver = make_driver(tmp_path / "staff")
    try:
        sign_in_as_demo_admin(driver, base, live_server_env(live_server))
        driver.get(base + "/staff/")
        consultation = driver.find_element(By.CSS_SELECTOR, "td a").get_attribute("href")
        driver.get(consultation.rstrip("/") + "/responses?partner_type=nonsense")
        assert driver.title.startswith("Error: Responses"), driver.title
        summary = driver.find_element(By.CLASS_NAME, "govuk-error-summary")
        assert "‘nonsense’ is not one this service knows" in summary.text
        focused = "return document.activeElement.classList.contains('govuk-error-summary')"
        assert driver.execute_script(focused)  # read first by a screen reader
        assert axe_violations(driver) == []
        summary.find_element(By.CSS_SELECTOR, "a[href='#partner_type']").click()
        assert focused_id(driver) == "partner_type"
        driver.find_element(By.CSS_SELECTOR, "#partner_type option[value=vcse]").click()
        click_button(driver, "Filter")
        assert driver.title.startswith("Responses"), driver.title
        assert not driver.find_elements(By.CLASS_NAME, "govuk-error-summary")
        # The organisations list's filters (a GOV.UK select with its error message) too.
        driver.get(base + "/staff/organisations?area=Mars")
        assert driver.title.startswith("Error: "), driver.title
        assert "‘Mars’" in driver.find_element(By.ID, "area-error").text
        assert axe_violations(driver) == []
    finally:
        driver.quit()
