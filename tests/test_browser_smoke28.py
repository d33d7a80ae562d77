"""smoke28: a new officer invites an organisation whose address the mail server refuses (SMTP
550 at RCPT, a hard bounce), in a real browser against a real server process with a real SMTP
server (tests/smtp_stub.py).

Found in the walk: the page after Send said "not sent ({'info@…': (550, b'No such
mailbox')})", Python's own repr of the error; and nothing else remembered the refusal: the
invitations list showed the organisation as plainly "not started", the reminder went to the
same address and was refused again. LimeSurvey keeps a bounce status per invitation; this app
had one too (Organisations' "Mark bounced") but only by hand."""

from __future__ import annotations

import re
import sqlite3

from selenium.webdriver.support.ui import Select

from tests.smtp_stub import SmtpStub
from tests.test_browser import (  # noqa: F401  (live_server is a fixture used by name)
    By,
    axe_violations,
    click_button,
    demo_admin_session,
    live_server,
    make_driver,
    running_server,
    sign_in_as_demo_admin,
)

INVITATIONS = "/staff/consultations/1/invitations"
NAME = "Kings Heath Youth Trust"
TYPO = "info@kingsheathyouth.ogr"
FIXED = "info@kingsheathyouth.org"


def _invite(driver, base: str) -> None:
    driver.get(base + INVITATIONS + "?q=Kings+Heath+Youth")
    driver.find_element(By.CSS_SELECTOR, "tbody input[type=checkbox]").click()
    click_button(driver, "Send invitations to the organisations ticked")


def _delivered(driver) -> str:
    row = driver.find_element(By.CSS_SELECTOR, "#issued-links tbody tr")
    return " ".join(row.find_elements(By.TAG_NAME, "td")[2].text.split())


def _email_cell(driver, base: str) -> str:
    driver.get(base + INVITATIONS + "?q=Kings+Heath+Youth")
    row = driver.find_element(By.CSS_SELECTOR, "tbody tr")
    return " ".join(row.find_elements(By.TAG_NAME, "td")[-1].text.split())


def _name_on_the_open_link(driver, base: str, name: str = NAME, partner_type: str = "vcse") -> None:
    """About you on the demo's open link, for organisation ``name`` (left on that page)."""
    driver.get(base + "/c/trailblazer-devolution-deal")
    click_button(driver, "Start now")
    driver.find_element(By.CSS_SELECTOR, "input[name=answering_as][value=organisation]").click()
    driver.find_element(By.ID, "organisation_name").send_keys(name)
    driver.find_element(By.CSS_SELECTOR, f"input[name=partner_type][value={partner_type}]").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=area][value=birmingham]").click()


def test_a_refused_address_is_said_in_words_and_marked_bounced(tmp_path):
    with (
        SmtpStub() as stub,
        running_server(
            tmp_path / "server",
            CONSULT_MAIL_SERVER="127.0.0.1",
            CONSULT_MAIL_PORT=str(stub.port),
        ) as (base, links),
    ):
        stub.mailbox.refuse.add(TYPO)
        driver = make_driver(tmp_path / "profile")
        try:
            sign_in_as_demo_admin(driver, base, links.env)
            driver.get(base + "/staff/organisations/new")
            driver.find_element(By.ID, "name").send_keys(NAME)
            Select(driver.find_element(By.ID, "partner_type")).select_by_value("vcse")
            Select(driver.find_element(By.ID, "area")).select_by_value("birmingham")
            driver.find_element(By.ID, "contact_email").send_keys(TYPO)
            click_button(driver, "Add organisation")

            _invite(driver, base)
            delivered = _delivered(driver)
            assert delivered == (
                "not sent: the mail server refused this address (550 No such mailbox). "
                "Marked as bounced: correct the address under Organisations to email it again."
            ), delivered
            assert "{" not in delivered and "b'" not in delivered
            warning = " ".join(driver.find_element(By.ID, "not-sent").text.split())
            assert warning == (
                f"! Warning The email to {NAME} could not be sent. Its link works: send it "
                "yourself from the list below or the mail-merge file."
            ), warning  # was "1 of 1 emails could not be sent: …. Their links work: …"
            assert axe_violations(driver) == []

            # The refusal is remembered: the list flags it and reminders leave it out.
            assert _email_cell(driver, base) == f"{TYPO} bounced"
            driver.get(base + INVITATIONS + "/remind?q=Kings+Heath+Youth")
            assert driver.find_elements(By.ID, "nobody"), "nobody is waiting for a reminder"
            assert stub.mailbox.messages == []

            # Someone from the organisation, never having had the email, tries the open
            # link: they are not told the invitation was emailed (nor that it bounced), and
            # are told whom to ask.
            partner = make_driver(tmp_path / "partner")
            try:
                _name_on_the_open_link(partner, base)
                click_button(partner, "Continue")
                assert partner.title.startswith(f"{NAME} has been invited"), partner.title
                said = partner.find_element(By.ID, "invited-said").text
                assert said == (
                    f"{NAME} has been invited to this consultation, with its own link. "
                    "We ask each organisation for one response."
                ), said
                main = partner.find_element(By.TAG_NAME, "main").text
                assert "We have sent" not in main
                # Neutral: nobody on the open link learns that our email bounced.
                assert "did not reach" not in main and "bounced" not in main
                assert "email the consultation team" in main
                assert axe_violations(partner) == []
            finally:
                partner.quit()

            # The officer corrects the address: the bounce is cleared and the next
            # invitation goes.
            driver.get(base + "/staff/organisations?q=Kings+Heath+Youth")
            driver.find_element(By.CSS_SELECTOR, f"a[aria-label='Change {NAME}']").click()
            field = driver.find_element(By.ID, "contact_email")
            field.clear()
            field.send_keys(FIXED)
            click_button(driver, "Save changes")
            assert _email_cell(driver, base) == FIXED
            _invite(driver, base)
            assert _delivered(driver) == "sent"
            assert stub.mailbox.recipients() == [FIXED]
            caption = driver.find_element(By.CSS_SELECTOR, "#issued-links caption")
            assert caption.get_attribute("textContent") == "Invitation links"
            # A reminder's page is captioned for reminders (it said "Invitation links").
            driver.get(base + INVITATIONS + "/remind?q=Kings+Heath+Youth")
            click_button(driver, "Yes, send 1 reminder")
            assert driver.title.startswith("Reminders emailed"), driver.title
            caption = driver.find_element(By.CSS_SELECTOR, "#issued-links caption")
            assert caption.get_attribute("textContent") == "Reminder links"
            assert stub.mailbox.recipients() == [FIXED, FIXED]
        finally:
            driver.quit()


def test_closing_says_how_many_started_responses_will_not_be_sent(tmp_path):
    """The walk's officer closed the consultation while a partner had answers saved: the
    page asking "Are you sure you want to close …?" said only that "unfinished drafts are
    kept", not that there were any. It now counts them, as the database does."""
    with running_server(tmp_path / "server") as (base, links):
        partner = make_driver(tmp_path / "partner")
        staff = make_driver(tmp_path / "staff")
        try:
            _name_on_the_open_link(partner, base, name="Lye Bakery Ltd", partner_type="business")
            click_button(partner, "Save and come back later")
            assert partner.title.startswith("Your answers have been saved"), partner.title
            database = links.env["CONSULT_DATABASE_URL"].removeprefix("sqlite:///")
            with sqlite3.connect(database) as connection:
                (drafts,) = connection.execute(
                    "SELECT count(*) FROM response WHERE consultation_id = 1 AND status = 'draft'"
                ).fetchone()
            assert drafts >= 1
            sign_in_as_demo_admin(staff, base, links.env)
            staff.get(base + "/staff/consultations/1/status/close")
            said = " ".join(staff.find_element(By.ID, "consequences").text.split())
            started = f"{drafts} response{'' if drafts == 1 else 's'}"
            assert (
                f"{started} {'has' if drafts == 1 else 'have'} been started but not sent." in said
            ), said
            assert axe_violations(staff) == []
        finally:
            partner.quit()
            staff.quit()


def test_a_follow_ups_moves_with_hint_is_apart_from_remove(live_server, tmp_path):  # noqa: F811
    """The builder drew "Moves with ‘The plan should put digital skills first’Remove": the
    templates' trim_blocks ate the space between the follow-up's hint and its Remove link
    (seen and read aloud as one word)."""
    base, links = live_server
    session = demo_admin_session(base, links.env)

    def post(path: str, data: dict) -> str:
        page = session.get(base + path)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        done = session.post(base + path, data={"csrf_token": token, **data})
        assert done.status_code == 200 and "There is a problem" not in done.text, done.text
        return done.url

    builder = post("/staff/consultations/new", {"title": "Skills smoke28", "allow_open_link": "y"})
    consultation = builder.rstrip("/").rsplit("/", 1)[1]
    post(f"/staff/consultations/{consultation}/sections/new", {"title": "Needs"})
    section = re.search(r"/staff/sections/(\d+)/questions/new", session.get(builder).text)[1]
    post(
        f"/staff/sections/{section}/questions/new",
        {"kind": "agreement", "text": "Digital skills come first", "with_why": "y"},
    )
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, links.env)
        driver.get(builder)
        follow_up = driver.find_elements(By.CSS_SELECTOR, "li[id^=question-]")[-1]
        text = " ".join(follow_up.text.split())
        assert "Moves with ‘Digital skills come first’ Remove" in text, text
    finally:
        driver.quit()
