"""A real browser: the journey's Back link keeps what was typed on the page it leaves, and
the browser's own Back button and reload never ask to send a form again ("Confirm Form
Resubmission") nor bring back a page of a response already sent, not even after a form was
posted with an expired CSRF token."""

from __future__ import annotations

import time

import pytest
import requests
from bs4 import BeautifulSoup
from itsdangerous.encoding import base64_decode, bytes_to_int

from tests.test_browser import (  # noqa: F401  (live_server and browser are fixtures used by name)
    By,
    axe_violations,
    browser,
    choose,
    click_button,
    follow_link,
    live_server,
    make_driver,
    running_server,
    sign_in_as_demo_admin,
)

pytestmark = pytest.mark.coding_encoder

SLUG = "trailblazer-devolution-deal"
# The short-lived server's CSRF tokens last this many seconds (signed in whole seconds, so
# one may expire a second early): long enough for each ordinary step of a test, short enough
# to outlive on purpose.
TOKEN_SECONDS = 8


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
        follow_link(driver, "a.govuk-back-link")
        assert driver.title.startswith("About you –")
        click_button(driver, "Continue")
        kept = driver.find_element(By.NAME, name).get_attribute("value")
        assert kept == "Typed, then the partner went back"
        # Unchanged, the Back link is a plain link: no save, no error, the page before.
        follow_link(driver, "a.govuk-back-link")
        assert driver.title.startswith("About you –")
    finally:
        driver.quit()


def asks_to_resubmit(driver) -> bool:
    """Chromium's "Confirm Form Resubmission" page (a POST's history entry it will not
    send again by itself)."""
    return "ERR_CACHE_MISS" in driver.page_source


def start_by_the_open_link(driver, base: str) -> None:
    """A new response by the consultation's open link (the demo's invitations run out),
    with "About your organisation" answered: on the first section page."""
    driver.get(base + "/c/trailblazer-devolution-deal")
    click_button(driver, "Start now")
    assert driver.title.startswith("About you –")
    choose(driver, "answering_as", "organisation")
    driver.find_element(By.ID, "organisation_name").send_keys("Back Button Trust")
    choose(driver, "partner_type", "business_body")
    choose(driver, "area", "coventry")
    click_button(driver, "Continue")
    assert driver.title.startswith("Working with government")


def typed_why(driver) -> str:
    return driver.find_elements(By.TAG_NAME, "textarea")[0].get_attribute("value")


def test_the_browsers_back_button_keeps_what_was_typed(live_server, browser):  # noqa: F811
    """fixc17 (smoke17): typed on a page, then the browser's Back (or a phone's swipe), then
    Continue on the page before: the answer was gone. With scripts the page saves what was
    typed as it is left (a "draft" save); without them a page is saved by its buttons only,
    as before."""
    start_by_the_open_link(browser, live_server[0])
    choose(
        browser,
        browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")[0].get_attribute("name"),
        "agree",
    )
    click_button(browser, "Continue")
    assert browser.title.startswith("Business and the economy"), browser.title
    box = browser.find_elements(By.TAG_NAME, "textarea")[0]
    name = box.get_attribute("name")
    box.send_keys("Typed, then the browser's Back")
    browser.back()
    assert browser.title.startswith("Working with government"), browser.title
    time.sleep(0.5)  # a person takes longer than this to find the button
    click_button(browser, "Continue")
    assert browser.title.startswith("Business and the economy"), browser.title
    kept = browser.find_element(By.NAME, name).get_attribute("value")
    if browser.javascript:
        assert kept == "Typed, then the browser's Back"
        # More typed on the page drawn again, then Back and Forward: still the partner's
        # own answer, never a colleague's clash, and Continue keeps it all.
        browser.find_element(By.NAME, name).send_keys(", and more")
        browser.back()
        browser.forward()
        assert browser.title.startswith("Business and the economy"), browser.title
        time.sleep(0.5)
        box = browser.find_element(By.NAME, name)
        assert box.get_attribute("value") == "Typed, then the browser's Back, and more"
        box.send_keys(" and more")
        click_button(browser, "Continue")
        assert browser.find_elements(By.ID, "conflict-message") == []
        browser.back()
        assert (
            browser.find_element(By.NAME, name).get_attribute("value")
            == "Typed, then the browser's Back, and more and more"
        )
    else:
        assert kept == ""  # as before: no script, no save on leaving


def test_browser_back_and_reload_after_a_validation_error(live_server, browser):  # noqa: F811
    start_by_the_open_link(browser, live_server[0])
    browser.find_elements(By.TAG_NAME, "textarea")[0].send_keys("Typed before the error")
    click_button(browser, "Continue")  # the agreement question is left unanswered

    def shows_the_error():
        assert not asks_to_resubmit(browser)
        assert browser.title.startswith("Error: Working with government")
        summary = browser.find_element(By.CLASS_NAME, "govuk-error-summary")
        assert (
            "Select how much you agree or disagree with ‘The single funding settlement gives "
            "the region enough control over how money is spent’"
        ) in summary.text
        if browser.javascript:  # GOV.UK Frontend moves focus to the summary
            assert browser.switch_to.active_element == summary
        assert typed_why(browser) == "Typed before the error"

    shows_the_error()
    browser.refresh()  # the error page is a GET: reloading it sends nothing
    shows_the_error()
    browser.back()  # the page's entry from before Continue: it still needs fixing
    shows_the_error()
    browser.forward()
    shows_the_error()

    radios = browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")
    choose(browser, radios[0].get_attribute("name"), "agree")
    click_button(browser, "Continue")
    assert browser.title.startswith("Business and the economy")
    browser.back()  # to the page that had the error: now as saved, nothing to fix
    assert not asks_to_resubmit(browser)
    assert browser.title.startswith("Working with government")
    assert browser.find_elements(By.CLASS_NAME, "govuk-error-summary") == []
    assert typed_why(browser) == "Typed before the error"
    checked = browser.find_element(By.CSS_SELECTOR, "input[type=radio][value=agree]")
    assert checked.is_selected()


def test_browser_back_after_sending_shows_it_was_sent(live_server, browser):  # noqa: F811
    start_by_the_open_link(browser, live_server[0])
    while not browser.title.startswith("Check your answers"):
        for radio in browser.find_elements(By.CSS_SELECTOR, ".govuk-radios input[type=radio]"):
            if radio.get_attribute("value") == "agree":
                radio.click()
        click_button(browser, "Continue")
    click_button(browser, "Accept and send")
    assert browser.title.startswith("Response sent")
    assert browser.find_elements(By.ID, "already-sent") == []
    reference = browser.find_element(By.ID, "reference").text

    for _ in range(3):  # check answers, then the last sections: never an editable page
        browser.back()
        assert not asks_to_resubmit(browser)
        assert browser.title.startswith("Response sent"), browser.title
        assert browser.current_url.endswith("/confirmation?already=sent")
        banner = browser.find_element(By.ID, "already-sent").text
        assert "This response has already been sent" in banner
        assert "cannot be changed or sent again" in banner
        assert browser.find_element(By.ID, "reference").text == reference
        assert browser.find_element(By.ID, "what-happens-next").text
        assert browser.find_elements(By.CSS_SELECTOR, "form[method=post]") == []


def test_browser_back_to_a_saved_page_then_changing_it_is_no_clash(live_server, browser):  # noqa: F811
    """Regression: Chrome brought the page back from its back/forward cache with the
    answers' digests from before the partner's own save, so changing an answer there said
    a colleague had changed it. Every save now changes the session cookie, which makes
    Chrome ask the server again."""
    start_by_the_open_link(browser, live_server[0])
    browser.find_elements(By.TAG_NAME, "textarea")[0].send_keys("First thoughts")
    radios = browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")
    choose(browser, radios[0].get_attribute("name"), "agree")
    click_button(browser, "Continue")
    assert browser.title.startswith("Business and the economy")
    browser.back()
    assert browser.title.startswith("Working with government")
    assert typed_why(browser) == "First thoughts"
    why = browser.find_elements(By.TAG_NAME, "textarea")[0]
    why.clear()
    why.send_keys("Second thoughts")
    click_button(browser, "Continue")
    assert browser.title.startswith("Business and the economy")  # saved, no clash
    browser.back()
    assert browser.find_elements(By.ID, "conflict-message") == []
    assert typed_why(browser) == "Second thoughts"


# --- a form posted after its CSRF token expired ----------------------------------------------


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory):
    """A live server whose forms' CSRF tokens expire after :data:`TOKEN_SECONDS`."""
    with running_server(
        tmp_path_factory.mktemp("short-lived"), CONSULT_WTF_CSRF_TIME_LIMIT=str(TOKEN_SECONDS)
    ) as served:
        yield served


def let_the_token_expire(driver) -> None:
    """Wait until the page's CSRF tokens are older than :data:`TOKEN_SECONDS` (as the server
    counts: whole seconds since the newest token was signed), not a fixed sleep from now."""
    signed = [
        bytes_to_int(base64_decode(token.rsplit(".", 2)[1]))
        for field in driver.find_elements(By.CSS_SELECTOR, "input[name=csrf_token]")
        if (token := field.get_attribute("value")) and token.count(".") >= 2
    ]
    if not signed:
        time.sleep(TOKEN_SECONDS + 2)
        return
    # Expired once int(now) - signed > TOKEN_SECONDS; a quarter second to spare.
    time.sleep(max(0.0, max(signed) + TOKEN_SECONDS + 1.25 - time.time()))


def expired_banner(driver) -> str:
    found = driver.find_elements(By.ID, "csrf-message")
    return found[0].text if found else ""


def resume_link_of_another_draft(base: str) -> str:
    """Another browser's saved open-link draft ("Other Trust"): its resume link."""
    other = requests.Session()

    def fields(page) -> dict[str, str]:
        form = BeautifulSoup(page.text, "html.parser").find("form", method="post")
        return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}

    start = other.get(f"{base}/c/{SLUG}", timeout=30)
    organisation = other.post(f"{base}/c/{SLUG}", data=fields(start), timeout=30)
    answers = {
        "organisation_name": "Other Trust",
        "partner_type": "business_body",
        "area": "coventry",
        "action": "save",
    }
    saved = other.post(organisation.url, data={**fields(organisation), **answers}, timeout=30)
    link = BeautifulSoup(saved.text, "html.parser").find(id="resume-link")["href"]
    return link


def test_a_page_posted_with_an_expired_token_keeps_what_was_typed(short_lived, browser):  # noqa: F811
    start_by_the_open_link(browser, short_lived[0])
    browser.find_elements(By.TAG_NAME, "textarea")[0].send_keys("Typed, then lunch")
    radios = browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")
    choose(browser, radios[0].get_attribute("name"), "agree")
    let_the_token_expire(browser)
    click_button(browser, "Continue")

    def offers_it_back():
        assert not asks_to_resubmit(browser)
        assert browser.title.startswith("Working with government"), browser.title
        assert "could not save it" in expired_banner(browser)
        if browser.javascript:  # said first: the banner takes focus, as an error summary would
            assert browser.execute_script("return document.activeElement.id") == "csrf-message"
        assert typed_why(browser) == "Typed, then lunch"
        checked = browser.find_element(By.CSS_SELECTOR, "input[type=radio][value=agree]")
        assert checked.is_selected()

    offers_it_back()
    browser.refresh()  # a GET: reloading it sends nothing, and the answers are still there
    offers_it_back()
    browser.back()  # the page's entry from before Continue: its answers were not saved
    offers_it_back()
    browser.forward()
    offers_it_back()

    browser.refresh()  # a token drawn just now
    click_button(browser, "Continue")
    assert browser.title.startswith("Business and the economy")
    browser.back()  # saved now: the page as saved, nothing said
    assert not asks_to_resubmit(browser)
    assert expired_banner(browser) == ""
    assert typed_why(browser) == "Typed, then lunch"


def test_the_start_page_posted_with_an_expired_token(short_lived, browser):  # noqa: F811
    browser.get(f"{short_lived[0]}/c/{SLUG}")
    title = browser.title
    let_the_token_expire(browser)
    click_button(browser, "Start now")
    assert not asks_to_resubmit(browser)
    assert browser.title == title and "nothing was saved" in expired_banner(browser)
    click_button(browser, "Start now")  # the page drawn again has a fresh token
    assert browser.title.startswith("About you –")
    browser.back()  # to the page drawn after the expired POST: a GET, sent again by nothing
    assert not asks_to_resubmit(browser) and browser.title == title
    browser.refresh()
    assert not asks_to_resubmit(browser) and browser.title == title
    browser.forward()
    assert not asks_to_resubmit(browser)
    assert browser.title.startswith("About you –")


def test_the_switch_draft_page_posted_with_an_expired_token(short_lived, browser):  # noqa: F811
    base = short_lived[0]
    start_by_the_open_link(browser, base)  # this browser's own draft: "Back Button Trust"
    link = resume_link_of_another_draft(base)
    browser.get(link)
    assert browser.title.startswith("You already have answers in progress")
    let_the_token_expire(browser)
    click_button(browser, "Switch to the answers from the link")

    def asks_again():
        assert not asks_to_resubmit(browser)
        assert browser.title.startswith("You already have answers in progress"), browser.title

    asks_again()
    assert "nothing was saved" in expired_banner(browser)
    browser.refresh()
    asks_again()
    follow_link(browser, "#keep-draft")  # keep this browser's answers, then change one's mind
    assert browser.title.startswith("Working with government")
    browser.back()
    asks_again()
    browser.forward()
    assert not asks_to_resubmit(browser)
    # Nothing was switched: this browser's own answers are as they were.
    browser.get(f"{base}/c/{SLUG}/organisation")
    assert browser.find_element(By.ID, "organisation_name").get_attribute("value") == (
        "Back Button Trust"
    )
    browser.get(link)
    click_button(browser, "Switch to the answers from the link")
    assert browser.find_element(By.ID, "organisation_name").get_attribute("value") == (
        "Other Trust"
    )


def test_a_staff_form_posted_with_an_expired_token(short_lived, browser):  # noqa: F811
    """A staff form goes back to its page, filled in as typed (never the password:
    consult/staff/kept_forms.py); reload and Back ask nothing."""
    base, links = short_lived
    sign_in_as_demo_admin(browser, base, links.env)
    browser.get(f"{base}/staff/users")
    browser.find_element(By.ID, "email").send_keys("late.starter@example.org")
    browser.find_element(By.ID, "password").send_keys("a long secret phrase")
    let_the_token_expire(browser)
    click_button(browser, "Add user")
    assert not asks_to_resubmit(browser)
    assert browser.title.startswith("Users"), browser.title
    email = browser.find_element(By.ID, "email").get_attribute("value")
    assert email == "late.starter@example.org"
    assert browser.find_element(By.ID, "password").get_attribute("value") == ""
    assert "a long secret phrase" not in browser.page_source
    if browser.javascript:
        assert axe_violations(browser) == []
    browser.refresh()
    assert not asks_to_resubmit(browser) and browser.title.startswith("Users")
    browser.get(f"{base}/staff/")
    browser.back()
    assert not asks_to_resubmit(browser) and browser.title.startswith("Users")


# --- a page posted after the browser's session lost its draft -------------------------------


def test_a_staff_sign_in_in_the_same_browser_keeps_the_partners_draft(live_server, browser):  # noqa: F811
    """A staff sign-in in another tab of the same browser gives it a new session, but the
    partner's draft is carried over: Continue on the partner's page (drawn before, so its
    token is of no use) comes back to the page as typed, saying why, and the next Continue
    saves it. Reload and Back never post the form again."""
    base, invitation_link = live_server
    start_by_the_open_link(browser, base)
    partner_tab = browser.current_window_handle
    browser.find_elements(By.TAG_NAME, "textarea")[0].send_keys("Typed while staff signed in")
    radios = browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")
    choose(browser, radios[0].get_attribute("name"), "agree")
    browser.switch_to.new_window("tab")
    sign_in_as_demo_admin(browser, base, invitation_link.env)
    browser.switch_to.window(partner_tab)
    click_button(browser, "Continue")

    def offers_it_back():
        assert not asks_to_resubmit(browser)
        assert browser.title.startswith("Working with government"), browser.title
        assert typed_why(browser) == "Typed while staff signed in"
        assert "signed in to or out of the consultation team" in expired_banner(browser)

    offers_it_back()
    if browser.javascript:
        assert axe_violations(browser) == []
    browser.refresh()  # a GET: nothing is posted again
    offers_it_back()
    click_button(browser, "Continue")
    assert browser.title.startswith("Business and the economy"), browser.title
    browser.back()
    assert not asks_to_resubmit(browser)
    assert typed_why(browser) == "Typed while staff signed in"  # saved


def test_a_page_posted_after_the_session_cookie_expired_comes_back_on_the_resume_link(
    live_server,  # noqa: F811
    browser,  # noqa: F811
):
    """The session cookie expires while the partner types: Continue is redirected (303) to
    the page's GET, which shows what was typed and says to open the resume link again;
    reload and Back never post the form again; the resume link, opened in this browser,
    brings the page back filled in, and Continue then saves it."""
    base, _ = live_server
    start_by_the_open_link(browser, base)
    page_url = browser.current_url
    browser.get(f"{base}/c/{SLUG}/saved")
    resume = browser.find_element(By.ID, "resume-link").get_attribute("href")
    browser.get(page_url)
    browser.find_elements(By.TAG_NAME, "textarea")[0].send_keys("Typed as the cookie expired")
    radios = browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")
    choose(browser, radios[0].get_attribute("name"), "agree")
    browser.delete_all_cookies()  # the session cookie expired: the browser sends none
    click_button(browser, "Continue")

    def offers_it_back():
        assert not asks_to_resubmit(browser)
        assert browser.title.startswith("Start from the beginning"), browser.title
        typed = browser.find_element(By.ID, "typed-answers").text
        assert "Typed as the cookie expired" in typed and "Agree" in typed
        way_back = browser.find_element(By.ID, "typed-way-back").text
        assert "open the link to come back to your answers again" in way_back

    offers_it_back()
    if browser.javascript:
        assert axe_violations(browser) == []
    browser.refresh()  # a GET: nothing is posted again
    offers_it_back()
    browser.back()
    assert not asks_to_resubmit(browser)
    browser.forward()
    offers_it_back()
    browser.get(resume)
    assert browser.current_url == page_url
    assert typed_why(browser) == "Typed as the cookie expired"
    assert "could not be found in this browser" in expired_banner(browser)
    checked = browser.find_element(By.CSS_SELECTOR, "input[type=radio][value=agree]")
    assert checked.is_selected()
    click_button(browser, "Continue")
    assert browser.title.startswith("Business and the economy"), browser.title
    browser.get(page_url)
    assert typed_why(browser) == "Typed as the cookie expired"  # saved
    assert expired_banner(browser) == ""
