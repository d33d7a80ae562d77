"""Smoke walk 33: a review edit's success banner seen where the edit lands, in Chromium through
gunicorn.

Found in the walk (the demo, Q10 run 1, fast engine): rename T06, and the report opened at
``#theme-T06``, about 15,800 px below the green "Theme T06 saved as ..." banner at the top, with
focus on ``body`` (the browser's move to the fragment took it off the banner GOV.UK Frontend
had focused): nobody saw or heard the confirmation. ``static/js/init.mjs`` now moves the
banner to just above the part landed on and focuses it there."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy import select

from consult import create_app
from consult.demo import DEMO_SLUG
from consult.extensions import db
from consult.models import Consultation
from tests.reports.review_helpers import answers_of, stored_run
from tests.reports_helpers import worker_environment
from tests.test_browser import click_button, make_driver, prepared_demo, sign_in_as_demo_admin
from tests.test_gunicorn import gunicorn_process

pytestmark = pytest.mark.coding_encoder  # as the other browser files over the demo


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, environment, run id, its last theme's key): gunicorn serving a copy of the
    demo with a stored run of its text question with the most different answers."""
    folder = tmp_path_factory.mktemp("review-banner")
    database = folder / "live.sqlite"
    database.write_bytes(prepared_demo().read_bytes())
    env = worker_environment(f"sqlite:///{database}", folder / "instance")
    app = create_app({"DATABASE_URL": env["CONSULT_DATABASE_URL"]})
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG))
        texts = [q for q in consultation.questions if q.is_text]
        question = max(texts, key=lambda q: len(set(answers_of(q)["texts"])))
        run = stored_run(consultation, question, n_themes=3)
        run_id, key = run.id, run.visible_themes[-1].key
        db.session.remove()
        db.engine.dispose()
    with gunicorn_process(env, folder / "gunicorn.log", workers=2) as (base, _log):
        yield base, env, run_id, key


@pytest.mark.parametrize("width", [1200, 320])
def test_a_renamed_themes_banner_is_seen_and_focused_where_the_page_lands(served, tmp_path, width):
    base, env, run_id, key = served
    driver = make_driver(tmp_path / "profile")
    try:
        sign_in_as_demo_admin(driver, base, env)
        driver.set_window_size(width, 900)
        driver.get(f"{base}/staff/reports/runs/{run_id}/themes/{key}/rename")
        name = driver.find_element(By.NAME, "label")
        name.clear()
        name.send_keys(f"Renamed at {width} pixels")
        click_button(driver, "Save")
        WebDriverWait(driver, 15).until(
            lambda d: d.execute_script(
                "const b = document.querySelector('#flash-success');"
                "return document.readyState === 'complete' && b && document.activeElement === b"
            )
        )
        banner = driver.find_element(By.ID, "flash-success")
        assert f"Theme {key} saved as “Renamed at {width} pixels”." in banner.text
        assert driver.current_url.endswith(f"#theme-{key}")
        top, bottom, height, after = driver.execute_script(
            "const b = arguments[0], r = b.getBoundingClientRect();"
            "return [r.top, r.bottom, innerHeight, b.nextElementSibling.id]",
            banner,
        )
        assert top >= 0 and bottom <= height, (top, bottom, height)  # in sight
        assert after == f"theme-{key}"  # just above the theme landed on
        assert driver.execute_script("return scrollY") > 0  # not sent back to the top
    finally:
        driver.quit()
