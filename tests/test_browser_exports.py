"""Exports through a real server process and a real browser: staff filter the Responses page,
confirm their password when asked, download CSV, XLSX and JSON, and the files hold what the
page said they would (headers, a known response's answers, a multiple-choice cell)."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.test_browser import (
    axe_violations,
    click_button,
    demo_admin_password,
    make_driver,
    running_server,
    sign_in_staff,
)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

pytestmark = pytest.mark.coding_encoder

# Run inside the live server's environment: one submitted response with known answers.
KNOWN_RESPONSE = """
import json
from sqlalchemy import select
from consult import create_app
from consult.extensions import db
from consult.models import Answer, Consultation, Response, utcnow

app = create_app()
with app.app_context():
    consultation = db.session.scalars(select(Consultation)).first()
    questions = consultation.questions
    multiple = next(q for q in questions if q.kind == "multiple_choice" and len(q.options) > 2)
    text = next(q for q in questions if q.kind == "long_text")
    agree = next(q for q in questions if q.kind == "agreement")
    options = multiple.options
    response = Response(
        consultation=consultation, reference="WM-KNOWN1", status="submitted",
        submitted_at=utcnow(), organisation_name="Known Exports Ltd", partner_type="vcse",
        area="dudley", source="web", last_page="check",
    )
    response.answers = [
        # stored against option order, to see the export put them back in order
        Answer(question=multiple, value=json.dumps([options[2].value, options[0].value])),
        Answer(question=text, value="=SUM(1,2) is how a spreadsheet adds up"),
        Answer(question=agree, value="strongly_agree"),
    ]
    db.session.add(response)
    db.session.commit()
    number = {q.id: n for n, q in enumerate(questions, start=1)}
    print(json.dumps({
        "slug": consultation.slug,
        "multiple": f"Q{number[multiple.id]}: {multiple.text}",
        "multiple_cell": f"{options[0].label}; {options[2].label}",
        # a "why" question's heading names the agreement question it explains
        "text": f"Q{number[text.id]}: {text.text}" + (
            f" (about Q{number[text.explains.id]}: {text.explains.text})" if text.explains else ""
        ),
        "agree": f"Q{number[agree.id]}: {agree.text}",
    }))
"""
FIXED = [
    "reference",
    "status",
    "submitted_at",
    "source",
    "external_id",
    "organisation",
    "partner_type",
]


@pytest.fixture(scope="module")
def export_server(tmp_path_factory):
    """A live server that asks for the password again after 2 seconds, with a known
    response added and the demo admin's password."""
    with running_server(
        tmp_path_factory.mktemp("exports"), CONSULT_STAFF_REAUTH_SECONDS="2"
    ) as served:
        env = {**os.environ, **served[1].env}
        known = json.loads(
            subprocess.run(
                [sys.executable, "-c", KNOWN_RESPONSE],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        password = demo_admin_password(env)
        database = env["CONSULT_DATABASE_URL"].removeprefix("sqlite:///")
        yield served[0], known, password, database


def _title(driver) -> str:
    try:
        return driver.title
    except WebDriverException:  # mid-navigation
        return ""


def download(driver, link_id: str, folder: Path, name: str, password: str) -> tuple[Path, bool]:
    """Click an export link and wait for the file, confirming the password if asked;
    returns the file and whether the password was asked for."""
    target = folder / name
    target.unlink(missing_ok=True)
    driver.find_element(By.ID, link_id).click()
    asked = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if target.exists() and not list(folder.glob("*.crdownload")):
            return target, asked
        if not asked and _title(driver).startswith("Confirm your password"):
            asked = True
            assert axe_violations(driver) == []
            driver.find_element(By.ID, "password").send_keys(password)
            driver.find_element(By.XPATH, "//button[normalize-space()='Continue']").click()
        time.sleep(0.2)
    pytest.fail(f"{name} was not downloaded (page: {_title(driver)!r})")


def test_staff_download_every_format_through_a_real_server(export_server, tmp_path):
    base, known, password, database = export_server
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = make_driver(tmp_path / "profile")
    try:
        driver.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        sign_in_staff(driver, base, "admin@example.org", password)
        driver.get(base + "/staff/")
        driver.find_element(By.CSS_SELECTOR, "td a").click()
        responses = driver.current_url.rstrip("/") + "/responses"
        driver.get(responses)
        summary = driver.find_element(By.ID, "export-summary").text
        # Submitted responses only unless drafts are chosen.
        assert summary.startswith("Export the ") and summary.endswith("(submitted only):")
        total = int(summary.split()[2])
        assert axe_violations(driver) == []

        time.sleep(2.5)  # past the 2-second limit: exporting asks for the password again
        path, asked = download(
            driver, "export-csv", downloads, f"{known['slug']}-responses.csv", password
        )
        assert asked, "the password was not asked for"
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0])[: len(FIXED)] == FIXED
        assert known["multiple"] in rows[0] and known["text"] in rows[0]
        assert len(rows) == total
        row = next(r for r in rows if r["reference"] == "WM-KNOWN1")
        assert row["organisation"] == "Known Exports Ltd" and row["area"] == "Dudley"
        assert row[known["multiple"]] == known["multiple_cell"]
        assert row[known["text"]] == "'=SUM(1,2) is how a spreadsheet adds up"
        assert row[known["agree"]] == "Strongly agree"

        # Filter the page the way staff do, then export what it shows.
        driver.get(responses)
        driver.find_element(By.ID, "q").send_keys("Known Exports")
        driver.find_element(By.CSS_SELECTOR, "#status option[value='submitted']").click()
        click_button(driver, "Filter")
        summary = driver.find_element(By.ID, "export-summary").text
        assert summary == (
            "Export the 1 response that matches these filters "
            "(submitted only, containing “Known Exports”):"
        )

        path, _ = download(
            driver, "export-xlsx", downloads, f"{known['slug']}-responses.xlsx", password
        )
        sheet = list(load_workbook(path).active.iter_rows(values_only=True))
        header, body = sheet[0], sheet[1:]
        # A spreadsheet date has no time zone, so its header says it is UK time.
        assert list(header[: len(FIXED)]) == [
            "submitted_at (UK time)" if name == "submitted_at" else name for name in FIXED
        ]
        assert len(body) == 1
        cells = dict(zip(header, body[0], strict=True))
        assert cells["reference"] == "WM-KNOWN1"
        assert isinstance(cells["submitted_at (UK time)"], datetime)
        assert cells[known["multiple"]] == known["multiple_cell"]
        assert cells[known["text"]] == "'=SUM(1,2) is how a spreadsheet adds up"

        driver.get(responses + "?q=Known+Exports&status=submitted")
        path, _ = download(
            driver, "export-json", downloads, f"{known['slug']}-responses.json", password
        )
        document = json.loads(path.read_text(encoding="utf-8"))
        records = document["responses"]
        assert [r["reference"] for r in records] == ["WM-KNOWN1"]
        assert records[0]["source"] == "open link"  # no invitation
        assert document["metadata"]["consultation"]["slug"] == known["slug"]
        assert document["metadata"]["counts"]["responses"] == 1
        assert records[0][known["multiple"]] == known["multiple_cell"]
        assert records[0][known["agree"]] == "Strongly agree"
        assert list(records[0])[: len(FIXED)] == FIXED

        # The audit log holds each export once, with what it held.
        with sqlite3.connect(database) as connection:
            logged = connection.execute(
                "SELECT detail FROM audit_event WHERE action = 'responses_exported' ORDER BY id"
            ).fetchall()
        assert [json.loads(detail)["responses"] for (detail,) in logged] == [total, 1, 1]
    finally:
        driver.quit()
