"""tidy30 #8, in Chromium without JavaScript: boxes ticked on the invitations page's current
results go with the next search (they were lost: the search form did not hold them)."""

from __future__ import annotations

from tests.test_browser import demo_admin_password, make_driver, running_server, sign_in_staff
from tests.test_browser_collect29 import _add_organisation, tick_and_send, tick_then_search


def test_ticks_go_with_a_search_without_javascript(tmp_path):
    with running_server(tmp_path / "server") as (base, links):
        driver = make_driver(tmp_path / "staff", javascript=False)
        try:
            sign_in_staff(driver, base, "admin@example.org", demo_admin_password(links.env))
            first, second = "Aston Tenants Forum", "Selly Oak Food Bank"
            _add_organisation(driver, base, first)
            _add_organisation(driver, base, second)
            tick_then_search(driver, base, first, second)  # no script carries the tick
            assert "chosen=" in driver.current_url
            tick_and_send(driver, first, second)
        finally:
            driver.quit()
