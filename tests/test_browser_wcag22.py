"""WCAG 2.2 AA criteria axe-core cannot test, measured in a real browser (Debian's Chromium)
against a real server and worker, on the partner pages and the main staff pages.

For each page: tabbing through it, no focused element is hidden under a fixed or sticky box
(2.4.11 Focus not obscured) and each shows a focus indicator that differs from its unfocused
look (2.4.7); every pointer target is at least 24 by 24 CSS pixels, or spaced so that a 24 px
circle on it touches no other target, or is a link inside a sentence (2.5.8 Target size); at
320 CSS pixels nothing scrolls sideways except a data table in its own focusable, labelled
region (1.4.10 Reflow); with the text spacing of 1.4.12 applied no text is clipped. The
partner is never asked twice for what they gave (3.3.7 Redundant entry); staff sign-in lets
password managers and pasting work (3.3.8 Accessible authentication); the coding page's
single-key shortcuts never act while someone types in a field, and its every control is
reachable with the keyboard (2.1.1, 2.1.4).
"""

from __future__ import annotations

import os
import subprocess

import pytest

from tests import test_browser_reports
from tests.test_browser import _replaced, click_button, sign_in_as_demo_admin
from tests.test_browser_reports import FLASK, demo_ids

# The reports tests' real server and worker (demo with 120 responses) and browser, as fixtures.
reports_server = test_browser_reports.reports_server
driver = test_browser_reports.driver

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.coding_encoder

NARROW = 320
MAX_TABS = 200  # a page's tab stops checked (the longest lists are paged or cut short)
MEASURED: dict[str, dict] = {}  # page -> figures, printed with WCAG22_FIGURES=1 and -s

# What the focused element (and the pieces GOV.UK draws its focus on: the label after a radio
# or checkbox, their ::before/::after, the parent) looks like; focused and blurred compared.
FOCUS_JS = r"""
const el = document.activeElement;
if (!el || el === document.body) return null;
const props = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow',
  'backgroundColor', 'color', 'textDecorationLine', 'textDecorationThickness',
  'borderTopColor', 'borderTopWidth', 'borderBottomWidth'];
const parts = () => {
  const pieces = [[el, null], [el, '::before'], [el, '::after']];
  const next = el.nextElementSibling;
  if (next) pieces.push([next, null], [next, '::before'], [next, '::after']);
  if (el.parentElement) pieces.push([el.parentElement, null]);
  return pieces.map(([e, pseudo]) => {
    const s = getComputedStyle(e, pseudo);
    return Object.fromEntries(props.map(p => [p, s[p]]));
  });
};
// A strong indicator (2.4.13-ish): an outline of 2 px or more, a box shadow, a new background
// or a thicker border, on the element or the piece drawn for it; a colour change alone is not.
const strong = (on, off) => on.some((a, i) => {
  const b = off[i];
  const outline = a.outlineStyle !== 'none' && parseFloat(a.outlineWidth) >= 2 &&
    (a.outlineStyle !== b.outlineStyle || a.outlineWidth !== b.outlineWidth ||
     a.outlineColor !== b.outlineColor);
  return outline || (a.boxShadow !== b.boxShadow && a.boxShadow !== 'none') ||
    a.backgroundColor !== b.backgroundColor ||
    parseFloat(a.borderTopWidth) > parseFloat(b.borderTopWidth) ||
    parseFloat(a.borderBottomWidth) > parseFloat(b.borderBottomWidth);
});
const describe = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
  (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"';
const focused = parts();
const r = el.getBoundingClientRect();
// Fixed and sticky boxes outside the element that cover it (2.4.11).
let covered = 0;
for (const box of document.querySelectorAll('body *')) {
  const pos = getComputedStyle(box).position;
  if (pos !== 'fixed' && pos !== 'sticky') continue;
  if (box.contains(el) || el.contains(box)) continue;
  const b = box.getBoundingClientRect();
  const w = Math.min(r.right, b.right) - Math.max(r.left, b.left);
  const h = Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top);
  if (w > 0 && h > 0) covered = Math.max(covered, (w * h) / Math.max(1, r.width * r.height));
}
const inView = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
el.blur();
const blurred = parts();
el.focus({preventScroll: true});
return {describe, visible: JSON.stringify(focused) !== JSON.stringify(blurred),
        strong: strong(focused, blurred), covered, inView,
        size: [r.width, r.height], back: document.activeElement === el};
"""

# After a Tab: "seen" when focus has come round again (or rests on nothing), else the new tab
# stop marked as seen and read with FOCUS_JS, in one call (one round trip to the browser a tab
# stop fewer: a page's tab-through was most of this file's time).
NEXT_STOP_JS = (
    "const e = document.activeElement; if (!e || e === document.body) return 'seen';"
    "if ('wcagSeen' in e.dataset) return 'seen'; e.dataset.wcagSeen = '';"
    "return (() => {" + FOCUS_JS + "})();"
)

# Every pointer target on the page, with WCAG 2.5.8's exceptions (spacing, inline).
TARGETS_JS = r"""
const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,' +
  ' [role=button], [tabindex]:not([tabindex="-1"])';
const shown = (e) => {
  const s = getComputedStyle(e);
  if (s.visibility === 'hidden' || s.display === 'none') return false;
  const r = e.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) return false;  // visually hidden (skip link)
  return !e.closest('[hidden], .govuk-visually-hidden, .govuk-visually-hidden-focusable');
};
const all = [...document.querySelectorAll(selector)].filter(shown);
// A radio or checkbox input counts with its label (clicking either chooses it).
const rect = (e) => e.getBoundingClientRect();
// A link in a sentence: words (not just punctuation) beside it in its own parent.
const inline = (e) => {
  if (e.tagName !== 'A' || getComputedStyle(e).display !== 'inline') return false;
  const words = [...e.parentElement.childNodes]
    .filter(n => n !== e && (n.nodeType === 3 ||
      (n.nodeType === 1 && !n.matches(selector) && getComputedStyle(n).display === 'inline')))
    .map(n => n.textContent).join(' ');
  return /[A-Za-z]{2,}/.test(words);
};
const small = (r) => r.width < 23.5 || r.height < 23.5;
const centre = (r) => [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
const gap = ([x, y], r) => Math.hypot(
  Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
const problems = [];
let undersized = 0, sentence = 0;
const spaced = [];
for (const e of all) {
  const r = rect(e);
  if (!small(r)) continue;
  undersized += 1;
  if (inline(e)) { sentence += 1; continue; }
  const c = centre(r);
  let clash = null;
  let room = Infinity;
  for (const o of all) {
    if (o === e || o.contains(e) || e.contains(o)) continue;
    const q = rect(o);
    room = Math.min(room, gap(c, q));
    if (gap(c, q) < 12) { clash = o; break; }
    if (small(q) && !inline(o)) {
      const d = centre(q);
      if (Math.hypot(c[0] - d[0], c[1] - d[1]) < 24) { clash = o; break; }
    }
  }
  const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
  const text = (e.innerText || '').trim().slice(0, 25);
  if (!clash) spaced.push(`${e.tagName.toLowerCase()} "${text}" ${size} room ${Math.round(room)}`);
  if (clash) {
    const name = (x) => x.tagName.toLowerCase() + (x.id ? '#' + x.id : '') + ' "' +
      (x.innerText || x.value || '').trim().slice(0, 30) + '"';
    problems.push(`${name(e)} ${Math.round(r.width)}x${Math.round(r.height)} near ${name(clash)}`);
  }
}
return {problems, targets: all.length, undersized, sentence, spaced};
"""

# Sideways scrolling at the current width: the page's own, and each scroll container that
# does not hold a data table or is not a focusable, labelled region.
REFLOW_JS = r"""
const problems = [];
const doc = document.documentElement;
const over = doc.scrollWidth - doc.clientWidth;
if (over > 0) problems.push(`page scrolls ${over}px sideways`);
for (const e of document.body.querySelectorAll('*')) {
  const s = getComputedStyle(e);
  if (!['auto', 'scroll'].includes(s.overflowX) || e.scrollWidth <= e.clientWidth + 1) continue;
  const name = e.tagName.toLowerCase() + '.' + e.className;
  if (!e.querySelector('table, svg')) problems.push(`${name} scrolls and holds no table`);
  if (e.tabIndex < 0) problems.push(`${name} scrolls but is not focusable`);
  if (!(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')))
    problems.push(`${name} scrolls but has no label`);
}
return problems;
"""

# WCAG 1.4.12's text spacing, then any text a box clips (overflow hidden or clip).
SPACING_JS = r"""
const style = document.createElement('style');
style.id = 'wcag-text-spacing';
style.textContent = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important;' +
  ' word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
document.head.appendChild(style);
const problems = [];
for (const e of document.body.querySelectorAll('*')) {
  if (e.closest('.govuk-visually-hidden, .govuk-visually-hidden-focusable, [hidden]')) continue;
  const s = getComputedStyle(e);
  if (s.display === 'none' || !e.textContent.trim()) continue;
  const clipsX = ['hidden', 'clip'].includes(s.overflowX);
  const clipsY = ['hidden', 'clip'].includes(s.overflowY);
  const r = e.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) continue;
  const spills = !clipsY && e.scrollHeight > e.clientHeight + 2 && e.clientHeight > 0 &&
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && (() => {
      const before = e.style.height; e.style.height = 'auto';
      const grows = e.clientHeight > r.height + 2; e.style.height = before; return grows; })();
  const name = e.tagName.toLowerCase() + '.' + e.className;
  if (spills) problems.push('spills out of its fixed height: ' + name);
  if ((clipsX && e.scrollWidth > e.clientWidth + 1) ||
      (clipsY && e.scrollHeight > e.clientHeight + 1))
    problems.push('clipped ' + name + ' "' + e.textContent.trim().slice(0, 40) + '"');
}
// A chart's words are clipped by the drawing's edge (an svg element clips what leaves it).
for (const t of document.querySelectorAll('svg text')) {
  const svg = t.ownerSVGElement;
  if (!svg || getComputedStyle(svg).overflow === 'visible' || !t.textContent.trim()) continue;
  const a = t.getBoundingClientRect(), b = svg.getBoundingClientRect();
  if (a.width === 0 || b.width === 0) continue;
  if (a.left < b.left - 1 || a.right > b.right + 1 || a.top < b.top - 1 || a.bottom > b.bottom + 1)
    problems.push(`chart text clipped: "${t.textContent.trim().slice(0, 40)}"`);
  // ... or runs into a bar, dark on dark.
  for (const bar of svg.querySelectorAll('rect')) {
    const c = bar.getBoundingClientRect();
    if (Math.min(a.right, c.right) - Math.max(a.left, c.left) > 1 &&
        Math.min(a.bottom, c.bottom) - Math.max(a.top, c.top) > 1) {
      problems.push(`chart text runs into a bar: "${t.textContent.trim().slice(0, 40)}"`);
      break;
    }
  }
}
const doc = document.documentElement;
const over = doc.scrollWidth - doc.clientWidth;
if (over > 0) problems.push(`page scrolls ${over}px sideways`);
style.remove();
return problems;
"""


def set_width(driver, width: int | None) -> None:
    """Make the page ``width`` CSS pixels wide (``None``: the window's own width)."""
    if width is None:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    else:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )


def tab_through(driver) -> list[dict]:
    """Press Tab from the top of the page until focus comes round again (or ``MAX_TABS``);
    what each tab stop looked like and what covered it."""
    # From the top of the page, as after loading it: a focusable spot before everything is
    # focused and removed, which leaves the sequential focus starting point there.
    driver.execute_script(
        "document.querySelectorAll('[data-wcag-seen]').forEach(e => delete e.dataset.wcagSeen);"
        "const start = document.createElement('span'); start.tabIndex = -1;"
        "document.body.prepend(start); start.focus(); start.remove();"
        "window.scrollTo(0, 0);"
    )
    stops: list[dict] = []
    for _ in range(MAX_TABS):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        stop = driver.execute_script(NEXT_STOP_JS)
        if stop == "seen":
            break
        stops.append(stop)
    return stops


def focus_problems(stops: list[dict]) -> list[str]:
    """What is wrong with the focus at each tab stop (2.4.7, 2.4.11)."""
    found = []
    for stop in stops:
        if not stop["back"]:
            found.append(f"focus could not return to {stop['describe']}")
        if not stop["visible"]:
            found.append(f"2.4.7 no focus indicator on {stop['describe']}")
        elif not stop["strong"]:
            found.append(f"2.4.7 only a faint focus indicator on {stop['describe']}")
        if stop["covered"] >= 0.999 or not stop["inView"]:
            found.append(f"2.4.11 focus hidden: {stop['describe']} ({stop['covered']:.0%})")
    return found


def audit(driver, failures: dict, name: str = "") -> list[dict]:
    """Every check above on the current page; what failed goes in ``failures``; the tab
    stops found (at the window's width) are returned."""
    label = name or driver.execute_script("return location.pathname + location.search")
    assert "Sorry" not in driver.title or name.startswith("error"), (label, driver.title)
    found: list[str] = []
    stops = tab_through(driver)
    found += focus_problems(stops)
    targets = driver.execute_script(TARGETS_JS)
    found += [f"2.5.8 {p}" for p in targets["problems"]]
    found += [f"1.4.12 {p}" for p in driver.execute_script(SPACING_JS)]
    set_width(driver, NARROW)
    try:
        found += [f"1.4.10 at {NARROW}px: {p}" for p in driver.execute_script(REFLOW_JS)]
        narrow_stops = tab_through(driver)
        found += [f"at {NARROW}px: {p}" for p in focus_problems(narrow_stops)]
        narrow = driver.execute_script(TARGETS_JS)
        found += [f"2.5.8 at {NARROW}px: {p}" for p in narrow["problems"]]
        found += [f"1.4.12 at {NARROW}px: {p}" for p in driver.execute_script(SPACING_JS)]
    finally:
        set_width(driver, None)
    if not stops:
        found.append("no tab stop found")
    if found:
        failures[label] = found
    MEASURED[label] = {
        "tab stops": len(stops),
        "most covered": max((s["covered"] for s in stops + narrow_stops), default=0),
        "targets": targets["targets"],
        "under 24px": targets["undersized"],
        "in a sentence": targets["sentence"],
        "under 24px at 320": narrow["undersized"],
        "spaced": targets["spaced"],
        "chart words": driver.execute_script("return document.querySelectorAll('svg text').length"),
    }
    return stops


@pytest.fixture(autouse=True)
def _print_figures():
    """With ``WCAG22_FIGURES=1`` (and ``pytest -s``), each page's figures after the test."""
    MEASURED.clear()
    yield
    if os.environ.get("WCAG22_FIGURES"):
        for page, figures in MEASURED.items():
            print(page, figures)


def field_names(driver) -> set[str]:
    """The names of the fields the page asks the partner to fill in."""
    return set(
        driver.execute_script(
            "return [...document.querySelectorAll('main input, main textarea, main select')]"
            ".filter(e => !['hidden', 'submit', 'button'].includes(e.type))"
            ".map(e => e.name).filter(n => n);"
        )
    )


def invitation_link(env: dict, base: str) -> str:
    out = subprocess.run(
        [*FLASK, "demo", "links", "--base-url", base],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return next(line.split()[-1] for line in out.splitlines() if "Invitation" in line)


def test_partner_pages_meet_wcag22(reports_server, driver):
    """The partner's journey from an invitation: start, every kind of question, an error,
    save and come back, check answers, the confirmation and a missing page."""
    base, env = reports_server["base"], reports_server["env"]
    failures: dict = {}
    asked: dict[str, str] = {}  # field name -> the page that first asked for it

    def note_fields(page: str) -> None:
        for field in field_names(driver):
            if field in asked and asked[field] != page:
                failures.setdefault("3.3.7 redundant entry", []).append(
                    f"{field} asked on {asked[field]} and again on {page}"
                )
            asked.setdefault(field, page)

    driver.get(invitation_link(env, base))
    audit(driver, failures, "start")
    click_button(driver, "Start now")
    assert driver.title.startswith("About you –")
    # The organisation the invitation was for is filled in already (3.3.7).
    assert driver.find_element(By.ID, "organisation_name").get_attribute("value")
    note_fields("about")
    audit(driver, failures, "about")
    click_button(driver, "Continue")

    # The first section: its required question left empty shows the error summary.
    section = driver.title
    click_button(driver, "Continue")
    assert driver.title.startswith("Error: "), driver.title
    audit(driver, failures, "error summary")
    kinds: set[str] = set()
    for step in range(10):
        if driver.title.startswith("Check your answers"):
            break
        page = driver.title.split(" - ")[0].removeprefix("Error: ")
        note_fields(page)
        kinds |= set(
            driver.execute_script(
                "return [...document.querySelectorAll('main input, main textarea, main select')]"
                ".map(e => e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase());"
            )
        )
        audit(driver, failures, f"section {step + 1}: {page}")
        for group in {
            r.get_attribute("name")
            for r in driver.find_elements(By.CSS_SELECTOR, "main input[type=radio]")
        }:
            driver.find_element(By.CSS_SELECTOR, f"input[name='{group}']").click()
        for area in driver.find_elements(By.CSS_SELECTOR, "main textarea"):
            if not area.get_attribute("value"):
                area.send_keys("Buses and housing, planned together.")
        if step == 0:
            # Save and come back later: the saved page, then the answers are all still there.
            click_button(driver, "Save and come back later")
            assert driver.title.startswith("Your answers have been saved"), driver.title
            note_fields("saved")
            audit(driver, failures, "saved")
            driver.find_element(By.LINK_TEXT, "Continue your response now").click()
            if driver.title.startswith("About you –"):
                assert driver.find_element(By.ID, "organisation_name").get_attribute("value")
                click_button(driver, "Continue")
            assert driver.title.split(" - ")[0] == section.split(" - ")[0].removeprefix(
                "Error: "
            ), driver.title
            filled = driver.execute_script(
                "return [...document.querySelectorAll('main textarea')].every(e => e.value)"
                " && [...new Set([...document.querySelectorAll('main input[type=radio]')]"
                ".map(e => e.name))].every(n => document.querySelector("
                "`input[name='${n}']:checked`));"
            )
            assert filled, "the saved answers were not filled in again"
        click_button(driver, "Continue")
    assert driver.title.startswith("Check your answers"), driver.title
    assert {"radio", "textarea"} <= kinds, kinds
    MEASURED["kinds of field"] = sorted(kinds - {"hidden"})
    assert field_names(driver) == set(), "check your answers asks for something"
    audit(driver, failures, "check answers")
    # A Change link goes back to the question with its answer still there, not asked afresh.
    change = driver.find_element(By.CSS_SELECTOR, ".govuk-summary-list__actions a[href*='#']")
    field_id = change.get_attribute("href").rsplit("#", 1)[1]
    page = driver.find_element(By.TAG_NAME, "html")
    change.click()
    WebDriverWait(driver, 15).until(_replaced(page))
    field = driver.find_element(By.ID, field_id)
    assert field.get_attribute("value") and (
        field.get_attribute("type") not in ("radio", "checkbox")
        or field.is_selected()
        or driver.find_elements(
            By.CSS_SELECTOR, f"input[name='{field.get_attribute('name')}']:checked"
        )
    ), field_id
    driver.back()
    assert driver.title.startswith("Check your answers"), driver.title
    click_button(driver, "Accept and send")
    assert driver.title.startswith("Response sent")
    note_fields("confirmation")
    audit(driver, failures, "confirmation")
    driver.get(base + "/c/no-such-consultation")
    audit(driver, failures, "error: not found")
    assert failures == {}, failures


def test_staff_sign_in_allows_password_managers_and_pasting(reports_server, driver):
    """3.3.8: the sign-in and confirm-password forms accept a pasted or remembered password."""
    base, env = reports_server["base"], reports_server["env"]
    driver.get(base + "/staff/sign-in")
    failures: dict = {}
    audit(driver, failures, "sign in")
    assert failures == {}, failures

    def auth_form_problems() -> list[str]:
        return driver.execute_script(
            "const problems = [];"
            "const form = document.querySelector('main form');"
            "if (form.getAttribute('autocomplete') === 'off')"
            "  problems.push('form autocomplete=off');"
            "for (const e of form.querySelectorAll('input:not([type=hidden])')) {"
            "  const auto = e.getAttribute('autocomplete') || '';"
            "  if (e.type === 'password' && auto !== 'current-password')"
            "    problems.push(e.name + ' autocomplete=' + auto);"
            "  if (e.type !== 'password' && e.type !== 'hidden' && !['username', 'email']"
            "      .includes(auto)) problems.push(e.name + ' autocomplete=' + auto);"
            "  for (const a of ['onpaste', 'oncopy', 'oncut', 'ondrop', 'readonly'])"
            "    if (e.hasAttribute(a)) problems.push(e.name + ' ' + a);"
            "  if (e.maxLength > 0 && e.maxLength < 64)"
            "    problems.push(e.name + ' maxlength ' + e.maxLength);"
            "  const data = new DataTransfer(); data.setData('text/plain', 'pasted');"
            "  const paste = new ClipboardEvent('paste', {clipboardData: data, bubbles: true,"
            "    cancelable: true});"
            "  if (!e.dispatchEvent(paste)) problems.push(e.name + ' blocks pasting');"
            "}"
            "if (document.querySelector('iframe, [class*=captcha], [id*=captcha]'))"
            "  problems.push('a puzzle or captcha');"
            "return problems;"
        )

    assert auth_form_problems() == []
    # Signing in with the password pasted (the browser's own paste command) works.
    from tests.test_browser import demo_admin_password

    password = demo_admin_password(env)
    driver.find_element(By.ID, "email").send_keys("admin@example.org")
    field = driver.find_element(By.ID, "password")
    field.click()
    driver.execute_script("document.execCommand('insertText', false, arguments[0]);", password)
    assert field.get_attribute("value") == password
    click_button(driver, "Sign in")
    assert driver.title.startswith("Consultations"), driver.title
    driver.get(base + "/staff/confirm-password?next=/staff/")
    assert auth_form_problems() == []


def staff_pages(driver, base: str, ids: dict) -> list[str]:
    """The main staff pages: dashboard, builder, invitations, the run's report, a theme,
    the review forms and the coding page (made through the pages, as an analyst would)."""
    consultation = f"/staff/consultations/{ids['consultation']}"
    driver.get(base + consultation)
    edits = sorted(
        a.get_attribute("pathname")
        for a in driver.find_elements(By.CSS_SELECTOR, "a[href$='/edit']")
        if "/questions/" in a.get_attribute("href")
    )
    run = f"/staff/reports/runs/{ids['run']}"
    driver.get(base + run)
    theme = driver.find_element(By.CSS_SELECTOR, "section.consult-theme").get_attribute("id")
    key = theme.removeprefix("theme-")
    # A codebook from the run's themes, then the coding page.
    overview = f"/staff/reports/questions/{ids['question']}/coding"
    driver.get(base + overview)
    buttons = driver.find_elements(By.XPATH, "//button[contains(., 'Use the themes of run')]")
    if buttons:
        buttons[0].click()
        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "confirm-codebook"))
        page = driver.find_element(By.TAG_NAME, "html")
        driver.find_element(By.ID, "confirm-codebook").click()
        WebDriverWait(driver, 30).until(_replaced(page))
        driver.get(base + overview)
    coding = driver.find_element(By.LINK_TEXT, "Code responses").get_attribute("pathname")
    return [
        "/staff/",
        consultation,
        consultation + "/dashboard",
        consultation + "/edit",
        consultation + "/sections/new",
        *edits[:1],
        consultation + "/invitations",
        consultation + "/responses",
        "/staff/reports/consultations/" + str(ids["consultation"]),
        run,
        f"{run}/themes/{key}",
        f"{run}/themes/{key}/rename",
        f"{run}/merge",
        f"{run}/themes/{key}/split",
        overview,
        coding,
    ]


def test_staff_pages_meet_wcag22(reports_server, driver):
    base, env = reports_server["base"], reports_server["env"]
    ids = demo_ids(env)
    sign_in_as_demo_admin(driver, base, env)
    failures: dict = {}
    for path in staff_pages(driver, base, ids):
        driver.get(base + path)
        audit(driver, failures)
    assert failures == {}, failures


def test_other_staff_pages_meet_wcag22(reports_server, driver):
    """The rest of the workspace: lists, forms, the analysis start page and its error,
    the run's history, the codebook pages and a response's report."""
    base, env = reports_server["base"], reports_server["env"]
    ids = demo_ids(env)
    sign_in_as_demo_admin(driver, base, env)
    staff_pages(driver, base, ids)  # makes the codebook
    reports, run, question = "/staff/reports", ids["run"], ids["question"]
    failures: dict = {}
    for path in (
        "/staff/organisations",
        "/staff/organisations/new",
        "/staff/users",
        "/staff/audit",
        "/staff/consultations/new",
        "/staff/definitions/import",
        f"/staff/consultations/{ids['consultation']}/import",
        f"/staff/consultations/{ids['consultation']}/preview/1",
        f"{reports}/consultations/{ids['consultation']}/new",
        f"{reports}/questions/{question}/runs",
        f"{reports}/runs/{run}/history",
        f"{reports}/runs/{run}/create",
        f"{reports}/runs/{run}/delete",
        f"{reports}/runs/{ids['queued']}",
        f"{reports}/responses/{ids['response']}",
        f"{reports}/questions/{question}/codebook/import",
        f"{reports}/questions/{question}/coding/disagreements",
        "/staff/no-such-page",
    ):
        driver.get(base + path)
        audit(driver, failures, "error: " + path if "no-such" in path else path)
    driver.get(f"{base}{reports}/consultations/{ids['consultation']}/new")
    click_button(driver, "Start the analysis")
    assert driver.title.startswith("Error: Start an analysis")
    audit(driver, failures, "start an analysis: error")
    assert failures == {}, failures


def test_coding_with_the_keyboard_alone(reports_server, driver):
    """Every control of the coding page is a tab stop; its shortcuts never act while someone
    types in a text field, and do act otherwise."""
    base, env = reports_server["base"], reports_server["env"]
    ids = demo_ids(env)
    sign_in_as_demo_admin(driver, base, env)
    coding = staff_pages(driver, base, ids)[-1]
    driver.get(base + coding)
    driver.execute_script("window.localStorage.removeItem('consult.codingShortcuts')")
    driver.get(base + coding)
    assert driver.find_element(By.ID, "coding-shortcuts").is_displayed()
    stops = {s["describe"] for s in tab_through(driver)}
    controls = driver.execute_script(
        "return [...document.querySelectorAll('main a[href], main button, main input:not("
        "[type=hidden]), main summary, main select, main textarea')]"
        ".filter(e => e.getClientRects().length && !e.closest('[hidden]'))"
        ".map(e => ({describe: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' \"' +"
        " (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40)"
        " + '\"', tabindex: e.tabIndex, disabled: e.disabled}));"
    )
    # A set of radios is one tab stop (the arrow keys move in it): its checked radio, or its
    # first when none is checked (the model's suggestion can check one: code18).
    missing = [
        c["describe"]
        for c in controls
        if c["describe"] not in stops and not c["disabled"] and "input#stance" not in c["describe"]
    ]
    assert missing == [], missing
    assert any(stop.startswith("input#stance") for stop in stops)
    assert all(c["tabindex"] >= 0 for c in controls), controls

    boxes = driver.find_elements(By.CSS_SELECTOR, "input[name=themes]")
    assert not boxes[0].is_selected()
    # A text field on the page (a note, a search box): typing 1, f and s there does nothing.
    driver.execute_script(
        "const f = document.createElement('input'); f.type = 'text'; f.id = 'typing-here';"
        "document.querySelector('form[data-coding-shortcuts]').prepend(f);"
        "const t = document.createElement('textarea'); t.id = 'typing-area';"
        "document.querySelector('form[data-coding-shortcuts]').prepend(t);"
    )
    url = driver.current_url
    stance = driver.execute_script(
        "const s = document.querySelector('input[name=stance]:checked'); return s && s.value;"
    )
    for field_id in ("typing-here", "typing-area"):
        field = driver.find_element(By.ID, field_id)
        field.send_keys("1fs0a")
        assert field.get_attribute("value") == "1fs0a"
        assert not boxes[0].is_selected() and driver.current_url == url
        assert stance == driver.execute_script(
            "const s = document.querySelector('input[name=stance]:checked'); return s && s.value;"
        )
    # Outside a field the same key ticks the first theme, and Ctrl+1 does not.
    driver.find_element(By.TAG_NAME, "h1").click()
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("1").key_up(Keys.CONTROL).perform()
    assert not boxes[0].is_selected()
    ActionChains(driver).send_keys("1").perform()
    assert boxes[0].is_selected()
    # The switch turns them off, from the keyboard.
    toggle = driver.find_element(By.ID, "coding-shortcuts-on")
    toggle.send_keys(Keys.SPACE)
    assert not toggle.is_selected()
    driver.find_element(By.TAG_NAME, "h1").click()
    ActionChains(driver).send_keys("1").perform()
    assert boxes[0].is_selected(), "a shortcut acted while turned off"
    driver.execute_script("window.localStorage.removeItem('consult.codingShortcuts')")


BAD_PAGE = """<!doctype html><html lang="en"><head><title>Bad</title><style>
header, footer { position: fixed; left: 0; right: 0; height: 120px; background: #eee; }
header { top: 0; } footer { bottom: 0; }
a, button { outline: none; }
#tiny1, #tiny2 { width: 12px; height: 12px; padding: 0; border: 0; }
#wide { width: 900px; }
#clip { height: 20px; overflow: hidden; font-size: 16px; line-height: 1; }
#spill { height: 20px; font-size: 16px; line-height: 1; width: 200px; }
#faint:focus { outline: none; color: red; }
</style></head><body><header><a href="#x" id="hidden">Under the bar</a></header>
<main><p style="margin-top: 130px"><a href="#y" id="plain">no focus style</a></p>
<p><button id="tiny1">a</button><button id="tiny2">b</button></p>
<div id="clip">Some words that clip with more spacing</div>
<div id="spill">Some words that spill out of a box of fixed height with more spacing</div>
<p><a href="#f" id="faint">faint focus</a></p>
<div id="wide">wide</div>
<p style="margin-top: 2000px"><a href="#z" id="under">under the footer</a></p></main>
<footer>A fixed footer</footer></body></html>"""


def test_the_checks_catch_what_they_look_for(tmp_path):
    """The measurements themselves, on a page made to fail each one (no server needed)."""
    from tests.test_browser import make_driver

    driver = make_driver(tmp_path / "profile")
    try:
        (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
        driver.get((tmp_path / "bad.html").as_uri())
        failures: dict = {}
        audit(driver, failures, "bad")
        found = "\n".join(failures["bad"])
        assert "2.4.11 focus hidden: a#under" in found, found
        assert "2.4.11 focus hidden: a#plain" not in found, found
        assert "2.4.7 no focus indicator on a#plain" in found, found
        assert 'button#tiny1 "a" 12x12 near button#tiny2' in found, found
        assert "1.4.12 clipped div." in found, found
        assert "1.4.12 spills out of its fixed height: div." in found, found
        assert "only a faint focus indicator on a#faint" in found, found
        assert f"1.4.10 at {NARROW}px: page scrolls" in found, found
    finally:
        driver.quit()
