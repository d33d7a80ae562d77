"""Wide staff tables at 320 CSS pixels, in a real browser (smoke16 #15).

The response list, a question's runs, the theme reports' "Top themes by partner type", a
run's themes at a glance, its campaigns, each theme's breakdown by partner type and area and
a theme's responses scrolled sideways inside their region at 320 px (WCAG 1.4.10 allows it;
it reads poorly). They now read a row at a time there, each cell under its column's name
(``{% filter stacked %}``: consult/stacked_table.py), and are tables again on a wider
screen (a chart's figures too, on the dashboard and the reports: left18). A data grid
that keeps its columns (themes by agreement) still scrolls in its focusable region and says
so above it.

Uses the reports' real server (tests/test_browser_reports.py) with a stored run.
"""

from __future__ import annotations

import pytest

from tests.test_browser import axe_violations
from tests.test_browser_reports import (  # noqa: F401  (fixtures)
    demo_ids,
    driver,
    reports_server,
    sign_in,
)

pytestmark = pytest.mark.coding_encoder

pytest.importorskip("selenium.webdriver")

NOTE = "If this table is wider than the screen, scroll it sideways to see every column."


def set_width(driver, width: int) -> None:  # noqa: F811
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )


def tables(driver) -> list[dict]:  # noqa: F811
    """Each table in a scroll region: its region's label, whether it is stacked, how far it
    scrolls sideways, how it displays, the labels its first body row's cells show (their
    ``::before``) and the note above its region (the region's ``::before``)."""
    return driver.execute_script(
        "const shown = (e, p) => { const c = getComputedStyle(e, p).content;"
        '  const m = c.match(/^"((?:[^"\\\\]|\\\\.)*)"/); return m ? m[1] : \'\'; };'
        "return [...document.querySelectorAll('.consult-table-wrap > table')].map(t => {"
        "  const wrap = t.parentElement, row = t.querySelector('tbody tr');"
        "  return {label: wrap.getAttribute('aria-label'),"
        "    stacked: t.classList.contains('consult-stack-table'),"
        "    overflow: wrap.scrollWidth - wrap.clientWidth,"
        "    display: getComputedStyle(t).display,"
        "    cells: row ? [...row.querySelectorAll('td')].map(c => shown(c, '::before')) : [],"
        "    note: shown(wrap, '::before'),"
        "    focusable: wrap.tabIndex === 0 && wrap.getAttribute('role') === 'region'};"
        "});"
    )


def test_wide_staff_tables_read_a_row_at_a_time_at_320(reports_server, driver):  # noqa: F811
    base, env = reports_server["base"], reports_server["env"]
    ids = demo_ids(env)
    sign_in(driver, base)
    reports = "/staff/reports"
    pages = {
        f"/staff/consultations/{ids['consultation']}/responses": {"Responses"},
        f"{reports}/consultations/{ids['consultation']}": {"Top themes by partner type"},
        f"{reports}/runs/{ids['run']}": {"Themes at a glance", "Campaigns table", "T01"},
        f"{reports}/runs/{ids['run']}/themes/T01": {"Responses in this theme", "T01"},
        f"{reports}/questions/{ids['question']}/runs": {"Runs"},
        # the dashboard's chart tables (three columns) scrolled at 320 px (left18)
        f"/staff/consultations/{ids['consultation']}/dashboard": {
            "Responses by partner type: data",
            "Responses by area: data",
        },
    }
    set_width(driver, 320)
    grids: list[dict] = []
    problems: dict[str, list] = {}
    for path, expected in pages.items():
        driver.get(base + path)
        found = tables(driver)
        stacked = [t for t in found if t["stacked"]]
        for name in expected:
            if not any(t["label"].startswith(name) for t in stacked):
                problems.setdefault(path, []).append(f"{name} is not stacked")
        for table in stacked:
            # Nothing scrolls sideways; each cell shows its column's name; no note.
            if table["overflow"] > 0 or table["display"] != "block" or table["note"]:
                problems.setdefault(path, []).append(table)
            if not table["cells"] or not all(table["cells"][1:]):
                problems.setdefault(path, []).append(("unlabelled cells", table))
        grids += [t for t in found if not t["stacked"]]
        if (violations := axe_violations(driver)) != []:
            problems.setdefault(path, []).extend(violations)
    assert problems == {}
    # The response list's cells are labelled with its column headers.
    driver.get(base + f"/staff/consultations/{ids['consultation']}/responses")
    (listing,) = [t for t in tables(driver) if t["label"] == "Responses"]
    assert listing["cells"][:4] == ["Reference", "Responding as", "Type of organisation", "Area"]
    # The grids kept as grids (themes by agreement on the run's report) scroll in a
    # focusable region that says so.
    driver.get(base + f"{reports}/runs/{ids['run']}")
    (agreement,) = [t for t in tables(driver) if t["label"] == "Themes by agreement"]
    assert not agreement["stacked"] and agreement["overflow"] > 0
    assert agreement["note"] == NOTE and agreement["focusable"]
    assert grids and all(t["note"] == NOTE and t["focusable"] for t in grids)
    # On a wider screen every table is a table again, with no labels or note.
    set_width(driver, 1200)
    driver.get(base + f"/staff/consultations/{ids['consultation']}/responses")
    (listing,) = [t for t in tables(driver) if t["label"] == "Responses"]
    assert listing["display"] == "table" and not any(listing["cells"]) and not listing["note"]
    driver.get(base + f"{reports}/runs/{ids['run']}")
    assert all(not t["note"] for t in tables(driver))
