"""The invitations pages in Chromium, served by a real gunicorn (``gunicorn.conf.py``, two
workers) on a copy of the demo: the download of invited organisations, reminders held back
before a scheduled consultation opens; each page passes axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from tests.reports_helpers import worker_environment
from tests.test_browser import (
    AXE,
    axe_violations,
    choose,
    click_button,
    make_driver,
    prepared_demo,
    sign_in_as_demo_admin,
)
from tests.test_gunicorn import gunicorn_process

pytestmark = pytest.mark.coding_encoder

INVITATIONS = "/staff/consultations/1/invitations"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, environment, SQLite file) of gunicorn serving a copy of the demo."""
    folder = tmp_path_factory.mktemp("invitations")
    database = folder / "live.sqlite"
    database.write_bytes(prepared_demo().read_bytes())
    env = worker_environment(f"sqlite:///{database}", folder / "instance")
    with gunicorn_process(env, folder / "gunicorn.log", workers=2) as (base, _log):
        yield base, env, database


@pytest.fixture
def driver(served, tmp_path):
    base, env, _ = served
    browser = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(browser, base, env)
        yield browser
    finally:
        browser.quit()


def load(driver, url: str) -> None:
    """Open ``url`` and wait until the page has loaded."""
    driver.get(url)
    WebDriverWait(driver, 15).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def test_the_invited_organisations_download(served, driver):
    base, _, _ = served
    load(driver, base + INVITATIONS)
    link = driver.find_element(By.CSS_SELECTOR, "#invitation-list a")
    assert link.text == "Download the list of invited organisations (CSV)"
    assert link.get_attribute("href") == base + INVITATIONS + ".csv"
    text = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.text()).then(done);",
        link.get_attribute("href"),
    )
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "organisation,partner_type,email,email_bounced,invited_at,reminded_at,reminders,status"
    )
    assert len(lines) > 1
    assert not AXE.exists() or axe_violations(driver) == []


def test_reminders_wait_for_a_scheduled_consultation_to_open(served, driver):
    base, _, database = served
    later = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(database) as connection:
        before = connection.execute("SELECT opens_at FROM consultation WHERE id = 1").fetchone()
        connection.execute("UPDATE consultation SET opens_at = ? WHERE id = 1", (later,))
    try:
        load(driver, base + INVITATIONS)
        reminders = driver.find_element(By.ID, "reminders").text
        assert "Reminders can be sent once the consultation opens, on" in reminders
        assert not driver.find_elements(By.LINK_TEXT, "Send reminders")
        assert not AXE.exists() or axe_violations(driver) == []
        load(driver, base + INVITATIONS + "/remind")
        assert Path(driver.current_url).name == "invitations"
        assert (
            "Nothing was sent. Reminders can be sent once"
            in driver.find_element(By.TAG_NAME, "main").text
        )
    finally:
        with sqlite3.connect(database) as connection:
            connection.execute("UPDATE consultation SET opens_at = ? WHERE id = 1", before)


def invite_boxes(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "input[name='organisation']:not([disabled])")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_select_all_on_this_page(served, tmp_path, javascript):
    """With JavaScript one button ticks every organisation that can be invited, and unticks
    them again; without it there is no button and each box still ticks by itself."""
    base, env, _ = served
    driver = make_driver(tmp_path / "profile", javascript=javascript)
    try:
        sign_in_as_demo_admin(driver, base, env)
        load(driver, base + INVITATIONS)
        boxes = invite_boxes(driver)
        assert len(boxes) > 1
        buttons = driver.find_elements(By.CSS_SELECTOR, "[data-select-all-button]")
        if not javascript:
            assert buttons == [] and "Select all" not in driver.page_source
            boxes[0].click()
            assert [box.is_selected() for box in invite_boxes(driver)].count(True) == 1
            return
        (button,) = buttons
        assert button.text == "Select all on this page"
        assert button.get_attribute("type") == "button"  # never sends the form
        assert not AXE.exists() or axe_violations(driver) == []
        button.click()
        assert all(box.is_selected() for box in invite_boxes(driver))
        assert button.text == "Deselect all on this page"
        status = driver.find_element(By.CSS_SELECTOR, "[data-select-all] [role='status']")
        assert (
            status.get_attribute("textContent")
            == f"{len(boxes)} of {len(boxes)} ticked on this page"
        )
        assert Path(driver.current_url).name == "invitations"  # nothing was sent
        boxes[0].click()  # one unticked by hand: the button offers to tick all again
        assert button.text == "Select all on this page"
        button.click()
        button.click()
        assert not any(box.is_selected() for box in invite_boxes(driver))
        # An organisation that has submitted has no box to tick: the page says "Submitted".
        assert driver.find_elements(By.CSS_SELECTOR, "input[name='organisation'][disabled]") == []
        submitted = driver.find_elements(By.CSS_SELECTOR, "[id$='-submitted']")
        assert submitted and all(cell.text == "Submitted" for cell in submitted)
        button.click()
        click_button(driver, "Send invitations to the organisations ticked")
        assert driver.title.startswith("Invitation links created"), driver.title
        issued = driver.find_element(By.ID, "sent-count").text
        assert issued.startswith(f"{len(boxes)} invitation links created; not emailed")
    finally:
        driver.quit()


REFLOW = """
const page = document.documentElement;
const region = document.querySelector('#issued-links').closest('.consult-table-wrap');
const link = document.querySelector('#issued-links tbody a');
const cell = link.closest('td');
return {
  page: [page.scrollWidth, page.clientWidth],
  region: [region.scrollWidth, region.clientWidth],
  linkRight: link.getBoundingClientRect().right,
  display: getComputedStyle(document.querySelector('#issued-links')).display,
  label: getComputedStyle(cell, '::before').content,
};
"""


def test_the_links_of_a_batch_reflow_at_320_pixels(served, driver):
    """WCAG 1.4.10: at 320 CSS pixels the batch page's table of links scrolled sideways; now
    each row is a block, each cell under its column's name, the link wrapped inside it."""
    base, _, _ = served
    load(driver, base + INVITATIONS)
    invite_boxes(driver)[0].click()
    click_button(driver, "Send invitations to the organisations ticked")
    assert driver.title.startswith("Invitation links created"), driver.title
    wide = driver.execute_script(REFLOW)
    assert wide["display"] == "table" and wide["label"] == "none"  # a table on a desktop
    driver.set_window_size(320, 800)
    load(driver, driver.current_url)
    narrow = driver.execute_script(REFLOW)
    assert narrow["page"][0] <= narrow["page"][1], narrow
    assert narrow["region"][0] <= narrow["region"][1], narrow  # nothing to scroll sideways
    assert narrow["linkRight"] <= narrow["page"][1], narrow
    assert narrow["display"] == "block" and "Link" in narrow["label"], narrow
    assert not AXE.exists() or axe_violations(driver) == []


def test_an_invited_organisation_is_not_told_to_answer_as_an_individual(served, driver):
    """Finding 27: the invitation's "About your organisation" page, prefilled with the
    organisation's name, said "If you are answering as an individual, enter your own
    name."; the open link still says it. The page after sending says only what happened
    (finding 11): the link was made and, with no mail server, not emailed."""
    base, _, _ = served
    load(driver, base + INVITATIONS)
    invite_boxes(driver)[0].click()
    click_button(driver, "Send invitations to the organisations ticked")
    assert driver.title.startswith("Invitation links created"), driver.title
    said = driver.find_element(By.ID, "sent-count").text
    assert "1 invitation link created; not emailed: no mail server is set up." in said
    assert "invitation sent" not in said
    # Said once, by the page itself: no success banner repeating it (smoke26p).
    assert not driver.find_elements(By.CLASS_NAME, "govuk-notification-banner--success")
    link = driver.find_element(By.CSS_SELECTOR, "#issued-links a").get_attribute("href")
    load(driver, link)
    click_button(driver, "Start now")
    assert driver.title.startswith("About you –"), driver.title
    assert driver.find_element(By.ID, "organisation_name").get_attribute("value")
    assert "answering as an individual" not in driver.find_element(By.TAG_NAME, "main").text
    assert not AXE.exists() or axe_violations(driver) == []

    driver.delete_all_cookies()  # a partner on the open link, not the invitation
    load(driver, base + "/c/trailblazer-devolution-deal")
    click_button(driver, "Start now")
    assert driver.title.startswith("About you –"), driver.title
    # partner brief 2: an individual is not asked for an organisation's name (they were made
    # to give one, then could type their own): it is revealed under "For an organisation".
    assert not driver.find_element(By.ID, "organisation_name").is_displayed()
    choose(driver, "answering_as", "individual")
    assert not driver.find_element(By.ID, "organisation_name").is_displayed()
    choose(driver, "area", "walsall")
    click_button(driver, "Continue")
    assert not driver.find_elements(By.CLASS_NAME, "govuk-error-summary")
    assert not driver.title.startswith("About you –"), driver.title
    assert not AXE.exists() or axe_violations(driver) == []
    # Come back to, the page speaks to the individual: no "your organisation" (tidy #1).
    load(driver, base + "/c/trailblazer-devolution-deal/organisation")
    assert driver.find_element(By.TAG_NAME, "h1").text == "About you", driver.title
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "Where do you live?" in main and "your organisation" not in main


# Each word of the email preview's paragraphs (#invitation-preview on the invitations page,
# #preview on "invite all"'s confirmation): words of at most 20 letters that the browser laid
# out over two lines (a word cut mid-word), and each paragraph's rendered lines.
CUT_WORDS = """
const cut = [], lines = [];
for (const p of document.querySelectorAll(arguments[0] + ' p')) {
  lines.push(p.innerText.split('\\n').map(s => s.trim()));
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/\\S+/g)) {
      if (m[0].length > 20) continue;  // a link or address may wrap where it must
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) cut.push(m[0]);
    }
  }
}
return {cut, lines};
"""


@pytest.mark.parametrize("width", [320, 1200])
def test_the_email_previews_keep_words_whole_and_lines_apart(served, driver, width):
    """Smoke32: the invitation email's preview cut ordinary words at the box's edge ("the
    draft bus strateg / y", `word-break: break-all` on every paragraph), and ran its lines
    together: the signature read "The Bus Strategy team West Midlands Combined Authority
    bus.strategy@example.org", and "Respond here ...:" and the link one sentence, though the
    email puts each on its own line. Both previews (ticked, and a reminder's, as "invite
    all"'s) now keep words whole and each line of the email on its own line."""
    base, _, _ = served
    driver.set_window_size(width, 900)
    load(driver, base + INVITATIONS)
    driver.find_element(By.CSS_SELECTOR, "#invitation-email summary").click()
    for url, where in ((None, "#invitation-preview"), (INVITATIONS + "/remind", "#preview")):
        if url:
            load(driver, base + url)
        found = driver.execute_script(CUT_WORDS, where)
        assert found["lines"], where
        assert found["cut"] == [], (where, width, found["cut"])
        respond = next(p for p in found["lines"] if p[0].startswith("Respond here"))
        assert len(respond) == 2 and respond[1], (where, respond)  # the link on its own line
        signature = found["lines"][-1]
        assert len(signature) >= 2, (where, signature)  # its lines not run together
        assert not AXE.exists() or axe_violations(driver) == []
