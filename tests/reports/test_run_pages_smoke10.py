"""smoke10 findings on run pages: "Run again" repeats the run's own settings."""

from __future__ import annotations

import pytest

from consult.extensions import db
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


@pytest.fixture
def consultation(app):
    return make_consultation()


@pytest.fixture
def stored(consultation):
    question = next(q for q in consultation.questions if q.explains is not None)
    run = store_synthetic_run(consultation, question, responses=40)
    run.settings = {
        "engine": "semantic",
        "n_themes": 7,
        "seed": 3,
        "segments": ["partner_type", "area"],
        "side_margin": None,
    }
    run.engine_used = "semantic"
    db.session.commit()
    return run


def test_run_again_repeats_the_runs_own_settings(app, consultation, stored):
    """smoke10 finding 11: the form showed Automatic and Partner type only."""
    client = signed_in(app, "analyst")
    report = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    link = next(a for a in report.select("a") if a.get_text(" ").strip() == "Run again")
    form = soup(client.get(link["href"]))
    checked = {
        (box["name"], box["value"]) for box in form.select("input[checked]") if box.get("name")
    }
    assert ("engine", "semantic") in checked
    assert ("question", str(stored.question_id)) in checked
    assert {("segments", "partner_type"), ("segments", "area")} <= checked
    assert form.select_one("input[name=themes]")["value"] == "7"
    assert form.select_one("input[name=seed]")["value"] == "3"
    assert form.select_one("input[name=side_margin]")["value"] == "off"
    # The run's page and the runs list say the margin it used.
    details = {
        " ".join(row.dt.get_text().split()): " ".join(row.dd.get_text().split())
        for row in report.select(".govuk-summary-list__row")
    }
    assert details["Side margin"] == "off: every answer stays in its nearest theme"
    listing = client.get(f"/staff/reports/questions/{stored.question_id}/runs")
    assert "seed 3, side margin off" in " ".join(soup(listing).get_text().split())


def test_one_moved_response_one_run_in_words(app, consultation, stored):
    """smoke10 finding 20: "Moved 1 response(s)" in the banner and the history; "All 1 run
    of Q8" on the overview."""
    from tests.staff_helpers import post

    client = signed_in(app, "analyst")
    source, target = [t.key for t in stored.visible_themes[:2]]
    url = f"/staff/reports/runs/{stored.id}/themes/{source}/move"
    box = soup(client.get(url)).find("input", type="checkbox")["value"]
    done = post(client, url, {"responses": [box], "target": target})
    assert done.status_code == 302
    banner = " ".join(soup(client.get(done.headers["Location"])).get_text(" ").split())
    assert f"Moved 1 response from {source} to {target}." in banner
    history = " ".join(
        soup(client.get(f"/staff/reports/runs/{stored.id}/history")).get_text(" ").split()
    )
    assert f"Moved 1 response from {source} to {target}" in history and "(s)" not in history
    overview = soup(client.get(f"/staff/reports/consultations/{consultation.id}"))
    links = [" ".join(a.get_text(" ").split()) for a in overview.select("a")]
    assert any(text.startswith("The only run of") for text in links), links
    assert not any(text.startswith("All 1 run") for text in links)


def test_overview_orders_top_themes_by_the_share_it_shows_and_says_how_many(
    app, consultation, stored
):
    """smoke10 finding 22: the table showed mention shares but was ordered by main-theme
    size, and showed 5 of 9 themes without saying so."""
    from consult.reports import pages

    themes = stored.visible_themes
    assert len(themes) > pages.TOP_THEMES
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/consultations/{consultation.id}"))
    table = page.select_one("table")
    assert "most mentioned first" in table.caption.get_text()
    shares = [
        float(row.select("td")[1].get_text().strip().rstrip("%"))  # after the check column
        for row in table.select("tbody tr")
    ]
    assert shares == sorted(shares, reverse=True)
    note = " ".join(page.find(id=f"top-themes-note-{stored.question_id}").get_text(" ").split())
    assert note.startswith(f"{pages.TOP_THEMES} of {len(themes)} themes; see the run for all")
