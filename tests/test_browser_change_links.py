"""A real browser: a "Change" link on Check your answers lands on the question it names,
with and without JavaScript (the field focused, its question in view, not the top of the
page nor the field alone with its question scrolled off above), also at 320 px wide; after
Continue the partner is back on Check your answers with the new answer."""

from __future__ import annotations

from tests.test_browser import (  # noqa: F401  (live_server and browser are fixtures used by name)
    By,
    WebDriverWait,
    _replaced,
    browser,
    click_button,
    live_server,
)

# Where the field and its question are in the window, and what has the focus.
WHERE = """
const field = document.getElementById(arguments[0]);
const group = field.closest('.govuk-form-group');
const question = group.querySelector('legend, label');
return {
  focused: document.activeElement === field,
  question: question.getBoundingClientRect().top,
  questionText: question.textContent.trim(),
  field: field.getBoundingClientRect().top,
  scrolled: window.scrollY,
  height: window.innerHeight,
};
"""


def where(driver, field_id: str) -> dict:
    """Measured with scripts on for this call alone, when the page was loaded without."""
    if not driver.javascript:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    try:
        return driver.execute_script(WHERE, field_id)
    finally:
        if not driver.javascript:
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})


def change(driver, field_id: str) -> None:
    """Follow the Change link to ``field_id`` and wait for its page."""
    link = driver.find_element(
        By.CSS_SELECTOR, f".govuk-summary-list__actions a[href$='#{field_id}']"
    )
    page = driver.find_element(By.TAG_NAME, "html")
    link.click()
    wait = WebDriverWait(driver, 15)
    wait.until(_replaced(page))
    wait.until(lambda _: driver.execute_script("return document.readyState") == "complete")
    wait.until(lambda _: where(driver, field_id)["focused"])


def assert_lands_on_question(driver, field_id: str, question: str) -> None:
    found = where(driver, field_id)
    assert found["focused"], found
    assert found["scrolled"] > 0, found  # not the top of the page: the question is further down
    assert question in found["questionText"], found
    # The question (legend or label) is in the window, above its field, which is in it too.
    assert -1 <= found["question"] < found["field"] < found["height"], found


def test_change_links_land_on_the_question_and_return_to_check(live_server, browser):  # noqa: F811
    base, invitation_link = live_server
    browser.get(invitation_link())
    click_button(browser, "Start now")
    click_button(browser, "Continue")
    for _ in range(4):
        for radio in browser.find_elements(By.CSS_SELECTOR, ".govuk-radios input[type=radio]"):
            if radio.get_attribute("value") == "agree":
                radio.click()
        click_button(browser, "Continue")
    assert browser.title.startswith("Check your answers")
    check = browser.current_url

    # A set of radios further down its page: its legend in view, the field focused.
    radios = browser.find_elements(By.CSS_SELECTOR, ".govuk-summary-list__actions a")[8]
    field_id = radios.get_attribute("href").rsplit("#", 1)[1]
    question = browser.execute_script(
        "return arguments[0].closest('.govuk-summary-list__row')"
        ".querySelector('dt').textContent.trim()",
        radios,
    )
    change(browser, field_id)
    assert "return=check" in browser.current_url
    assert_lands_on_question(browser, field_id, question)

    # A text box, at 320 px wide: its label in view, the field focused; a new answer.
    browser.get(check)
    browser.set_window_size(320, 700)
    text_id = f"q{int(field_id[1:]) + 1}"
    change(browser, text_id)
    assert_lands_on_question(browser, text_id, "Why do you say that?")
    width = browser.execute_script(
        "const root = document.documentElement; return root.scrollWidth - root.clientWidth"
    )
    assert width <= 0, f"the page scrolls sideways by {width} px at 320 px wide"
    box = browser.find_element(By.ID, text_id)
    box.clear()
    box.send_keys("Changed from Check your answers")
    click_button(browser, "Continue")

    # Continue goes back to Check your answers, which shows the new answer.
    assert browser.title.startswith("Check your answers"), browser.title
    assert "Changed from Check your answers" in browser.find_element(By.TAG_NAME, "main").text
