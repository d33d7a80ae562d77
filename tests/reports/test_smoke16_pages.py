"""smoke16's findings on the staff report pages, through the app with a real database
(the same pages through a real server process: tests/reports/test_smoke16_server.py):
a response's page carries its themes' warnings ("unstable grouping" and the others) from
its run (#2), a run is
"Reran" only when it repeated the earlier run's engine and settings (#5), and "Start an
analysis" opens its advanced settings when one of them has an error (#10)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import theme_numbers
from consult.reports.label_check import FAST_UNCHECKED_TAG
from consult.reports.models import AnalysisRun, RunAssignment, RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def why_question(consultation):
    return next(q for q in consultation.questions if q.explains is not None)


def test_a_response_page_carries_its_themes_warnings_from_its_run(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=80)
    first, second = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
    ).all()[:2]
    first.stability = 0.3  # unstable
    first.label_point = first.mentions // 3  # checked: made by fewer than half
    second.label_point = second.mentions  # checked and fine: nothing to carry
    run.engine_used = "semantic"
    db.session.commit()
    row = db.session.scalars(
        select(RunAssignment).where(
            RunAssignment.run_id == run.id, RunAssignment.theme_id == first.id
        )
    ).first()
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/responses/{row.response_id}"))
    said = page.find(id=f"theme-check-{run.question_id}-{first.key}")
    assert words(said) == (
        f"Check before quoting {first.key}: Unstable grouping; label made by fewer than half "
        f"(as run {run.id}'s report marks it)."
    )
    assert said.a["href"].endswith(f"/staff/reports/runs/{run.id}#theme-{first.key}")
    # The run's table says the same words.
    report = soup(client.get(f"/staff/reports/runs/{run.id}"))
    cell = next(
        tr.select("td")[-1]
        for tr in report.find(id="themes").find_next("table").select("tbody tr")
        if words(tr.th).startswith(f"{first.key}:")
    )
    assert words(cell) == "Unstable grouping; label made by fewer than half"
    # A theme with nothing flagged gets no line.
    other = db.session.scalars(
        select(RunAssignment).where(
            RunAssignment.run_id == run.id,
            RunAssignment.theme_id == second.id,
        )
    ).all()
    alone = next(r for r in other if len(r.themes) == 1)
    page = soup(client.get(f"/staff/reports/responses/{alone.response_id}"))
    assert page.find(id=f"theme-check-{run.question_id}-{second.key}") is None
    # The fast engine's unchecked label is carried too.
    run.engine_used = "fast"
    second.label_point = None
    db.session.commit()
    page = soup(client.get(f"/staff/reports/responses/{alone.response_id}"))
    said = page.find(id=f"theme-check-{run.question_id}-{second.key}")
    assert words(said).startswith(
        f"Check before quoting {second.key}: {FAST_UNCHECKED_TAG.capitalize()}"
    )


def test_reran_only_when_the_engine_and_settings_repeat(app):
    consultation = make_consultation()
    question = why_question(consultation)
    first = store_synthetic_run(consultation, question, responses=40)
    second = store_synthetic_run(consultation, question, responses=40)
    second.previous_run_id = first.id
    db.session.commit()
    assert theme_numbers.lineage_row(first) is None and theme_numbers.numbering_note(first) == ""
    assert theme_numbers.lineage_row(second) == (
        "Reran",
        f"run {first.id} (same engine and settings)",
    )
    for change in ({"seed": 5}, {"n_themes": 7}, {"side_margin": None}):
        second.settings = {**first.settings, **change}
        db.session.commit()
        label, value = theme_numbers.lineage_row(second)
        assert label == "Compared with" and value.startswith(f"run {first.id}: a new analysis")
    second.settings = dict(first.settings)
    second.engine_used = "semantic"  # smoke16 #5: a fresh semantic run after a fast one
    db.session.commit()
    assert theme_numbers.lineage_row(second)[0] == "Compared with"
    # Only the breakdowns differ: still a rerun.
    second.engine_used = "fast"
    second.settings = {**first.settings, "segments": ["partner_type", "area"]}
    db.session.commit()
    assert theme_numbers.lineage_row(second)[0] == "Reran"
    assert theme_numbers.numbering_note(second).startswith(
        f"Theme numbers follow run {first.id} where a theme is the same: "
    )
    # The earlier run deleted: nothing to follow.
    second.previous_run_id = None
    db.session.commit()
    assert theme_numbers.numbering_note(db.session.get(AnalysisRun, second.id)) == ""


def test_the_start_form_opens_advanced_settings_on_an_error(app):
    consultation = make_consultation()
    question = why_question(consultation)
    store_synthetic_run(consultation, question, responses=40)  # answers to analyse
    client = signed_in(app, "analyst")
    url = f"/staff/reports/consultations/{consultation.id}/new"
    page = soup(client.get(url))
    details = page.find(id="advanced-settings")
    assert details.name == "details" and not details.has_attr("open")
    assert details.find(id="seed") and details.find(id="side_margin")
    done = post(
        client,
        url,
        {"question": str(question.id), "engine": "fast", "seed": "0", "side_margin": "lots"},
        page_url=url,
    )
    page = soup(done)
    details = page.find(id="advanced-settings")
    assert details.has_attr("open")  # the error summary's link reaches the field
    assert page.select_one(".govuk-error-summary a[href='#side_margin']")


def test_a_run_not_finished_is_compared_by_the_engine_it_will_use(app):
    """review fixr2 #2: a queued "auto" run beside a finished "auto" run that used the
    semantic engine is a rerun (both asked for "auto"), not "another engine" until it ends;
    a run asking for another engine than the earlier one asked for is compared with it."""
    consultation = make_consultation()
    question = why_question(consultation)
    first = store_synthetic_run(consultation, question, responses=40)
    second = store_synthetic_run(consultation, question, responses=40)
    first.engine_used = "semantic"
    second.previous_run_id, second.engine_used, second.status = first.id, None, "queued"
    db.session.commit()
    assert theme_numbers.lineage_row(second)[0] == "Reran"
    second.status, second.engine_used = "succeeded", "semantic"
    db.session.commit()
    assert theme_numbers.lineage_row(second)[0] == "Reran"
    # leftovers (fixr2): asking for "semantic" by name after an "auto" run that used it is
    # a rerun while it runs and once it has finished; asking for "fast" is not, either way.
    for asked, label in (("semantic", "Reran"), ("fast", "Compared with")):
        second.settings = {**first.settings, "engine": asked}
        for status, used in (("queued", None), ("running", None), ("succeeded", asked)):
            second.status, second.engine_used = status, used
            db.session.commit()
            assert theme_numbers.lineage_row(second)[0] == label, (asked, status)
    # An "auto" run after one asking for an engine by name: not known until it chooses, so
    # it says only which run it follows, then what it was.
    first.settings = {**first.settings, "engine": "semantic"}
    second.settings = {**first.settings, "engine": "auto"}
    second.status, second.engine_used = "running", None
    db.session.commit()
    label, value = theme_numbers.lineage_row(second)
    assert label == "Follows" and "known once this run has chosen its engine" in value
    for used, label in (("semantic", "Reran"), ("fast", "Compared with")):
        second.status, second.engine_used = "succeeded", used
        db.session.commit()
        assert theme_numbers.lineage_row(second)[0] == label
