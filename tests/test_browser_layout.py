"""Layout in a real browser: pages reflow at 320 CSS pixels (WCAG 1.4.10), answers show exactly
as typed, long links wrap, the header's focus style, footer links and the cookies actually set.

Uses the real ``flask run`` server and Chromium from ``tests/test_browser.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import test_browser
from tests.test_browser import axe_violations, click_button, live_server_env, make_driver

live_server = test_browser.live_server  # the same real-server fixture, for this module

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402

FOOTER_PAGES = ["/privacy", "/accessibility", "/cookies", "/contact"]
# Typed with a leading space, a blank line and a trailing space: shown exactly like that.
ANSWER = " Buses first.\n\n  Then housing, near the new stations. "


def set_width(driver, width: int) -> None:
    """Make the page exactly ``width`` CSS pixels wide, as a phone or a 400% zoom would."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )


def page_width(driver) -> int:
    return driver.execute_script("return document.documentElement.scrollWidth")


def button_gaps(driver, css: str, sideways: bool = False) -> list[float]:
    """For each form matching ``css`` (a form right after another), the space between its
    button and the previous form's: below it, or beside it when ``sideways``."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(f => {"
        " const a = f.previousElementSibling.querySelector('button').getBoundingClientRect();"
        " const b = f.querySelector('button').getBoundingClientRect();"
        " return arguments[1] ? b.left - a.right : b.top - a.bottom; });",
        css,
        sideways,
    )


def footer_links(driver) -> list[str]:
    return [
        a.get_attribute("pathname")
        for a in driver.find_elements(By.CSS_SELECTOR, "footer #footer-links a")
    ]


def cell_texts(driver) -> list[str]:
    """What each summary list value shows, as rendered (``innerText`` keeps pre-wrap space)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('.govuk-summary-list__value')].map(e => e.innerText)"
    )


def header_focus_colours(driver) -> tuple[str, str]:
    return tuple(
        driver.execute_script(
            "const a = document.querySelector('.consult-header__title'); a.focus();"
            "const s = getComputedStyle(a); return [s.color, s.backgroundColor];"
        )
    )


def answer_sections(driver, first_answer: str | None = None) -> None:
    """From the first section, agree to every scale (and type ``first_answer`` into the
    first text area) until Check your answers."""
    for _ in range(10):
        if driver.title.startswith("Check your answers"):
            return
        if first_answer is not None:
            driver.find_elements(By.TAG_NAME, "textarea")[0].send_keys(first_answer)
            first_answer = None
        for radio in driver.find_elements(By.CSS_SELECTOR, ".govuk-radios input[type=radio]"):
            if radio.get_attribute("value") == "agree":
                radio.click()
        click_button(driver, "Continue")
    pytest.fail(f"did not reach Check your answers: {driver.title}")


@pytest.fixture
def narrow_browser(tmp_path):
    driver = make_driver(tmp_path / "profile")
    set_width(driver, 320)
    yield driver
    driver.quit()


def test_partner_pages_reflow_at_320_and_show_answers_exactly(live_server, narrow_browser):
    base, _ = live_server
    driver = narrow_browser
    widths: dict[str, int] = {}
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        widths[name] = page_width(driver)
        if footer_links(driver) != FOOTER_PAGES:
            problems.setdefault(name, []).append(f"footer links {footer_links(driver)}")
        found = axe_violations(driver)
        if found:
            problems.setdefault(name, []).extend(found)

    driver.get(base + "/c/trailblazer-devolution-deal")
    check("start")
    assert header_focus_colours(driver) == ("rgb(11, 12, 12)", "rgb(255, 221, 0)")
    click_button(driver, "Start now")
    assert driver.title.startswith("About you –")
    driver.find_element(By.CSS_SELECTOR, "input[name=answering_as][value=organisation]").click()
    driver.find_element(By.ID, "organisation_name").send_keys("Reflow Test Community Trust")
    driver.find_element(By.CSS_SELECTOR, "input[name=partner_type][value=vcse]").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=area]").click()
    check("organisation")
    click_button(driver, "Save and come back later")

    assert driver.title.startswith("Your answers have been saved")
    link = driver.find_element(By.ID, "resume-link")
    assert "/resume/" in link.text
    right = driver.execute_script("return arguments[0].getBoundingClientRect().right", link)
    assert right <= 320, f"the resume link runs off the page (to {right}px)"
    check("saved")

    driver.find_element(By.LINK_TEXT, "Continue your response now").click()
    if driver.title.startswith("About you –"):
        click_button(driver, "Continue")
    check("section")
    answer_sections(driver, first_answer=ANSWER)
    check("check")
    assert ANSWER in cell_texts(driver), cell_texts(driver)
    click_button(driver, "Accept and send")
    assert driver.title.startswith("Response sent")
    check("confirmation")
    assert ANSWER in cell_texts(driver), cell_texts(driver)

    for path in FOOTER_PAGES:
        driver.get(base + path)
        assert "Sorry" not in driver.title, path
        check(path)

    assert {name: w for name, w in widths.items() if w > 320} == {}
    assert problems == {}

    # The cookies page lists every cookie the service set on the way.
    names = {cookie["name"] for cookie in driver.get_cookies()}
    assert names, "no cookie was set"
    driver.get(base + "/cookies")
    listed = driver.find_element(By.ID, "cookie-list").text
    assert all(name in listed for name in names), (names, listed)


def sign_in(driver, base: str, live_server) -> None:
    test_browser.sign_in_as_demo_admin(driver, base, live_server_env(live_server))


def unanswered_copy(driver, base: str, consultation: str, folder: Path) -> str:
    """A draft copy of ``consultation`` (its definition exported and imported again through
    the pages), whose pages and questions can still be moved: nobody has answered it."""
    import requests

    session = requests.Session()
    for cookie in driver.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    definition = folder / "definition.json"
    definition.write_bytes(session.get(base + consultation + "/definition.json").content)
    driver.get(base + "/staff/definitions/import")
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(definition))
    driver.find_element(By.NAME, "slug").send_keys("unanswered-copy")
    click_button(driver, "Import")
    return driver.execute_script("return location.pathname")


def test_staff_pages_reflow_at_320(live_server, narrow_browser, tmp_path):
    """Every main staff page fits 320 px (wide tables scroll in their own focusable region),
    passes axe at that width, has the footer links, and shows answers without added space."""
    base, _ = live_server
    driver = narrow_browser
    sign_in(driver, base, live_server)
    assert header_focus_colours(driver) == ("rgb(11, 12, 12)", "rgb(255, 221, 0)")
    consultation = driver.find_element(By.CSS_SELECTOR, "td a").get_attribute("pathname")
    driver.get(base + consultation + "/responses")
    response = driver.find_element(By.CSS_SELECTOR, "td a[href*='/staff/responses/']")
    response = response.get_attribute("pathname")
    driver.get(base + consultation)
    edits = {
        a.get_attribute("pathname")
        for a in driver.find_elements(By.CSS_SELECTOR, "a[href*='/edit']")
        if "/sections/" in a.get_attribute("href") or "/questions/" in a.get_attribute("href")
    }
    pages = [
        "/staff/",
        "/staff/users",
        "/staff/organisations",
        "/staff/audit",
        "/staff/consultations/new",
        "/staff/definitions/import",
        consultation,
        consultation + "/edit",
        consultation + "/dashboard",
        consultation + "/sections/new",
        consultation + "/responses",
        consultation + "/invitations",
        consultation + "/import",
        response,
        *sorted(edits)[:2],
    ]
    widths: dict[str, int] = {}
    problems: dict[str, list[str]] = {}
    for path in pages:
        driver.get(base + path)
        assert "Sorry" not in driver.title, path
        widths[path] = page_width(driver)
        if footer_links(driver) != FOOTER_PAGES:
            problems.setdefault(path, []).append(f"footer links {footer_links(driver)}")
        found = axe_violations(driver)
        if found:
            problems.setdefault(path, []).extend(found)
        if path == response:
            texts = cell_texts(driver)
            # Nothing added around an answer (the partner test's own answer has spaces).
            assert texts and all(t == t.strip() or t == ANSWER for t in texts), texts
    assert {path: w for path, w in widths.items() if w > 320} == {}
    assert problems == {}
    # The builder's one-button forms side by side never touch, so two buttons never read as
    # one: Up above Down on a phone, Move section up beside Move section down on a desktop.
    # Moves are offered only until someone answers: a copy nobody has answered has them.
    consultation = unanswered_copy(driver, base, consultation, tmp_path)
    assert "/staff/consultations/" in consultation
    driver.get(base + consultation)
    up_down = button_gaps(driver, "li > form + form")
    assert up_down and min(up_down) >= 5, up_down
    set_width(driver, 1200)
    driver.get(base + consultation)
    sections = button_gaps(driver, ".govuk-button-group > form + form", sideways=True)
    assert sections and min(sections) >= 10, sections
    # The consultation's links (the last is "Export definition (JSON)") keep a gap above its
    # details, as paragraphs do.
    gap = driver.execute_script(
        "const box = (css) => document.querySelector('main ' + css).getBoundingClientRect();"
        " return box('.govuk-summary-list').top - box('.consult-inline-list').bottom;"
    )
    assert gap >= 20, gap
    set_width(driver, 320)
    # Signed in, still only the cookie the cookies page lists.
    assert {cookie["name"] for cookie in driver.get_cookies()} == {"session"}


def test_issued_links_wrap_instead_of_overflowing(live_server, tmp_path):
    """Invitation links (long tokens with no break points) fit their column at 1280 px, and
    the page still reflows at 320 px."""
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        set_width(driver, 1280)
        sign_in(driver, base, live_server)
        # The demo's open consultation, not the draft copy the reflow test may have imported.
        consultation = driver.find_element(
            By.XPATH, "//td/a[not(contains(normalize-space(), '(copy)'))]"
        ).get_attribute("pathname")
        driver.get(base + consultation + "/invitations")
        driver.find_element(By.CSS_SELECTOR, "input[name=organisation]:not([disabled])").click()
        click_button(driver, "Send invitations to the organisations ticked")
        assert driver.title.startswith("Invitation links created")
        # The page says what happened once, in its title, heading and first paragraph: no
        # success banner repeating it (smoke26p).
        assert "link created" in driver.find_element(By.ID, "sent-count").text
        assert not driver.find_elements(By.ID, "flash-success")
        region = driver.find_element(By.CSS_SELECTOR, "[aria-label='Invitation links']")
        assert region.get_attribute("role") == "region"
        overflow = driver.execute_script(
            "return arguments[0].scrollWidth - arguments[0].clientWidth", region
        )
        assert overflow <= 0, f"the links table overflows by {overflow}px at 1280px"
        assert page_width(driver) <= 1280
        set_width(driver, 320)
        assert page_width(driver) <= 320
        assert axe_violations(driver) == []
    finally:
        driver.quit()
