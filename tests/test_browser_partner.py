"""A real browser, as a partner meets the hard cases: two colleagues answer one invitation
at once (the one whose Continue finds the other's change is told so first: the banner takes
focus, so a screen reader reads it instead of the same page's title again, and the page
passes axe's WCAG 2.2 AA rules and reflows at 320 px); Check your answers sent after
another tab changed an answer; a page too large to send; pasted text shown exactly."""

from __future__ import annotations

from tests import test_browser
from tests.test_browser import axe_violations, click_button, make_driver
from tests.test_browser_layout import answer_sections, cell_texts, page_width, set_width

live_server = test_browser.live_server  # the same real-server fixture, for this module

By = test_browser.By


def on_first_section(driver, link: str) -> None:
    """Open the invitation link and go on to the first section page."""
    driver.get(link)
    button = driver.find_element(By.CSS_SELECTOR, "main form .govuk-button").text
    click_button(driver, button)
    if driver.title.startswith("About you –"):
        click_button(driver, "Continue")
    assert driver.title.startswith("Working with government"), driver.title


def on_first_section_by_the_open_link(driver, base: str, organisation: str) -> None:
    """Start a new response by the consultation's open link, as ``organisation``."""
    driver.get(base + "/c/trailblazer-devolution-deal")
    click_button(driver, "Start now")
    driver.find_element(By.CSS_SELECTOR, "input[name=answering_as][value=organisation]").click()
    driver.find_element(By.ID, "organisation_name").send_keys(organisation)
    driver.find_element(By.CSS_SELECTOR, "input[name=partner_type][value=vcse]").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=area]").click()
    click_button(driver, "Continue")
    assert driver.title.startswith("Working with government"), driver.title


def focused_id(driver) -> str:
    return driver.execute_script("return document.activeElement.id")


def test_a_colleagues_clash_takes_focus_and_passes_axe(live_server, tmp_path):
    _, invitation_link = live_server
    link = invitation_link()
    alice = make_driver(tmp_path / "alice")
    bob = make_driver(tmp_path / "bob")
    try:
        set_width(bob, 320)  # Bob answers on a phone
        on_first_section(alice, link)
        on_first_section(bob, link)
        for driver, agree, reason in ((alice, "agree", "Alice's"), (bob, "disagree", "Bob's")):
            driver.find_element(By.CSS_SELECTOR, f"input[name=q1][value={agree}]").click()
            driver.find_elements(By.TAG_NAME, "textarea")[0].send_keys(f"{reason} reason")
        click_button(alice, "Continue")
        assert alice.title.startswith("Business and the economy")
        click_button(bob, "Continue")

        assert bob.title.startswith("Working with government"), bob.title
        assert "Alice's reason" in bob.find_element(By.ID, "q2-conflict").text
        assert bob.find_element(By.ID, "q2").get_attribute("value") == "Bob's reason"
        # The banner has focus (it had none: the page began at the top as before).
        assert focused_id(bob) == "conflict-message"
        assert axe_violations(bob) == []
        assert page_width(bob) <= 320

        # Bob has read Alice's answer: Continue keeps his and moves on.
        click_button(bob, "Continue")
        assert bob.title.startswith("Business and the economy"), bob.title
    finally:
        alice.quit()
        bob.quit()


def test_a_page_too_large_to_send_says_how_to_get_back_to_its_answers(live_server, tmp_path):
    """A whole report pasted into an answer (more than the 1 MB a page may send): the
    'too large' page says nothing was saved and to use Back, and Back does bring every
    answer on the page back, to shorten and send."""
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        on_first_section_by_the_open_link(driver, base, "Pasted Report Trust")
        driver.find_element(By.CSS_SELECTOR, "input[name=q1][value=agree]").click()
        why, how = driver.find_elements(By.TAG_NAME, "textarea")[:2]
        how.send_keys("Joint boards.")
        driver.execute_script(  # a paste: typing 1.2 million characters takes too long
            "arguments[0].value = 'Our report. ' + 'x'.repeat(1200000);"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            why,
        )
        click_button(driver, "Continue")
        assert driver.title.startswith("What you sent is too large"), driver.title
        assert (
            "Back button to return to your answers" in driver.find_element(By.TAG_NAME, "main").text
        )
        assert axe_violations(driver) == []

        driver.back()
        assert driver.title.startswith("Working with government"), driver.title
        why, how = driver.find_elements(By.TAG_NAME, "textarea")[:2]
        assert how.get_attribute("value") == "Joint boards."
        assert why.get_attribute("value").startswith("Our report. xxx")
        assert driver.find_element(By.CSS_SELECTOR, "input[name=q1][value=agree]").is_selected()
        driver.execute_script("arguments[0].value = 'Our report, in short.'", why)
        click_button(driver, "Continue")
        assert driver.title.startswith("Business and the economy"), driver.title
    finally:
        driver.quit()


def test_accept_and_send_after_another_tab_changed_an_answer(live_server, tmp_path):
    """Check your answers open in one tab, an answer changed in another: 'Accept and send'
    does not send what the first tab never showed. It comes back with the new answer, says
    why first (the banner has focus), passes axe, and sends on the next click."""
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        on_first_section_by_the_open_link(driver, base, "Two Tabs College")
        answer_sections(driver, first_answer="Written in the first tab.")
        check_tab = driver.current_window_handle

        driver.switch_to.new_window("tab")
        driver.get(base + "/c/trailblazer-devolution-deal/section/1?return=check")
        driver.find_elements(By.TAG_NAME, "textarea")[0].send_keys(" Added in the second tab.")
        click_button(driver, "Continue")
        assert driver.title.startswith("Check your answers")
        driver.close()

        driver.switch_to.window(check_tab)
        assert "Added in the second tab" not in driver.find_element(By.TAG_NAME, "main").text
        click_button(driver, "Accept and send")
        assert driver.title.startswith("Check your answers"), driver.title
        assert "Added in the second tab" in driver.find_element(By.TAG_NAME, "main").text
        assert focused_id(driver) == "changed-message"
        assert axe_violations(driver) == []
        click_button(driver, "Accept and send")
        assert driver.title.startswith("Response sent"), driver.title
    finally:
        driver.quit()


# Pasted text: right-to-left scripts, emoji sequences, isolates, a zero-width space, and the
# line and paragraph separators some editors put in (U+2028 and U+2029).
PASTED = (
    "مرحبا بالعالم! (שלום) 👨\u200d👩\u200d👧\u200d👦 e\u0301 \u2066isolated\u2069"
    " zero\u200bwidth\nNext line\u2028after a line separator\u2029after a paragraph one"
)


def directions(driver, css: str) -> list[str]:
    """The direction each element matching ``css`` runs in, as Chromium resolved it."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])]"
        ".map(e => e.matches(':dir(rtl)') ? 'rtl' : 'ltr')",
        css,
    )


def test_pasted_text_is_shown_exactly_as_typed(live_server, tmp_path):
    """An answer pasted with odd characters comes back as it went in: in its text area, on
    Check your answers and on the confirmation (the line separators had six spaces put
    after them there), running right to left as written (it ran left to right)."""
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        on_first_section_by_the_open_link(driver, base, "Pasted Text Trust")
        driver.find_element(By.CSS_SELECTOR, "input[name=q1][value=agree]").click()
        driver.execute_script(  # a paste (ChromeDriver types only the basic plane)
            "arguments[0].value = arguments[1];", driver.find_element(By.ID, "q2"), PASTED
        )
        click_button(driver, "Save and come back later")
        driver.get(base + "/c/trailblazer-devolution-deal/section/1")
        assert driver.find_element(By.ID, "q2").get_attribute("value") == PASTED
        # Written right to left, it runs right to left (its "!" at its end, on the left);
        # an empty text area or one in English stays left to right.
        assert directions(driver, "#q2, #q3") == ["rtl", "ltr"]
        click_button(driver, "Continue")
        answer_sections(driver)
        assert PASTED in cell_texts(driver), cell_texts(driver)
        answers = ".govuk-summary-list__value span"
        assert directions(driver, answers)[:5] == ["ltr", "ltr", "ltr", "ltr", "rtl"]
        click_button(driver, "Accept and send")
        assert driver.title.startswith("Response sent"), driver.title
        assert PASTED in cell_texts(driver), cell_texts(driver)
        assert "rtl" in directions(driver, answers)
    finally:
        driver.quit()
