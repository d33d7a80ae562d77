"""The review pages in a real browser against a real server: an analyst renames, merges,
splits, moves, creates, marks reviewed and undoes; axe-core's WCAG 2.2 AA rules find nothing
on any page, and the pages reflow at 320 px."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import select

from consult import create_app
from consult.demo import DEMO_SLUG
from consult.extensions import db
from consult.models import Consultation
from consult.staff.accounts import create_user
from tests.reports.review_helpers import answers_of, stored_run
from tests.staff_helpers import PASSWORD
from tests.test_browser import (
    _chromium,
    _free_port,
    axe_violations,
    click_button,
    make_driver,
    prepared_demo,
)

pytestmark = pytest.mark.coding_encoder


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """``flask run`` on a migrated SQLite file with the demo loaded (as tests/test_browser.py
    does, with a longer start-up allowance for a busy machine)."""
    _chromium()
    folder = tmp_path_factory.mktemp("live-review")
    env = {
        **os.environ,
        "CONSULT_INSTANCE_PATH": str(folder / "instance"),
        "CONSULT_DATABASE_URL": f"sqlite:///{folder / 'live.sqlite'}",
    }
    flask = [sys.executable, "-m", "flask", "--app", "consult"]
    shutil.copy(prepared_demo(), folder / "live.sqlite")  # migrated, with the demo loaded
    base = f"http://127.0.0.1:{_free_port()}"
    server = subprocess.Popen(
        [*flask, "run", "--port", base.rsplit(":", 1)[1]],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("the server did not start")
            time.sleep(0.2)
    yield base, env
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def stored(live_server, monkeypatch):
    """A run of the demo's best-answered free-text question in the live server's database,
    and an analyst's email."""
    env = live_server[1]
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", env["CONSULT_INSTANCE_PATH"])
    app = create_app({"DATABASE_URL": env["CONSULT_DATABASE_URL"]})
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG))
        texts = [q for q in consultation.questions if q.is_text]
        question = max(texts, key=lambda q: len(set(answers_of(q)["texts"])))
        run = stored_run(consultation, question, n_themes=3)
        email = f"analyst-{run.id}@example.org"
        create_user(email, "analyst", PASSWORD)
        db.session.commit()
        keys = [t.key for t in run.visible_themes]
        yield run.id, keys, email
        db.session.remove()
        db.engine.dispose()


def test_analyst_reviews_themes_in_a_browser(live_server, stored, tmp_path):
    base = live_server[0]
    run_id, keys, email = stored
    driver = make_driver(tmp_path / "profile", javascript=True)
    found: dict[str, list[str]] = {}

    def audit() -> None:
        found[driver.title] = axe_violations(driver)

    def flash() -> str:
        return driver.find_element(By.ID, "flash-success").text

    try:
        driver.get(base + "/staff/sign-in")
        driver.find_element(By.ID, "email").send_keys(email)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        click_button(driver, "Sign in")
        runs = f"{base}/staff/reports/runs/{run_id}"

        driver.get(f"{runs}/themes/{keys[0]}/rename")
        audit()
        driver.find_element(By.ID, "label").clear()
        click_button(driver, "Save")
        assert driver.title.startswith("Error:")
        assert (
            "Enter a name for the theme"
            in driver.find_element(By.CLASS_NAME, "govuk-error-summary").text
        )
        audit()
        driver.find_element(By.ID, "label").send_keys("Named in a browser")
        click_button(driver, "Save")
        assert "Named in a browser" in flash()

        driver.get(f"{runs}/merge?key={keys[0]}")
        audit()
        driver.find_element(By.CSS_SELECTOR, f"input[value='{keys[1]}']").click()
        assert_says_working(driver, "merge-button", "Merging the themes…")
        driver.get(f"{runs}/merge?key={keys[0]}")
        driver.find_element(By.CSS_SELECTOR, f"input[value='{keys[1]}']").click()
        click_button(driver, "Merge themes")
        assert f"Merged {keys[0]}, {keys[1]}" in flash()

        driver.get(f"{runs}/themes/{keys[0]}/split")
        audit()
        assert_says_working(driver, "split-button", "Splitting the theme…")
        driver.get(f"{runs}/themes/{keys[0]}/split")
        click_button(driver, "Split theme")
        assert f"Split {keys[0]} into 2 themes" in flash()

        driver.get(f"{runs}/themes/{keys[2]}/move")
        audit()
        first = driver.find_element(By.CSS_SELECTOR, "input[name='responses']")
        reference = first.get_attribute("value")
        first.click()
        Select(driver.find_element(By.ID, "target")).select_by_index(1)
        click_button(driver, "Move responses")
        assert "Moved 1 response " in flash()

        driver.get(f"{runs}/create?examples={reference}")
        audit()
        driver.find_element(By.ID, "label").send_keys("Made in a browser")
        click_button(driver, "Create theme")
        assert "Made in a browser" in flash()

        driver.get(f"{runs}/themes/{keys[2]}/reviewed")
        audit()
        click_button(driver, "Mark reviewed")
        assert "marked reviewed" in flash()

        driver.get(f"{runs}/history")
        audit()
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == 6 and "Marked" in rows[0].text
        undo_page = driver.find_element(By.CSS_SELECTOR, "tbody tr form").get_attribute("action")
        driver.get(undo_page)
        audit()
        click_button(driver, "Undo this edit")
        assert "Undone: Marked" in flash()

        driver.set_window_size(320, 800)
        for path in ("/history", f"/themes/{keys[2]}/move", "/create"):
            driver.get(runs + path)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= 320, (path, width)
    finally:
        driver.quit()
    assert found and all(not violations for violations in found.values()), found


def test_review_actions_keep_a_gap_before_the_next_heading(live_server, stored, tmp_path):
    """A new officer saw the last theme's "Mark reviewed" button touch the "Answers with
    nothing to theme" heading: each theme's review actions keep a gap below them, on a
    desktop and on a phone."""
    base = live_server[0]
    run_id, _keys, email = stored
    driver = make_driver(tmp_path / "profile", javascript=True)
    measure = """
        return [...document.querySelectorAll('section.consult-theme')].map(section => {
          const actions = section.querySelector('.consult-review-actions');
          const next = section.nextElementSibling.querySelector('h2');
          return next.getBoundingClientRect().top - actions.getBoundingClientRect().bottom;
        });"""
    try:
        driver.get(base + "/staff/sign-in")
        driver.find_element(By.ID, "email").send_keys(email)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        click_button(driver, "Sign in")
        for width in (1200, 320):
            driver.set_window_size(width, 900)
            driver.get(f"{base}/staff/reports/runs/{run_id}")
            gaps = driver.execute_script(measure)
            assert gaps and all(gap >= 20 for gap in gaps), (width, gaps)
    finally:
        driver.quit()


def _narrow(driver, width: int | None) -> None:
    """Emulate a ``width`` CSS pixel wide screen (None: the window's own width); headless
    Chrome will not make a window narrower than 500 px."""
    if width is None:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )


def test_headline_table_charts_and_rename_at_320_px(live_server, stored, tmp_path):
    """Smoke walk of 5 December 2026 (F4, F12, F17): the headline table names each theme's
    warnings (and stance) in words under proper column headers, and stays readable on a
    320 px phone; charts are never drawn with 6 px words (left out below the tablet width,
    their table giving the figures); the rename page has Cancel and the theme's quotes."""
    base = live_server[0]
    run_id, keys, email = stored
    driver = make_driver(tmp_path / "profile", javascript=True)
    chart_words = """
        return [...document.querySelectorAll('figure svg')].filter(s => s.getClientRects().length)
          .map(svg => {
            const text = svg.querySelector('text');
            return text ? text.getBoundingClientRect().height : 99;
          });"""
    try:
        driver.get(base + "/staff/sign-in")
        driver.find_element(By.ID, "email").send_keys(email)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        click_button(driver, "Sign in")
        report = f"{base}/staff/reports/runs/{run_id}"
        driver.get(report)
        table = next(
            t
            for t in driver.find_elements(By.CSS_SELECTOR, "table")
            if "Themes, largest first" in t.find_element(By.TAG_NAME, "caption").text
        )
        headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
        assert headers[-1] == "Check before quoting", headers
        drawn = driver.execute_script(chart_words)
        assert drawn and min(drawn) >= 10, drawn  # a wide screen draws them, readably

        _narrow(driver, 320)
        driver.get(report)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
        )
        assert overflow <= 0, overflow
        assert driver.execute_script(chart_words) == []  # no chart drawn with tiny words
        notes = [
            p.text
            for p in driver.find_elements(By.CSS_SELECTOR, ".consult-chart-narrow")
            if p.is_displayed()
        ]
        assert notes and all("the table below gives its figures" in n for n in notes), notes
        cells = driver.find_elements(By.CSS_SELECTOR, "td.consult-glance-words")
        sizes = [
            driver.execute_script("return parseFloat(getComputedStyle(arguments[0]).fontSize)", c)
            for c in cells
        ]
        widths = [c.size["width"] for c in cells]
        assert cells and min(sizes) >= 14 and min(widths) >= 100, (sizes, widths)
        _narrow(driver, None)

        driver.get(f"{report}/themes/{keys[0]}/rename")
        assert driver.find_elements(By.CSS_SELECTOR, "#theme-quotes blockquote")
        driver.find_element(By.PARTIAL_LINK_TEXT, "Cancel").click()
        assert driver.current_url.startswith(report), driver.current_url
    finally:
        driver.quit()


def assert_says_working(driver, button_id: str, words: str) -> None:
    """smoke7 finding 9: pressing a slow action's button shows it working (its words, and
    disabled) and says so to screen readers. The form's sending is held back here (a later
    submit listener cancels it) so the page stays to be read."""
    button = driver.find_element(By.ID, button_id)
    driver.execute_script(
        "arguments[0].form.addEventListener('submit', (e) => e.preventDefault())", button
    )
    button.click()
    assert button.text == words and not button.is_enabled()
    status = driver.find_element(By.CSS_SELECTOR, f"#{button_id} + [role='status']")
    assert status.get_attribute("textContent") == words
