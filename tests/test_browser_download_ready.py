"""A real browser confirms its password for a download: the file arrives and the page then
says the download has started, with a link to download it again and a way back to the
Responses page it was asked for from (it used to stay on an empty password form)."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By

from tests.test_browser import AXE, axe_violations, click_button, make_driver, sign_in_staff
from tests.test_browser_exports import export_server  # noqa: F401  (a fixture)


def test_after_confirming_the_page_says_the_download_started(export_server, tmp_path):  # noqa: F811
    base, known, password, _ = export_server
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = make_driver(tmp_path / "profile")
    try:
        driver.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        sign_in_staff(driver, base, "admin@example.org", password)
        driver.get(base + "/staff/consultations/1/responses?area=dudley")
        responses = driver.current_url
        time.sleep(2.5)  # past the server's 2-second limit: the export asks again
        driver.find_element(By.ID, "export-csv").click()
        deadline = time.monotonic() + 15
        while not driver.title.startswith("Confirm your password"):
            assert time.monotonic() < deadline, driver.title
            time.sleep(0.2)
        driver.find_element(By.ID, "password").send_keys(password)
        click_button(driver, "Continue")
        assert driver.title.startswith("Your download has started"), driver.title
        target = downloads / f"{known['slug']}-responses.csv"
        deadline = time.monotonic() + 30
        while not target.exists() or list(downloads.glob("*.crdownload")):
            assert time.monotonic() < deadline, "the file did not arrive"
            time.sleep(0.2)
        # Still on the ready page once the file has arrived, not on an empty password form.
        assert driver.find_element(By.TAG_NAME, "h1").text == "Your download has started"
        assert not driver.find_elements(By.ID, "password")
        again = driver.find_element(By.CSS_SELECTOR, "#download-again a")
        assert again.get_attribute("href").endswith("/export.csv?status=submitted&area=dudley")
        back = driver.find_element(By.ID, "back").get_attribute("href")
        assert back == responses.replace("?", "?status=submitted&")  # the same filters
        assert not AXE.exists() or axe_violations(driver) == []
        target.unlink()
        again.click()  # within the confirmation: no password asked
        deadline = time.monotonic() + 30
        while not target.exists() or list(downloads.glob("*.crdownload")):
            assert time.monotonic() < deadline, "the file did not arrive again"
            time.sleep(0.2)
    finally:
        driver.quit()
