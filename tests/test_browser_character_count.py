"""A real browser: the character count under a long answer counts characters as the server
does (code points), so an emoji counts 1, not 2 (smoke17: 2,600 emoji read "200 characters
too many" and the server accepted them)."""

from __future__ import annotations

import time

from tests.test_browser import (  # noqa: F401  (live_server is a fixture used by name)
    By,
    click_button,
    live_server,
    make_driver,
)
from tests.test_browser_back import start_by_the_open_link


def count_message(driver, box) -> str:
    box_id = box.get_attribute("id")
    return (
        driver.find_element(By.ID, f"{box_id}-info")
        .find_element(
            By.XPATH, "following-sibling::*[contains(@class, 'govuk-character-count__message')]"
        )
        .text
    )


def test_an_emoji_counts_as_one_character(live_server, tmp_path):  # noqa: F811
    driver = make_driver(tmp_path / "profile")
    try:
        start_by_the_open_link(driver, live_server[0])
        box = driver.find_elements(By.TAG_NAME, "textarea")[0]
        limit = int(box.get_attribute("data-maxlength") or 0) or int(
            box.find_element(By.XPATH, "ancestor::*[@data-maxlength][1]").get_attribute(
                "data-maxlength"
            )
        )
        for text, said in (
            ("😀" * limit, "You have 0 characters remaining"),
            ("😀" * (limit - 1) + "ab", "You have 1 character too many"),
            ("é😀", f"You have {limit - 2:,} characters remaining"),
        ):
            driver.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
                box,
                text,
            )
            deadline = time.monotonic() + 5
            while count_message(driver, box) != said and time.monotonic() < deadline:
                time.sleep(0.1)
            assert count_message(driver, box) == said
        # The server agrees: the limit in emoji is accepted.
        driver.execute_script("arguments[0].value = arguments[1]", box, "😀" * limit)
        for radio in driver.find_elements(By.CSS_SELECTOR, "input[type=radio][value=agree]"):
            radio.click()
        click_button(driver, "Continue")
        assert driver.find_elements(By.CLASS_NAME, "govuk-error-summary") == []
        assert not driver.title.startswith("Working with government"), driver.title
        assert driver.get_log("browser") == []  # no initialisation error logged
    finally:
        driver.quit()
