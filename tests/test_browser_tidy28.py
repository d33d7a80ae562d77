"""Chromium on a coding page served by gunicorn: an answer whose right-to-left override would
have shown "eert" reversed (as "tree") reads in the order it was typed, with the hidden
characters written out as "[U+202E]" (tidy28 #2), and the page passes axe's WCAG 2.2 AA rules."""

from __future__ import annotations

import pytest

from consult.extensions import db
from tests.reports_helpers import worker_environment
from tests.staff_helpers import PASSWORD, make_user
from tests.test_browser import axe_violations, make_driver, sign_in_staff
from tests.test_gunicorn import gunicorn_process
from tests.test_hidden_characters import SHOWN
from tests.test_hidden_characters_reports import answer_with_hidden_characters

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402

pytestmark = pytest.mark.coding_encoder

# The left edge of each character of the quote as Chromium lays it out.
CHARACTER_LEFTS = """
const node = arguments[0].firstChild;
const range = document.createRange();
return Array.from(node.textContent, (_, i) => {
  range.setStart(node, i); range.setEnd(node, i + 1);
  return range.getBoundingClientRect().left;
});
"""


def test_a_reversed_word_reads_as_typed_on_the_coding_page(app, database_url, tmp_path):
    pages = answer_with_hidden_characters()
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        driver = make_driver(tmp_path / "profile")
        try:
            sign_in_staff(driver, base, email, PASSWORD)
            driver.get(base + pages.code)
            assert driver.title.startswith("Code response"), driver.title
            quote = driver.find_element(By.CSS_SELECTOR, "blockquote.consult-quote p")
            text = driver.execute_script("return arguments[0].textContent", quote)
            lefts = driver.execute_script(CHARACTER_LEFTS, quote)
            start = text.index("eert")
            # laid out left to right as typed: e, e, r, t (the override, shown as typed,
            # put the t leftmost: "tree")
            word = lefts[start : start + 4]
            assert word == sorted(word) and word[0] < word[3], (text, word)
            assert lefts[text.index("Fares")] < lefts[start] < lefts[text.index(" are")]
            assert quote.text == text == SHOWN
            assert axe_violations(driver) == []
        finally:
            driver.quit()
