"""smoke17 #11 in Chromium against a real server: the progress page reloads itself when the
analysis finishes, and the page it loads moves focus to its heading and says the analysis
finished in a status region (a screen reader was put back at the top of the page with
nothing said). A visit to the report from anywhere else is left alone."""

from __future__ import annotations

import time

import pytest

from tests.test_browser import make_driver, running_server, sign_in_as_demo_admin
from tests.test_browser_reports import live_database

pytestmark = pytest.mark.coding_encoder

webdriver = pytest.importorskip("selenium.webdriver")


def set_status(env: dict, run_id: int, status: str) -> None:
    with live_database(env) as db:
        from consult.reports.models import AnalysisRun

        db.session.get(AnalysisRun, run_id).status = status
        db.session.commit()


def focus_and_notice(driver) -> tuple[str, str]:
    return tuple(
        driver.execute_script(
            "const n = document.getElementById('run-finished');"
            "return [document.activeElement.tagName + ':' + document.activeElement.textContent"
            ".trim(), n ? n.textContent : null];"
        )
    )


def wait_for(check, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail("timed out")


def test_a_finished_analysis_moves_focus_to_its_heading_and_says_so(tmp_path):
    with running_server(tmp_path / "server") as (base, link):
        env = link.env
        with live_database(env) as db:
            from sqlalchemy import select

            from consult.models import Consultation
            from tests.reports.stored_runs import store_synthetic_run

            consultation = db.session.scalars(select(Consultation)).first()
            question = next(q for q in consultation.questions if q.explains is not None)
            run = store_synthetic_run(consultation, question, responses=30)
            run_id = run.id
            run.status = "queued"
            db.session.commit()
        driver = make_driver(tmp_path / "profile")
        try:
            sign_in_as_demo_admin(driver, base, env)
            driver.get(f"{base}/staff/reports/runs/{run_id}")
            assert driver.title.startswith("Analysis in progress")
            set_status(env, run_id, "succeeded")
            wait_for(lambda: driver.title.startswith("Theme report"))
            focused, said = wait_for(
                lambda: (state := focus_and_notice(driver))[1] and state, timeout=10
            )
            assert focused.startswith("H1:")
            assert said == "The analysis has finished. Its report is below."
            # Opened again from a link: no focus moved, nothing said.
            driver.get(f"{base}/staff/reports/runs/{run_id}")
            time.sleep(0.5)
            focused, said = focus_and_notice(driver)
            assert focused.startswith("BODY") and said == ""
        finally:
            driver.quit()
