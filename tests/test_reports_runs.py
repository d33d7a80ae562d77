"""Stored analysis runs: starting and validating, reading answers, stored outputs, deleting,
stable theme keys across reruns, and job health (stale runs, worker heartbeats).

Jobs here run in the test process (``run_job``); tests/test_reports_jobs.py runs them in a
real worker process.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from analysis.flags import SIDE_MARGIN
from analysis.review import match_themes
from analysis.themes import STABILITY_MEASURE
from consult.extensions import db
from consult.models import AuditEvent, utcnow
from consult.reports import pages, runs
from consult.reports.jobs import ENGINE_STAGES, JOB_STAGES, run_job
from consult.reports.models import AnalysisRun, RunAssignment, RunTheme, WorkerHeartbeat
from tests.helpers import make_consultation
from tests.reports_helpers import add_responses, demo, question_numbered
from tests.staff_helpers import make_user

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]

FAST = {"engine": "fast"}


def test_engine_names_and_stages_follow_the_analysis_library(app):
    from analysis.api import STAGE_NAMES
    from analysis.represent import ENGINES

    assert ("auto", *sorted(ENGINES)) == runs.ENGINE_NAMES
    assert ENGINE_STAGES == STAGE_NAMES
    assert ("reading answers", *STAGE_NAMES, "saving") == JOB_STAGES


def test_question_numbers_are_the_exports_numbers(app):
    from consult.exports import headers, plan

    consultation = make_consultation()
    numbered = [header for header in headers(plan(consultation)) if header.startswith("Q")]
    for number, question in enumerate(consultation.questions, start=1):
        assert runs.question_number(question) == number
        assert numbered[number - 1].startswith(f"Q{number}: {question.text}")
        assert runs.question_by_number(consultation, number) is question
    with pytest.raises(runs.RunError, match="Question 6 does not exist: .* questions 1 to 5"):
        runs.question_by_number(consultation, 6)
    assert [n for n, _ in runs.analysable_questions(consultation)] == [2, 5]


def test_answers_for_reads_text_as_typed_with_references_segments_and_agreement(app):
    consultation = make_consultation()
    agree, why = consultation.questions[0], consultation.questions[1]
    first, second = add_responses(
        consultation,
        [
            {agree: "strongly_agree", why: "=SUM(A1) is how  buses\nfeel"},
            {agree: "disagree", why: "  Too slow "},
        ],
        partner_type="university",
        area="dudley",
        size_band="small",
    )
    add_responses(consultation, [{agree: "agree", why: ""}])  # blank: left out
    add_responses(consultation, [{agree: "", why: "No stance given"}], partner_type=None)
    add_responses(consultation, [{agree: "agree", why: "draft only"}], status="draft")

    answers = runs.answers_for(why, ["area"])

    assert answers.texts == ["=SUM(A1) is how  buses\nfeel", "  Too slow ", "No stance given"]
    assert answers.references[:2] == [first.reference, second.reference]
    assert answers.response_ids[:2] == [first.id, second.id]
    assert list(answers.segments) == ["area", "partner_type", "size_band"]
    assert answers.segments["partner_type"] == ["university", "university", "not_given"]
    assert answers.segments["area"] == ["dudley", "dudley", "coventry"]
    assert answers.segments["size_band"] == ["small", "small", "not_given"]
    assert answers.agreement == ["Strongly agree", "Disagree", None]
    assert len(answers.sha256()) == 64
    assert runs.segment_label("partner_type", "university") == "University"
    assert runs.segment_label("size_band", "not_given") == "Not given"
    # A question that explains nothing has no stance source.
    idea = consultation.questions[4]
    add_responses(consultation, [{idea: "Trams"}])
    assert runs.answers_for(idea).agreement is None


def test_start_run_validates_with_plain_messages(app):
    consultation = make_consultation()
    other = make_consultation("other-one")
    agree, why = consultation.questions[0], consultation.questions[1]
    add_responses(consultation, [{why: "An answer"}])
    cases = [
        (
            agree,
            {},
            "Question 1 is not a free-text question (it is a 5-point agreement scale question)",
        ),
        (why, {"n_themes": "lots"}, "must be 'auto' or a whole number, not 'lots'"),
        (why, {"n_themes": 1}, "between 2 and 60"),
        (why, {"engine": "bert"}, "Unknown engine 'bert': choose one of auto, fast, semantic"),
        (why, {"seed": "x"}, "The seed must be a whole number"),
        (why, {"segments": ["colour"]}, "Unknown segment 'colour'"),
        (why, {"colour": 1}, "Unknown setting: colour"),
        (why, {"side_margin": "wide"}, "The side margin must be a number from 0 to 1, or 'off'"),
        (why, {"side_margin": 2}, "The side margin must be a number from 0 to 1"),
        (why, {"side_margin": "-0.1"}, "The side margin must be a number from 0 to 1"),
        (why, {"side_margin": "nan"}, "The side margin must be a number from 0 to 1"),
        (why, {"side_margin": True}, "The side margin must be a number from 0 to 1"),
        (other.questions[1], {}, "belongs to a different consultation"),
    ]
    for question, settings, message in cases:
        with pytest.raises(runs.RunError) as raised:
            runs.start_run(consultation, question, settings)
        assert message in str(raised.value)
    assert db.session.scalar(select(func.count(AnalysisRun.id))) == 0

    clean = runs.normalise_settings({"n_themes": " 8 ", "seed": "7", "segments": "area,size_band"})
    assert clean == {
        "engine": "auto",
        "n_themes": 8,
        "seed": 7,
        "segments": ["area", "size_band"],
        "side_margin": SIDE_MARGIN,
    }
    for typed, margin in (
        ("off", None),
        (" OFF ", None),
        (None, None),
        (" 0.35 ", 0.35),
        ("", SIDE_MARGIN),
        (0, 0.0),
        (1, 1.0),
    ):
        assert runs.normalise_settings({"side_margin": typed})["side_margin"] == margin


def test_a_run_records_the_side_margin_it_used(app, monkeypatch):
    """``ThemeModel(side_margin=...)`` is a setting like the seed: each run records the one
    it used (the default when none was asked for), its page says so, and a run started
    after the default changed says its own while the earlier one still says the old."""
    consultation = make_consultation()
    why = consultation.questions[1]
    add_responses(consultation, [{why: f"Answer number {n} about buses"} for n in range(12)])
    earlier = runs.start_run(consultation, why, FAST)
    assert earlier.settings["side_margin"] == SIDE_MARGIN
    off = runs.start_run(consultation, why, {**FAST, "seed": 1, "side_margin": "off"})
    assert off.settings["side_margin"] is None
    monkeypatch.setattr(runs, "SIDE_MARGIN", 0.45)  # the default changes
    later = runs.start_run(consultation, why, {**FAST, "seed": 2})
    assert later.settings["side_margin"] == 0.45
    # A run queued before runs recorded it records the default the job gives the model.
    legacy = runs.start_run(consultation, why, {**FAST, "seed": 3})
    legacy.settings = {k: v for k, v in legacy.settings.items() if k != "side_margin"}
    db.session.commit()
    assert pages.run_details(legacy)[5] == (
        "Side margin",
        "not recorded (the run is older than the setting)",
    )
    for run in (earlier, off, later, legacy):
        assert run_job(run.id) == "succeeded"
    db.session.expire_all()
    said = {
        run.id: dict(pages.run_details(db.session.get(AnalysisRun, run.id)))["Side margin"]
        for run in (earlier, off, later, legacy)
    }
    assert said == {
        earlier.id: f"{SIDE_MARGIN:g}",
        off.id: "off: every answer stays in its nearest theme",
        later.id: "0.45",
        legacy.id: f"{SIDE_MARGIN:g}",
    }
    assert db.session.get(AnalysisRun, legacy.id).settings["side_margin"] == SIDE_MARGIN


def test_a_run_stores_its_provenance_themes_assignments_and_segments(app):
    consultation = demo(120)
    analyst = make_user("analyst")
    number, why = question_numbered(consultation, "Why do you say that?", 2)
    run = runs.start_run(
        consultation, why, {**FAST, "segments": ["partner_type", "area"], "seed": 3}, analyst
    )
    assert (run.status, run.attempts, run.started_by_email) == ("queued", 1, analyst.email)
    assert run.stance_question_id == why.explains_id and run.job_id

    assert run_job(run.id) == "succeeded"
    run = db.session.get(AnalysisRun, run.id)
    answers = runs.answers_for(why, ["partner_type", "area"])
    assert run.status == "succeeded" and run.error is None
    assert run.engine_used == "fast" and run.settings["seed"] == 3
    assert run.input_count == len(answers) > 50
    assert run.input_sha256 == answers.sha256()
    assert run.versions["scikit-learn"] and run.versions["python"]
    assert "onnxruntime" not in run.versions  # the fast engine does not use it
    assert list(run.timings) == list(JOB_STAGES)
    assert (run.stage_done, run.stage_total) == (len(JOB_STAGES), len(JOB_STAGES))
    assert run.started_at and run.finished_at and run.finished_at >= run.started_at
    assert run.summary["rows"] == len(answers)
    assert run.summary["non_substantive_bucket"]["label"] == "No substantive answer"
    # Its stability figures say how they were measured, so they are read by today's rules
    # (consult.reports.runs.stability_measured_now).
    assert run.summary["stability_measure"] == STABILITY_MEASURE
    assert all(runs.stability_measured_now(run, theme) for theme in run.themes)

    themes = run.themes
    assert [t.key for t in themes] == [f"T{i:02d}" for i in range(1, len(themes) + 1)]
    assert all(t.label and t.keywords and t.size > 0 and t.origin == "machine" for t in themes)
    for theme in themes:
        assert -1 <= theme.sentiment <= 1
        assert 0 <= theme.share_low <= theme.share <= theme.share_high
    assert set(themes[0].segments) == {"partner_type", "area"}
    assert sum(t.stance.get("for", 0) for t in themes) > 0  # agreement answers give stance

    rows = db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id)).all()
    assert len(rows) == len(answers)
    by_reference = {row.reference: row for row in rows}
    keys = {t.id: t.key for t in themes}
    for index, reference in enumerate(answers.references):
        row = by_reference[reference]
        assert row.response_id == answers.response_ids[index]
        assert row.segments == {
            "partner_type": answers.segments["partner_type"][index],
            "area": answers.segments["area"][index],
            "size_band": answers.segments["size_band"][index],
        }
        if row.theme_id is None:
            assert "non_substantive" in row.flags and row.themes == []
        else:
            assert row.themes[0] == [keys[row.theme_id], row.confidence]
            assert all(key in keys.values() for key, _ in row.themes)
        assert row.stance in ("for", "against", "mixed", "unclear")
    assert sum(t.size for t in themes) == sum(1 for r in rows if r.theme_id is not None)
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert "analysis_started" in events


def test_a_semantic_run_lists_every_package_that_changes_its_results(app):
    """Finding 23: a semantic run's "Library versions" left out onnxruntime, tokenizers and
    the MiniLM model's packages, which decide its grouping."""
    from analysis.embeddings import MODEL_ID, available
    from consult.reports.pages import run_details

    if not available():
        pytest.skip("the semantic extra (onnxruntime, tokenizers, MiniLM) is not installed")
    consultation = demo(40)
    number, why = question_numbered(consultation, "Why do you say that?", 2)
    run = runs.start_run(consultation, why, {"engine": "semantic", "n_themes": 3}, None)
    assert run_job(run.id) == "succeeded"
    run = db.session.get(AnalysisRun, run.id)
    assert run.engine_used == "semantic"
    for name in runs.SEMANTIC_PACKAGES:
        assert run.versions[name] not in ("", "not installed"), name
    assert run.versions["MiniLM model"] == MODEL_ID
    listed = dict(run_details(run))["Library versions"]
    assert f"onnxruntime {run.versions['onnxruntime']}" in listed
    assert f"MiniLM model {MODEL_ID}" in listed


def test_a_failed_run_says_why_and_can_be_retried(app):
    consultation = make_consultation()
    idea = consultation.questions[4]
    texts = ["Cheaper fares", "More trams", "Later buses", "Safer stops", "Cleaner trains"]
    add_responses(consultation, [{idea: text} for text in texts])
    run = runs.start_run(consultation, idea, {**FAST, "n_themes": 8})
    with pytest.raises(runs.AlreadyQueued, match="already queued or running"):
        runs.retry_run(run)

    assert run_job(run.id) == "failed"
    run = db.session.get(AnalysisRun, run.id)
    assert run.status == "failed" and run.finished_at is not None
    assert run.error == (
        "Too few answers to find 8 themes: there are 5 distinct answers. "
        "Ask for fewer themes, or 'auto'."
    )
    more = [f"Idea number {n}: {w} buses" for n, w in enumerate("abcdefghijklmnop")]
    add_responses(consultation, [{idea: text} for text in more])
    runs.retry_run(run)
    run = db.session.get(AnalysisRun, run.id)
    assert (run.status, run.attempts, run.error) == ("queued", 2, None)
    assert run_job(run.id) == "succeeded"
    assert db.session.get(AnalysisRun, run.id).themes
    # A message for a run that is no longer queued does nothing.
    assert run_job(run.id) == "skipped"


def test_no_answers_is_refused_before_queueing(app):
    """An analysis of a question nobody has answered was queued, failed, and offered a
    Retry that could only fail again: it is now refused before anything is stored, and a
    draft or a blank answer does not count."""
    consultation = make_consultation()
    why = consultation.questions[1]
    add_responses(consultation, [{why: "Drafted, not sent"}], status="draft")
    add_responses(consultation, [{why: "   "}])
    with pytest.raises(runs.RunError, match="no submitted answers to question 2 yet"):
        runs.start_run(consultation, why, FAST)
    assert db.session.scalar(select(func.count(AnalysisRun.id))) == 0


def test_answers_gone_by_the_time_it_runs_is_a_plain_failure_and_no_retry(app):
    consultation = make_consultation()
    why = consultation.questions[1]
    (response,) = add_responses(consultation, [{why: "Because buses matter"}])
    run = runs.start_run(consultation, why, FAST)
    db.session.delete(response)  # removed on request while the run waited
    db.session.commit()
    assert run_job(run.id) == "failed"
    assert db.session.get(AnalysisRun, run.id).error == (
        "There are no submitted answers to this question yet."
    )
    with pytest.raises(runs.RunError, match="nothing to analyse"):
        runs.retry_run(db.session.get(AnalysisRun, run.id))


def test_delete_run_removes_its_rows_and_unlinks_reruns(app):
    consultation = demo(60)
    _, question = question_numbered(consultation, "How should the combined authority")
    first = runs.start_run(consultation, question, FAST)
    run_job(first.id)
    second = runs.start_run(consultation, question, FAST)
    assert second.previous_run_id == first.id
    run_job(second.id)
    first_id = first.id

    runs.delete_run(db.session.get(AnalysisRun, first_id), actor="test")

    assert db.session.get(AnalysisRun, first_id) is None
    for model in (RunTheme, RunAssignment):
        assert not db.session.scalar(select(func.count()).where(model.run_id == first_id))
    kept = db.session.get(AnalysisRun, second.id)
    assert kept.previous_run_id is None and kept.themes
    assert (
        db.session.scalar(select(func.count()).where(AuditEvent.action == "analysis_deleted")) == 1
    )


def test_match_themes_is_one_to_one_by_member_overlap():
    previous = {"T01": {"a", "b", "c"}, "T02": {"d", "e"}, "T03": {"x"}}
    current = {"N1": {"d", "e", "f"}, "N2": {"a", "b"}, "N3": {"a", "c"}, "N4": {"z"}}
    matched = match_themes(previous, current)
    assert matched == {"N1": "T02", "N2": "T01"}  # N3 loses T01 to N2; N4 and T03 unmatched
    assert match_themes({}, current) == {}
    assert match_themes(previous, {"N": {"a", "q", "r", "s", "t", "u"}}, 0.2) == {}


def test_theme_keys_stay_stable_when_late_responses_arrive(app):
    consultation = demo(150)
    _, question = question_numbered(consultation, "What opportunities should the deal")
    settings = {**FAST, "n_themes": 6, "seed": 1}
    first = runs.start_run(consultation, question, settings)
    run_job(first.id)
    first = db.session.get(AnalysisRun, first.id)
    before = runs.theme_members(first)

    # Late responses: 20 more partners, writing what others wrote.
    earlier = runs.answers_for(question)
    add_responses(consultation, [{question: text} for text in earlier.texts[:20]])
    second = runs.start_run(consultation, question, settings)
    assert second.previous_run_id == first.id
    run_job(second.id)
    second = db.session.get(AnalysisRun, second.id)
    after = runs.theme_members(second)

    assert second.input_count == first.input_count + 20
    # Found once as it finished (fixr17b #3): 20 more answers, so not the same themes.
    assert second.summary["same_themes"] == {"as_run": first.id, "same": False, "edits": []}
    assert set(after) == set(before)  # same themes found: every key carried over
    for key, members in after.items():
        overlap = len(members & before[key]) / len(members | before[key])
        assert overlap > 0.5, (key, overlap)

    # A rerun with more themes keeps the old keys and numbers new ones after the highest.
    third = runs.start_run(consultation, question, {**settings, "n_themes": 8})
    run_job(third.id)
    third = db.session.get(AnalysisRun, third.id)
    keys = sorted(t.key for t in third.themes)
    assert len(keys) == 8 and len(set(keys)) == 8
    assert len(set(keys) & set(before)) >= 5
    assert {runs.key_number(k) for k in set(keys) - set(before)} <= {7, 8, 9, 10}


def test_stale_runs_are_queued_again_then_failed(app):
    consultation = make_consultation()
    why = consultation.questions[1]
    add_responses(consultation, [{why: "An answer"}])
    run = runs.start_run(consultation, why, FAST)
    old = utcnow() - timedelta(minutes=10)
    run.status, run.heartbeat_at, run.started_at = "running", old, old
    db.session.commit()
    busy = runs.start_run(consultation, why, FAST)
    busy.status, busy.heartbeat_at = "running", utcnow()
    db.session.commit()

    assert runs.sweep_stale_runs() == {run.id: "queued"}
    run = db.session.get(AnalysisRun, run.id)
    assert (run.status, run.attempts) == ("queued", 2)

    run.status, run.heartbeat_at = "running", old
    db.session.commit()
    assert runs.sweep_stale_runs() == {run.id: "failed"}
    run = db.session.get(AnalysisRun, run.id)
    assert run.status == "failed"
    assert run.error == "The worker stopped while running this analysis; retry it."
    assert db.session.get(AnalysisRun, busy.id).status == "running"  # still beating


def test_worker_status_and_progress_say_when_no_worker_runs(app):
    consultation = make_consultation()
    add_responses(consultation, [{consultation.questions[1]: "An answer"}])
    run = runs.start_run(consultation, consultation.questions[1], FAST)
    assert runs.worker_status().alive is False
    progress = runs.run_progress(run)
    assert not progress.worker_alive and "No background worker is running" in progress.message

    runs.beat("machine-a:1")
    status = runs.worker_status()
    assert status.alive and status.workers == 1 and status.last_seen is not None
    assert runs.run_progress(run).message == "Waiting for a worker to start this analysis."

    db.session.execute(
        WorkerHeartbeat.__table__.update().values(seen_at=utcnow() - timedelta(minutes=5))
    )
    db.session.commit()
    assert runs.worker_status().alive is False
    runs.forget_worker("machine-a:1")
    assert db.session.scalar(select(func.count(WorkerHeartbeat.id))) == 0


def test_settings_are_stored_as_json(app):
    consultation = make_consultation()
    add_responses(consultation, [{consultation.questions[1]: "An answer"}])
    run = runs.start_run(consultation, consultation.questions[1], {"n_themes": "5"})
    stored = db.session.execute(
        select(AnalysisRun.__table__.c.settings).where(AnalysisRun.id == run.id)
    ).scalar_one()
    loaded = stored if isinstance(stored, dict) else json.loads(stored)
    assert loaded == {
        "engine": "auto",
        "n_themes": 5,
        "seed": 0,
        "segments": ["partner_type"],
        "side_margin": SIDE_MARGIN,
    }


def test_removing_a_respondents_data_removes_it_from_runs(app):
    from consult import retention
    from consult.models import Response

    consultation = make_consultation()
    idea = consultation.questions[4]
    texts = [f"Idea {n}: more {w} trams and buses" for n, w in enumerate("abcdefghijklmnopqrst")]
    responses = add_responses(consultation, [{idea: text} for text in texts])
    run = runs.start_run(consultation, idea, {**FAST, "n_themes": 3})
    assert run_job(run.id) == "succeeded"
    quoted = {q["id"] for theme in db.session.get(AnalysisRun, run.id).themes for q in theme.quotes}
    anonymised, deleted = [r for r in responses if r.reference in quoted][:2]
    anonymised_id, deleted_id = anonymised.id, deleted.id

    retention.remove(anonymised, "anonymise", "asked us to")
    retention.remove(deleted, "delete", "asked us to")
    db.session.commit()
    db.session.expire_all()

    rows = {
        row.response_id: row
        for row in db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id))
    }
    assert deleted_id not in rows and db.session.get(Response, deleted_id) is None
    assert rows[anonymised_id].text == "[removed]" and rows[anonymised_id].themes
    quotes = [
        q
        for theme in db.session.get(AnalysisRun, run.id).themes
        for q in theme.quotes + theme.summary
    ]
    assert quotes and all(q["id"] not in (anonymised.reference, deleted.reference) for q in quotes)


def test_an_unreachable_queue_fails_the_run_in_plain_words(app):
    from consult.reports.queue import init_app

    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    init_app(app)
    consultation = make_consultation()
    add_responses(consultation, [{consultation.questions[1]: "An answer"}])
    with pytest.raises(runs.RunError, match="the job queue cannot be reached"):
        runs.start_run(consultation, consultation.questions[1], FAST)
    run = db.session.scalar(select(AnalysisRun))
    assert run.status == "failed" and run.error == runs.QUEUE_DOWN_MESSAGE
