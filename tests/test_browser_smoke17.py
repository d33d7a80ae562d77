"""smoke17 findings only a browser shows: a date box the browser cannot read (half a date)
sent nothing, so the responses' date filter was dropped without a word; and the pages this
work added or changed (removing a respondent's data, its errors, preview) pass axe-core."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from tests.test_browser import (  # noqa: F401  (live_server is a fixture)
    axe_violations,
    click_button,
    live_server,
    live_server_env,
    make_driver,
    sign_in_as_demo_admin,
)


def test_a_date_the_browser_cannot_read_is_said_not_dropped(live_server, tmp_path):  # noqa: F811
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, live_server_env(live_server))
        driver.get(base + "/staff/consultations/1/responses")
        address = driver.current_url
        box = driver.find_element(By.ID, "from")
        box.send_keys("02")  # half a date: the browser sends nothing for it
        assert driver.execute_script("return arguments[0].validity.badInput", box)
        driver.find_element(By.XPATH, "//button[normalize-space()='Filter']").click()
        error = driver.find_element(By.ID, "from-error")
        assert " ".join(error.text.split()) == "Error: Enter a real date for From, or clear it"
        assert driver.current_url == address, "nothing was sent"
        assert driver.switch_to.active_element.get_attribute("id") == "from"
        assert box.get_attribute("aria-describedby") == "from-error"
        # A hint the box is described by stays; only the message's id comes and goes
        # (review fixr17b #11: every submit removed the whole attribute).
        driver.execute_script("arguments[0].setAttribute('aria-describedby', 'from-hint')", box)
        for _ in range(2):
            driver.find_element(By.XPATH, "//button[normalize-space()='Filter']").click()
            assert box.get_attribute("aria-describedby") == "from-hint from-error"
            assert len(driver.find_elements(By.ID, "from-error")) == 1
        # Cleared: the form goes, and the message with it.
        driver.execute_script("arguments[0].value = ''", box)
        driver.find_element(By.XPATH, "//button[normalize-space()='Filter']").click()
        # The form is sent: wait for the new address rather than read it mid-navigation
        # (read at once, it was sometimes still the old one).
        WebDriverWait(driver, 15).until(expected_conditions.url_changes(address))
        assert driver.current_url != address
        assert not driver.find_elements(By.ID, "from-error")
    finally:
        driver.quit()


def test_removing_data_pages_pass_axe_and_errors_take_focus(live_server, tmp_path):  # noqa: F811
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, live_server_env(live_server))
        failures: dict[str, list[str]] = {}
        driver.get(base + "/staff/consultations/1/preview/0")
        failures["preview/0"] = axe_violations(driver)
        driver.get(base + "/staff/responses/1")
        click_button(driver, "Continue")
        assert driver.title.startswith("Error: Response")
        focused = driver.switch_to.active_element
        assert "govuk-error-summary" in focused.get_attribute("class"), "the summary has focus"
        failures["response errors"] = axe_violations(driver)
        driver.find_element(By.ID, "reason").send_keys("Asked by email")
        driver.find_element(By.ID, "mode-anonymise").click()
        click_button(driver, "Continue")
        assert driver.title.startswith("Are you sure you want to anonymise response")
        failures["confirm removal"] = axe_violations(driver)
        assert {k: v for k, v in failures.items() if v} == {}
    finally:
        driver.quit()
