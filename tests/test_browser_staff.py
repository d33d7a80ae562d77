"""A real browser on the staff pages this work changed: the paged organisations list, the
invitations list, the dashboard, the audit log and the close confirmation pass axe-core's
WCAG 2.2 AA rules and do not scroll sideways at 320 CSS pixels."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.test_browser import (  # noqa: F401  (live_server is a fixture)
    axe_violations,
    click_button,
    live_server,
    live_server_env,
    make_driver,
    sign_in_as_demo_admin,
)

NARROW = 320


def sideways_overflow(driver) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
    )


def widest(driver) -> str:
    """The first element sticking out past the viewport's right edge that a scroll container
    does not clip (absolutely positioned ones escape a static container), to say why."""
    return driver.execute_script(
        "const w = document.documentElement.clientWidth;"
        "for (const e of document.body.querySelectorAll('*')) {"
        "  const r = e.getBoundingClientRect();"
        "  const clipped = e.closest('.consult-table-wrap') &&"
        "    getComputedStyle(e).position !== 'absolute';"
        "  if (r.right > w + 1 && !clipped)"
        "    return e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40);"
        "}"
        "return '';"
    )


def upload_organisations(driver, base: str, path) -> None:
    """Add organisations through the upload page, as staff would."""
    driver.get(base + "/staff/organisations/upload")
    driver.find_element(By.ID, "file").send_keys(str(path))
    click_button(driver, "Upload organisations")
    assert driver.title.startswith("Organisations"), driver.title


def test_changed_staff_pages_pass_axe_and_reflow_at_320(live_server, tmp_path):  # noqa: F811
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, live_server_env(live_server))
        listing = tmp_path / "organisations.csv"
        listing.write_text(
            "name,partner_type,area,contact_email\n"
            + "".join(
                f"Browser Test Partner {n:03d} with a long name,vcse,walsall,"
                f"someone.with.a.long.address{n}@partner-organisation-{n}.example\n"
                for n in range(120)
            ),
            encoding="utf-8",
        )
        upload_organisations(driver, base, listing)
        driver.get(base + "/staff/")
        consultation = driver.find_element(By.CSS_SELECTOR, "td a").get_attribute("href")
        consultation = consultation.replace(base, "")
        pages = [
            "/staff/organisations",
            "/staff/organisations?page=2",
            "/staff/organisations?q=partner+01&area=walsall",
            "/staff/organisations/new",
            "/staff/organisations/upload",
            "/staff/organisations/1/edit",
            "/staff/organisations/1/delete",
            consultation + "/invitations",
            consultation + "/invitations?status=not+invited&page=2",
            consultation + "/dashboard",
            consultation + "/status/close",
            "/staff/audit",
        ]
        driver.get(base + "/staff/organisations")
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == 50, "the organisations list is paged"
        assert driver.find_elements(By.CSS_SELECTOR, "nav.govuk-pagination")

        failures: dict[str, list[str]] = {}
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": NARROW, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )
        for path in pages:
            driver.get(base + path)
            assert "Sorry" not in driver.title, path
            found = axe_violations(driver)
            overflow = sideways_overflow(driver)
            if overflow > 0:
                found = [
                    *found,
                    f"scrolls sideways by {overflow}px at {NARROW}px: {widest(driver)}",
                ]
            if found:
                failures[path] = found
        assert failures == {}, failures
    finally:
        driver.quit()


def test_a_wrong_password_on_confirming_takes_focus_to_the_error(live_server, tmp_path):  # noqa: F811
    """Smoke finding: a wrong password on re-authentication was a bare line; it now follows
    GOV.UK's error pattern: the summary takes focus, and its link the field."""
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, live_server_env(live_server))
        driver.get(base + "/staff/confirm-password?next=/staff/")
        driver.find_element(By.ID, "password").send_keys("not the password")
        click_button(driver, "Continue")
        assert driver.title.startswith("Error: Confirm your password"), driver.title
        focused = driver.execute_script("return document.activeElement.className")
        assert "govuk-error-summary" in focused
        field = driver.find_element(By.ID, "password")
        assert "password-error" in field.get_attribute("aria-describedby").split()
        assert axe_violations(driver) == []
        summary = driver.find_element(By.CLASS_NAME, "govuk-error-summary")
        summary.find_element(By.LINK_TEXT, "The password is not right").click()
        assert driver.execute_script("return document.activeElement.id") == "password"
    finally:
        driver.quit()


def test_a_new_consultation_takes_its_web_address_from_the_title(live_server, tmp_path):  # noqa: F811
    """Finding 26: a new officer had to invent the "Web address name" ("Enter a web address
    name"); left empty it is now made from the title. The section page's title was just
    "Section": it is "Add a section", or "Edit section"."""
    base, _ = live_server
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, live_server_env(live_server))
        driver.get(base + "/staff/consultations/new")
        hint = driver.find_element(By.ID, "slug-hint").text
        assert "Leave it empty to make it from the title" in hint
        click_button(driver, "Save")  # nothing typed: the title's error alone
        summary = driver.find_element(By.CLASS_NAME, "govuk-error-summary").text
        assert "Enter a title" in summary and "web address name" not in summary
        driver.find_element(By.ID, "title").send_keys("Bus strategy 2027: have your say!")
        click_button(driver, "Save")
        assert driver.title.startswith("Bus strategy 2027"), driver.title
        details = driver.find_element(By.TAG_NAME, "main").text
        assert "/c/bus-strategy-2027-have-your-say" in details
        consultation = driver.current_url.replace(base, "").split("?")[0].rstrip("/")

        driver.get(base + consultation + "/sections/new")
        assert driver.title.startswith("Add a section"), driver.title
        assert driver.find_element(By.TAG_NAME, "h1").text == "Add a section"
        assert axe_violations(driver) == []
        driver.find_element(By.ID, "title").send_keys("Buses")
        click_button(driver, "Save section")
        driver.find_element(By.PARTIAL_LINK_TEXT, "Edit section").click()
        assert driver.find_element(By.TAG_NAME, "h1").text == "Edit section"
        assert driver.title.startswith("Edit section"), driver.title

        # The same title again: the name made is told apart from the first.
        driver.get(base + "/staff/consultations/new")
        driver.find_element(By.ID, "title").send_keys("Bus strategy 2027: have your say!")
        click_button(driver, "Save")
        assert (
            "/c/bus-strategy-2027-have-your-say-2" in driver.find_element(By.TAG_NAME, "main").text
        )
    finally:
        driver.quit()
