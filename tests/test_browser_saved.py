"""A real browser on the pages this change added: the saved page's "Email me this link" button
and a consultation's own privacy notice page, each checked with axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from pathlib import Path

from tests.test_browser import (  # noqa: F401  (live_server is a fixture used by name)
    By,
    axe_violations,
    click_button,
    live_server,
    live_server_env,
    make_driver,
)

DEMO = "/c/trailblazer-devolution-deal"


def test_saved_page_emails_on_request_and_privacy_page(live_server, tmp_path):  # noqa: F811
    base, _ = live_server
    outbox = Path(live_server_env(live_server)["CONSULT_INSTANCE_PATH"]) / "outbox"
    driver = make_driver(tmp_path / "profile")
    try:
        driver.get(base + DEMO)
        assert "It has 4 sections and" in driver.find_element(By.ID, "size-summary").text
        click_button(driver, "Start now")
        driver.find_element(By.ID, "respondent_email").send_keys("me@example.org")
        click_button(driver, "Save and come back later")
        assert driver.title.startswith("Your answers have been saved")
        assert not list(outbox.glob("*.eml")), "loading the saved page sent nothing"
        assert axe_violations(driver) == []
        click_button(driver, "Email me this link")
        # No mail server is set up: the email only reached the outbox, and the page says it
        # could not be emailed as the confirmation page does (it said "We have emailed it").
        said = driver.find_element(By.ID, "email-kept").text
        assert said == "We could not email you this link. Copy it from above to keep it."
        assert "We have emailed" not in driver.page_source
        assert len(list(outbox.glob("*.eml"))) == 1
        assert axe_violations(driver) == []
        # The page saying so is a GET: reloading it neither asks to resubmit nor emails again.
        driver.refresh()
        assert "ERR_CACHE_MISS" not in driver.page_source
        assert driver.title.startswith("Your answers have been saved")
        assert len(list(outbox.glob("*.eml"))) == 1

        driver.get(base + DEMO + "/privacy")
        assert driver.title.startswith("How we use your information")
        assert "data controller" in driver.page_source
        assert axe_violations(driver) == []
    finally:
        driver.quit()
