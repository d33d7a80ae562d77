"""smoke17 findings only a browser shows: a date box the browser cannot read (half a date)
sent nothing, so the responses' date filter was dropped without a word."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.test_browser import (  # noqa: F401  (live_server is a fixture)
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
        # Cleared: the form goes, and the message with it.
        driver.execute_script("arguments[0].value = ''", box)
        driver.find_element(By.XPATH, "//button[normalize-space()='Filter']").click()
        assert driver.current_url != address
        assert not driver.find_elements(By.ID, "from-error")
    finally:
        driver.quit()
