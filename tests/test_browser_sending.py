"""A real browser sends invitations and reminders: the summary is a page reached by GET,
so Back and reload send nothing again; reminders ask first, with the email; the pages pass
axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By

from tests.test_browser import (  # noqa: F401  (live_server is a fixture)
    AXE,
    axe_violations,
    click_button,
    live_server,
    live_server_env,
    make_driver,
    sign_in_as_demo_admin,
)


def emails(env: dict) -> int:
    return len(list((Path(env["CONSULT_INSTANCE_PATH"]) / "outbox").glob("*.eml")))


def test_back_and_reload_after_sending_send_nothing_again(live_server, tmp_path):  # noqa: F811
    base, _ = live_server
    env = live_server_env(live_server)
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, env)
        driver.get(base + "/staff/consultations/1/invitations?status=not+started")
        listing = driver.current_url
        driver.find_element(By.CSS_SELECTOR, "input[name='organisation']:not([disabled])").click()
        before = emails(env)
        click_button(driver, "Send invitations to the organisations ticked")
        assert driver.title.startswith("Invitation links created"), driver.title
        summary = driver.current_url
        assert "/invitations/sent/" in summary
        assert emails(env) == before + 1
        assert not AXE.exists() or axe_violations(driver) == []

        driver.refresh()
        assert driver.current_url == summary and driver.title.startswith("Invitation links created")
        driver.back()
        driver.forward()
        driver.refresh()
        assert driver.title.startswith("Invitation links created")
        assert emails(env) == before + 1  # nothing sent again

        back = driver.find_element(By.LINK_TEXT, "Back to invitations")
        assert back.get_attribute("href") == listing

        driver.get(base + "/staff/consultations/1/invitations")
        driver.find_element(By.LINK_TEXT, "Send reminders").click()
        assert driver.title.startswith("Send a reminder to"), driver.title
        assert "Reminder: " in driver.find_element(By.ID, "preview").text
        assert not AXE.exists() or axe_violations(driver) == []
        reminded = len(driver.find_elements(By.CSS_SELECTOR, "#recipients tbody tr"))
        before = emails(env)
        button = driver.find_element(
            By.CSS_SELECTOR, "form button.govuk-button:not(.consult-link-button)"
        )
        click_button(driver, button.text)
        assert driver.title.startswith("Reminder links created"), driver.title
        driver.refresh()
        assert emails(env) <= before + reminded  # organisations without email get no .eml
        sent = emails(env)
        driver.refresh()
        assert emails(env) == sent

        driver.get(base + "/staff/consultations/1/invitations/send")
        assert driver.title.startswith("Invitations"), driver.title
        assert "Nothing was sent" in driver.find_element(By.TAG_NAME, "main").text
    finally:
        driver.quit()
