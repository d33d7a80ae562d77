"""A real browser on the pages this change added: the saved page's "Email me this link" button
(offered only when a mail server is set up: here the SMTP stub of tests/smtp_stub.py) and a
consultation's own privacy notice page, each checked with axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from pathlib import Path

from tests.smtp_stub import SmtpStub
from tests.test_browser import (  # noqa: F401  (live_server is a fixture used by name)
    By,
    axe_violations,
    click_button,
    live_server,
    live_server_env,
    make_driver,
    running_server,
)

DEMO = "/c/trailblazer-devolution-deal"
COPY_IT = (
    "This service does not send email, so we cannot email you this link. Copy it and keep it "
    "somewhere safe, such as in a note or an email to yourself."
)


def _save_with_email(driver, base: str, email: str) -> None:
    driver.get(base + DEMO + "/organisation")
    field = driver.find_element(By.ID, "respondent_email")
    field.clear()
    field.send_keys(email)
    click_button(driver, "Save and come back later")
    assert driver.title.startswith("Your answers have been saved"), driver.title


def test_saved_page_emails_on_request_and_privacy_page(tmp_path):
    with (
        SmtpStub() as stub,
        running_server(
            tmp_path / "server",
            CONSULT_MAIL_SERVER="127.0.0.1",
            CONSULT_MAIL_PORT=str(stub.port),
        ) as (base, _),
    ):
        driver = make_driver(tmp_path / "profile")
        try:
            driver.get(base + DEMO)
            assert "It has 4 sections and" in driver.find_element(By.ID, "size-summary").text
            click_button(driver, "Start now")
            _save_with_email(driver, base, "me@example.org")
            assert stub.mailbox.messages == [], "loading the saved page sent nothing"
            assert driver.find_elements(By.ID, "copy-link") == []
            resume = driver.find_element(By.ID, "resume-link").get_attribute("href")
            assert axe_violations(driver) == []
            click_button(driver, "Email me this link")
            said = driver.find_element(By.ID, "emailed").text
            assert said == "We have emailed it to me@example.org."
            [message] = stub.mailbox.messages
            assert message["To"] == "me@example.org" and resume in message.get_content()
            assert axe_violations(driver) == []
            # The page saying so is a GET: reloading it neither asks to resubmit nor emails
            # again.
            driver.refresh()
            assert "ERR_CACHE_MISS" not in driver.page_source
            assert driver.title.startswith("Your answers have been saved")
            assert len(stub.mailbox.messages) == 1

            # The server refuses the address: the page says so, and to copy the link.
            stub.mailbox.refuse.add("nobody@example.org")
            _save_with_email(driver, base, "nobody@example.org")
            click_button(driver, "Email me this link")
            said = driver.find_element(By.ID, "email-kept").text
            assert said == "We could not email you this link. Copy it from above to keep it."
            assert "We have emailed" not in driver.page_source
            assert len(stub.mailbox.messages) == 1
            assert axe_violations(driver) == []

            driver.get(base + DEMO + "/privacy")
            assert driver.title.startswith("How we use your information")
            assert "data controller" in driver.page_source
            assert axe_violations(driver) == []
        finally:
            driver.quit()


def test_with_no_mail_server_the_saved_page_says_to_copy_the_link(live_server, tmp_path):  # noqa: F811
    """An earlier walk: with no mail server set up the page offered "Email me this link", then
    said it could not. Now it offers nothing it cannot do, and says how to keep the link."""
    base, _ = live_server
    outbox = Path(live_server_env(live_server)["CONSULT_INSTANCE_PATH"]) / "outbox"
    driver = make_driver(tmp_path / "profile")
    try:
        driver.get(base + DEMO)
        click_button(driver, "Start now")
        _save_with_email(driver, base, "me@example.org")
        assert driver.find_element(By.ID, "copy-link").text == COPY_IT
        assert driver.find_element(By.ID, "resume-link").get_attribute("href").startswith("http")
        buttons = [b.text for b in driver.find_elements(By.TAG_NAME, "button")]
        assert "Email me this link" not in buttons and "Email me this link" not in (
            driver.page_source
        )
        assert not list(outbox.glob("*.eml"))
        assert axe_violations(driver) == []
    finally:
        driver.quit()
