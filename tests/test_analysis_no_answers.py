"""An analysis of a question nobody has answered is refused on the "Start an analysis" form
(it used to be queued, fail, and offer a Retry that could only fail again), through a real
server; and a failed run with nothing to analyse says why instead of offering Retry."""

from __future__ import annotations

import os
import re

import pytest

from consult.extensions import db
from consult.reports import runs
from consult.reports.jobs import run_job
from tests.helpers import make_consultation, soup
from tests.reports_helpers import add_responses
from tests.staff_helpers import post, signed_in
from tests.test_browser import demo_admin_session, running_server
from tests.test_new_officer import add_question, create, error_summary, token, words

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_the_start_form_refuses_a_question_without_answers_on_a_real_server(tmp_path):
    with running_server(tmp_path / "served") as (base, invitation_link):
        session = demo_admin_session(base, {**os.environ, **invitation_link.env})
        made = create(base, session, title="Nobody yet", slug="nobody-yet")
        add_question(session, made.url, kind="long_text", text="What would you change?")
        consultation = re.search(r"/staff/consultations/(\d+)", made.url)[1]
        url = f"{base}/staff/reports/consultations/{consultation}/new"
        page = session.get(url)
        question = re.search(r'name="question"[^>]*value="(\d+)"', page.text)[1]
        started = session.post(
            url,
            data={
                "csrf_token": token(page.text),
                "question": question,
                "engine": "fast",
                "themes": "",
                "seed": "0",
                "segments": "partner_type",
            },
        )
        assert started.status_code == 400 and started.url == url
        message = (
            "There are no submitted answers to question 1 yet, so there is nothing to "
            "analyse. Start the analysis once partners have answered it."
        )
        assert error_summary(started.text) == [message]
        assert "Error: " in re.search(r"<title>(.*?)</title>", started.text, re.S)[1]
        runs_page = words(session.get(f"{base}/staff/reports/consultations/{consultation}").text)
        assert "Run 1" not in runs_page


def test_a_failed_run_with_nothing_to_analyse_offers_no_retry(app):
    consultation = make_consultation()
    why = consultation.questions[1]
    (response,) = add_responses(consultation, [{why: "Because buses matter"}])
    run = runs.start_run(consultation, why, {"engine": "fast"})
    db.session.delete(response)
    db.session.commit()
    assert run_job(run.id) == "failed"
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    assert page.find("form", action=f"/staff/reports/runs/{run.id}/retry") is None
    said = page.find(id="nothing-to-analyse").get_text(" ", strip=True)
    assert said.startswith("There are no submitted answers to question 2 yet")
    assert said.endswith("Retrying this run would fail again for the same reason.")
    refused = post(
        client, f"/staff/reports/runs/{run.id}/retry", page_url="/staff/", follow_redirects=True
    )
    assert "nothing to analyse" in refused.get_data(as_text=True)
    assert db.session.get(type(run), run.id).status == "failed"

    add_responses(consultation, [{why: "An answer at last"}])
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    assert page.find("form", action=f"/staff/reports/runs/{run.id}/retry") is not None
