"""A real browser: the journey's Back link keeps what was typed on the page it leaves."""

from __future__ import annotations

from tests.test_browser import (  # noqa: F401  (live_server is a fixture used by name)
    By,
    click_button,
    live_server,
    make_driver,
)


def test_back_link_saves_what_was_typed(live_server, tmp_path):  # noqa: F811
    base, invitation_link = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        driver.get(invitation_link())
        click_button(driver, "Start now")
        click_button(driver, "Continue")
        assert driver.title.startswith("Working with government")
        why = driver.find_elements(By.TAG_NAME, "textarea")[0]
        name = why.get_attribute("name")
        why.send_keys("Typed, then the partner went back")
        driver.find_element(By.CSS_SELECTOR, "a.govuk-back-link").click()
        assert driver.title.startswith("About your organisation")
        click_button(driver, "Continue")
        kept = driver.find_element(By.NAME, name).get_attribute("value")
        assert kept == "Typed, then the partner went back"
        # Unchanged, the Back link is a plain link: no save, no error, the page before.
        driver.find_element(By.CSS_SELECTOR, "a.govuk-back-link").click()
        assert driver.title.startswith("About your organisation")
    finally:
        driver.quit()
