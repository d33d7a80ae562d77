"""A real browser (Chromium) through a real gunicorn server sends a response and keeps a copy:
the confirmation email arrives at a real SMTP server (tests/smtp_stub.py) with the answers,
and the confirmation page's "Download a copy of your response" saves the text file, which
holds the reference and what was typed. The page passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import time

import pytest

from consult.extensions import db
from tests.helpers import field, make_consultation
from tests.reports_helpers import worker_environment
from tests.smtp_stub import SmtpStub
from tests.test_browser import AXE, axe_violations, choose, click_button, make_driver
from tests.test_gunicorn import gunicorn_process

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402

pytestmark = pytest.mark.coding_encoder

BASE = "/c/transport-test"
WHY = "Buses every ten minutes would change how we recruit."


def test_a_partner_sends_and_downloads_a_copy_of_the_response(app, database_url, tmp_path):
    consultation = make_consultation()
    agree, why = field(consultation, "Buses should"), field(consultation, "Why")
    top = field(consultation, "Top priority")
    db.session.remove()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with SmtpStub() as stub:
        env = worker_environment(
            database_url,
            tmp_path / "instance",
            LOG_LEVEL="WARNING",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=stub.port,
        )
        with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, _):
            driver = make_driver(tmp_path / "profile")
            try:
                driver.execute_cdp_cmd(
                    "Page.setDownloadBehavior",
                    {"behavior": "allow", "downloadPath": str(downloads)},
                )
                driver.get(base + BASE)
                click_button(driver, "Start now")
                assert driver.title.startswith("About you –"), driver.title
                choose(driver, "answering_as", "organisation")
                driver.find_element(By.ID, "organisation_name").send_keys("Tipton Trust")
                choose(driver, "partner_type", "vcse")
                choose(driver, "area", "sandwell")
                driver.find_element(By.ID, "respondent_email").send_keys("sam@tipton.example")
                click_button(driver, "Continue")
                choose(driver, agree, "agree")
                driver.find_element(By.ID, why).send_keys(WHY)
                click_button(driver, "Continue")
                choose(driver, top, "reliability")
                click_button(driver, "Continue")
                assert driver.title.startswith("Check your answers"), driver.title
                click_button(driver, "Accept and send")

                assert driver.title.startswith("Response sent"), driver.title
                reference = driver.find_element(By.ID, "reference").text
                emailed = driver.find_element(By.ID, "copy-emailed").text
                assert "sam@tipton.example" in emailed
                [message] = stub.mailbox.messages
                assert message["To"] == "sam@tipton.example"
                body = message.get_content().replace("\r\n", "\n")  # SMTP's line ends
                assert reference in body and WHY in body
                assert not AXE.exists() or axe_violations(driver) == []

                driver.find_element(By.ID, "download-copy").click()
                target = downloads / f"transport-test-response-{reference}.txt"
                deadline = time.monotonic() + 30
                while not target.exists() or list(downloads.glob("*.crdownload")):
                    assert time.monotonic() < deadline, list(downloads.iterdir())
                    time.sleep(0.2)
                copy = target.read_text(encoding="utf-8")
                assert copy.startswith("Your response to: Test consultation on transport\n")
                assert f"Reference number: {reference}\n" in copy
                assert f"Why do you say that?\n{WHY}\n" in copy
                assert copy in body  # the email's copy is the same text
                # Still on the confirmation page: a download does not navigate away.
                assert driver.find_element(By.ID, "reference").text == reference
            finally:
                driver.quit()
