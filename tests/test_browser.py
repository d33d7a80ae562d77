"""A real browser (Debian's Chromium) against a real server process: the whole journey, with
and without JavaScript, and an axe-core WCAG 2.2 AA check of every page on the way."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.listening import listens_on

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# GOV.UK Frontend's conditional reveal sets ``aria-expanded`` on the radio that reveals: not
# yet allowed on role radio by ARIA (w3c/aria#1404), kept on purpose because screen readers
# announce it (a known issue: alphagov/govuk-frontend#979, #2823). Allowed for that one
# attribute on radios only; anything else axe finds still fails.
AXE_KNOWN_ISSUES = (
    "axe.configure({checks: [{id: 'aria-allowed-attr', options: {radio: ['aria-expanded']}}]});"
)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.coding_encoder


def _chromium() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("Chromium and chromedriver are not installed (make test installs them)")
    return browser, driver


def _free_port() -> int:
    """A free port on 127.0.0.1: the first free one of ``CONSULT_TEST_PORTS`` when set (as
    the gunicorn tests choose theirs), else any."""
    if os.environ.get("CONSULT_TEST_PORTS"):
        from tests.test_gunicorn import free_port

        return free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_prepared: list[Path] = []


def prepared_demo() -> Path:
    """An SQLite file migrated and loaded with the demo (10 responses) by the real commands,
    made once per session; each server runs on its own copy of it."""
    if not _prepared:
        folder = Path(tempfile.mkdtemp(prefix="consult-demo-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "demo.sqlite"
        env = {
            **os.environ,
            "CONSULT_INSTANCE_PATH": str(folder / "instance"),
            "CONSULT_DATABASE_URL": f"sqlite:///{path}",
        }
        flask = [sys.executable, "-m", "flask", "--app", "consult"]
        subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run(
            [*flask, "demo", "load", "--responses", "10"],
            env=env,
            check=True,
            capture_output=True,
        )
        _prepared.append(path)
    return _prepared[0]


# Ports tried when another process takes the chosen one before ``flask run`` binds it.
PORT_ATTEMPTS = 5


def start_flask(
    flask: list[str], env: dict[str, str], folder: Path
) -> tuple[subprocess.Popen, int]:
    """``flask run`` on a free port, returned once it answers there: the process and its port.

    The port is free when chosen but bound only once the app is imported (seconds on a busy
    machine); another process can take it meanwhile. Then this server exits and the port
    answers for the other one, so "something answers" is not enough: the listening socket
    must be this process's (tests/listening.py). A port lost so is given up for another;
    any other exit fails with the server's own last words (``folder/server-PORT.log``).
    """
    deadline = time.monotonic() + 120  # a busy machine can take a while to import the app
    for _ in range(PORT_ATTEMPTS):
        port = _free_port()
        log = folder / f"server-{port}.log"
        with log.open("wb") as said:
            server = subprocess.Popen(
                [*flask, "run", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=said,
            )
        if _answers(server, port, deadline):
            return server, port
        server.kill()
        server.wait(timeout=10)
        words = log.read_text(errors="replace")
        if "in use" not in words:  # werkzeug: "Address already in use" / "Port N is in use"
            pytest.fail(f"the server did not start:\n{words[-2000:]}")
    pytest.fail(f"the server lost its port to another process {PORT_ATTEMPTS} times")


def _answers(server: subprocess.Popen, port: int, deadline: float) -> bool:
    """Wait until ``server`` listens on ``port`` and answers there: False if it exits (or
    the deadline passes) first."""
    while time.monotonic() < deadline and server.poll() is None:
        if listens_on(server.pid, port) is not False:  # None: no /proc, trust the answer
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
            except OSError:
                pass
            else:
                return server.poll() is None
        time.sleep(0.1)
    return False


@contextmanager
def running_server(folder: Path, **extra_env: str):
    """``flask run`` in its own process, on a migrated SQLite file with the demo loaded;
    ``extra_env`` adds settings (``CONSULT_*`` variables)."""
    env = {
        **os.environ,
        "CONSULT_INSTANCE_PATH": str(folder / "instance"),
        "CONSULT_DATABASE_URL": f"sqlite:///{folder / 'live.sqlite'}",
        **extra_env,
    }
    flask = [sys.executable, "-m", "flask", "--app", "consult"]
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(prepared_demo(), folder / "live.sqlite")
    server, port = start_flask(flask, env, folder)
    base = f"http://127.0.0.1:{port}"

    def invitation_link() -> str:
        out = subprocess.run(
            [*flask, "demo", "links", "--base-url", base],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return next(line.split()[-1] for line in out.splitlines() if "Invitation" in line)

    invitation_link.env = env
    try:
        yield base, invitation_link
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """``flask run`` in its own process, on a migrated SQLite file with the demo loaded."""
    with running_server(tmp_path_factory.mktemp("live")) as served:
        yield served


def make_driver(profile: Path, javascript: bool = True):
    """Debian's Chromium, headless, with the flags this machine's closed network needs."""
    binary, driver_path = _chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(
        options=options, service=webdriver.ChromeService(executable_path=driver_path)
    )
    driver.javascript = javascript
    return driver


@pytest.fixture(params=["javascript", "no-javascript"])
def browser(request, tmp_path):
    driver = make_driver(tmp_path / "profile", javascript=request.param == "javascript")
    yield driver
    driver.quit()


def live_server_env(live_server) -> dict:
    """The environment the live server runs with (its instance folder and database)."""
    return live_server[1].env


def axe_violations(driver) -> list[str]:
    """Run axe-core's WCAG 2.2 AA rules on the current page (JavaScript runs via CDP)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it with npm)")
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.execute_script(AXE_KNOWN_ISSUES)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' ' +"
        " v.nodes.map(n => n.target.join(' ')).join(', '))));",
        WCAG_TAGS,
    )
    return result


def click_button(driver, text: str) -> None:
    """Click a button and wait for the next page to load."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(
        By.XPATH,
        f"//button[normalize-space()='{text}'] | "
        f"//a[@role='button' and normalize-space()='{text}']",
    ).click()
    WebDriverWait(driver, 15).until(_replaced(page))


def follow_link(driver, css: str) -> None:
    """Click the link matching ``css`` and wait for the next page to load (the journey's
    Back link may first save the page it leaves, so the new title is not there at once)."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(driver, 15).until(_replaced(page))


def _replaced(element):
    """True once the old page's root is gone. Mid-navigation Chromium may answer 'node does
    not belong to the document' instead of 'stale element': that means gone too."""

    def check(_driver) -> bool:
        try:
            return staleness_of(element)(_driver)
        except WebDriverException:
            return True

    return check


def choose(driver, name: str, value: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']").click()


def test_partner_completes_the_consultation(live_server, browser):
    base, invitation_link = live_server
    checked: dict[str, list[str]] = {}

    def audit(label: str = ""):
        if browser.javascript:
            checked[browser.title + label] = axe_violations(browser)

    browser.get(invitation_link())
    assert "Trailblazer Devolution Deal" in browser.title
    assert "responding on behalf of" in browser.page_source
    audit()
    click_button(browser, "Start now")

    assert browser.title.startswith("About you –")
    assert browser.find_element(By.ID, "organisation_name").get_attribute("value")
    audit()
    click_button(browser, "Continue")

    # Section 1: leave the required agreement question empty to see the error summary.
    assert browser.title.startswith("Working with government")
    click_button(browser, "Continue")
    assert browser.title.startswith("Error: Working with government")
    summary = browser.find_element(By.CLASS_NAME, "govuk-error-summary")
    link = summary.find_element(By.TAG_NAME, "a")
    audit()
    link.click()
    radios = browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")
    choose(browser, radios[0].get_attribute("name"), "agree")
    why = browser.find_elements(By.TAG_NAME, "textarea")[0]
    why.send_keys("Multi-year funding lets us plan buses and housing together.")
    click_button(browser, "Continue")

    for _ in range(3):  # the remaining sections
        for radio in browser.find_elements(By.CSS_SELECTOR, ".govuk-radios input[type=radio]"):
            if radio.get_attribute("value") == "agree":
                radio.click()
        click_button(browser, "Continue")

    assert browser.title.startswith("Check your answers")
    assert "Multi-year funding lets us plan buses" in browser.page_source
    audit()
    click_button(browser, "Accept and send")

    assert browser.title.startswith("Response sent")
    reference = browser.find_element(By.ID, "reference").text
    assert reference.startswith("WM-")
    audit()

    # Back to check answers: the confirmation again, saying the response was already sent
    # (tests/test_browser_back.py has more; a second send is in tests/test_submit.py).
    browser.back()
    assert browser.title.startswith("Response sent")
    assert browser.find_element(By.ID, "already-sent").is_displayed()
    assert browser.find_element(By.ID, "reference").text == reference
    audit(" (already sent)")

    if browser.javascript:
        assert checked, "no page was audited"
        failures = {title: found for title, found in checked.items() if found}
        assert failures == {}, failures


_admin_passwords: dict[tuple[str | None, str | None], str] = {}


def demo_admin_password(env: dict) -> str:
    """A new password for the demo admin, from ``flask demo admin`` run with ``env`` (the
    server's settings) on top of this process's environment: run once per server database
    and kept for the session (each run is a process importing the app; the password stays
    good until the command runs again, and no test changes it)."""
    settings = {**os.environ, **env}
    key = (settings.get("CONSULT_DATABASE_URL"), settings.get("CONSULT_INSTANCE_PATH"))
    if key not in _admin_passwords:
        out = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "consult", "demo", "admin"],
            env=settings,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        _admin_passwords[key] = out.split("password", 1)[1].split()[0]
    return _admin_passwords[key]


def demo_admin_session(base: str, env: dict):
    """A ``requests`` session signed in to the server at ``base`` as the demo admin."""
    import requests

    session = requests.Session()
    page = session.get(base + "/staff/sign-in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    done = session.post(
        base + "/staff/sign-in",
        data={
            "csrf_token": token,
            "email": "admin@example.org",
            "password": demo_admin_password(env),
        },
    )
    assert done.url.endswith("/staff/"), done.url
    return session


def sign_in_staff(driver, base: str, email: str, password: str) -> None:
    """Sign ``email`` in on the staff sign-in page, as a person types it."""
    driver.get(base + "/staff/sign-in")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    click_button(driver, "Sign in")


def sign_in_as_demo_admin(driver, base: str, env: dict) -> None:
    """Make the demo admin a new password with ``flask demo admin`` and sign in with it."""
    sign_in_staff(driver, base, "admin@example.org", demo_admin_password(env))
    assert driver.title.startswith("Consultations")


def test_staff_pages_pass_axe(live_server, tmp_path):
    """The demo admin signs in and every main staff page passes axe's WCAG 2.2 AA rules."""
    base, _ = live_server
    driver = make_driver(tmp_path / "staff-profile")
    try:
        sign_in_as_demo_admin(driver, base, live_server_env(live_server))
        failures = {}
        driver.get(base + "/staff/")
        consultation = driver.find_element(By.CSS_SELECTOR, "td a").get_attribute("href")
        pages = [
            "/staff/",
            "/staff/organisations",
            "/staff/users",
            "/staff/audit",
            "/staff/consultations/new",
        ]
        for suffix in (
            "",
            "/dashboard",
            "/responses",
            "/invitations",
            "/import",
            "/preview/1",
            "/edit",
        ):
            pages.append(consultation.replace(base, "") + suffix)
        for path in pages:
            driver.get(base + path)
            assert "Sorry" not in driver.title, path
            found = axe_violations(driver)
            if found:
                failures[path] = found
        assert failures == {}, failures
    finally:
        driver.quit()
