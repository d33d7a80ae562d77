"""A large merge is described by a worker, not in the web request: the merged theme waits
("Describing the merged theme…") with no keywords or summary, cannot be edited meanwhile,
gets them from :func:`consult.reports.merging.describe_later`, and undo still works, before
or after the worker's turn."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import merging, review
from consult.reports.edit_keywords import contrasted_keywords
from consult.reports.models import AnalysisRun, RunTheme, ThemeEdit
from consult.reports.queue import get_huey
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user, post, signed_in

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


@pytest.fixture
def setup(app):
    consultation, question = make_question()
    add_answers(consultation, question, 48)
    run = stored_run(consultation, question, n_themes=4)
    return run, make_user("analyst")


def theme_of(run, key) -> RunTheme:
    db.session.expire_all()
    return db.session.scalar(select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == key))


def inline_description(run, key, edit) -> merging.Described:
    """What describing the merged theme in the request gives: its answers (and those
    mentioning it besides) under its label, keeping its parts' points."""
    theme = theme_of(run, key)
    run = db.session.get(AnalysisRun, run.id)
    own, also = merging.mentioning(run.id, theme.id, key)
    parts = merging.merged_parts(run, edit.payload)
    return merging.describe_members(run, own, theme.label, parts, also)


def test_a_large_merge_waits_for_the_worker_then_shows_its_description(setup):
    run, user = setup
    first, second = [t.key for t in run.visible_themes][:2]
    before = {t.key: t.label for t in run.visible_themes}
    merged = review.merge_themes(run, [first, second], user, "Together", describe_at_most=5)
    edit = db.session.scalar(select(ThemeEdit).where(ThemeEdit.kind == "merge"))
    waiting = theme_of(run, first)
    assert waiting.describing == edit.id and merged.size > 5
    assert waiting.keywords == [] and waiting.summary == []
    with pytest.raises(review.ReviewError, match="still being described"):
        review.rename_theme(run, first, "Too soon", user)

    assert merging.describe_later(run.id, waiting.id, edit.id)
    done = theme_of(run, first)
    # its keywords may be none: half of 48 answers, no word passes the fit's test (kwedit)
    assert done.describing is None and done.summary
    expected = inline_description(run, first, edit)
    assert done.summary == expected.summary
    # its keywords contrasted with the other themes, as the request's merge finds them
    run = db.session.get(AnalysisRun, run.id)
    assert done.keywords == contrasted_keywords(run, run.themes, [first])[first]
    assert done.label_point == expected.label_point
    assert edit.payload["parts"] == [before[first], before[second]]
    assert not merging.describe_later(run.id, done.id, edit.id)  # once only
    review.rename_theme(run, first, "Now it can", user)


def test_a_merge_in_the_request_is_counted_as_the_run_counts_its_themes(setup):
    """smoke7 finding 4: the merged theme's label-point count and its summary points' counts
    are stored (recompute dropped them), and the second part's label is among its points."""
    from analysis.describe import restated
    from analysis.embeddings import MiniLMEmbedder, available
    from analysis.group import unsaid

    if not available():
        pytest.skip("the semantic extra is not installed")
    run, user = setup
    run.engine_used = "semantic"
    db.session.commit()
    first, second = run.visible_themes[:2]
    labels = (first.label, second.label)
    review.merge_themes(run, [first.key, second.key], user)
    merged = theme_of(run, first.key)
    assert merged.label == labels[0] and merged.label_point is not None
    said = [point for point in merged.summary if not point.get("only_point")]
    assert said and all(0 < point["answers"] <= merged.mentions for point in said)
    assert not any(restated(point["text"], labels[0]) for point in said)
    # The second part's point, in its label's words or others' ("Cycle routes to work and
    # cyclists feel unsafe" for "Cyclists feel unsafe and safe cycle lanes").
    embed = MiniLMEmbedder(threads=1).embed
    assert unsaid([labels[1]], labels[0], [point["text"] for point in said], embed) == []


def test_a_small_merge_is_still_described_in_the_request(setup):
    run, user = setup
    first, second = [t.key for t in run.visible_themes][:2]
    review.merge_themes(run, [first, second], user, describe_at_most=1000)
    merged = theme_of(run, first)
    assert merged.describing is None and merged.summary
    run = db.session.get(AnalysisRun, run.id)
    assert merged.keywords == contrasted_keywords(run, run.themes, [first])[first]


def test_undo_before_the_worker_restores_the_parts_and_the_worker_does_nothing(setup):
    run, user = setup
    first, second = [t.key for t in run.visible_themes][:2]
    before = theme_of(run, first)
    keywords, summary = list(before.keywords), list(before.summary)
    review.merge_themes(run, [first, second], user, describe_at_most=5)
    edit = db.session.scalar(select(ThemeEdit).where(ThemeEdit.kind == "merge"))
    theme_id = theme_of(run, first).id
    review.undo(run, edit.id, user)
    restored = theme_of(run, first)
    assert restored.describing is None and not theme_of(run, second).hidden
    assert not merging.describe_later(run.id, theme_id, edit.id)
    assert (theme_of(run, first).keywords, theme_of(run, first).summary) == (keywords, summary)


def test_undo_after_the_worker_restores_the_parts(setup):
    run, user = setup
    first, second = [t.key for t in run.visible_themes][:2]
    keywords = list(theme_of(run, first).keywords)
    review.merge_themes(run, [first, second], user, describe_at_most=5)
    edit = db.session.scalar(select(ThemeEdit).where(ThemeEdit.kind == "merge"))
    assert merging.describe_later(run.id, theme_of(run, first).id, edit.id)
    review.undo(run, edit.id, user)
    assert theme_of(run, first).keywords == keywords and theme_of(run, first).describing is None
    assert merging.still_describing(db.session.get(AnalysisRun, run.id)) == []


def test_the_merge_page_queues_the_description_and_the_report_says_so(app, setup):
    run, _ = setup
    app.config["MERGE_DESCRIBE_AT_MOST"] = 5
    client = signed_in(app, "analyst", "reviewer@example.org")
    first, second = [t.key for t in run.visible_themes][:2]
    huey = get_huey(app)
    huey.flush()
    done = post(client, f"/staff/reports/runs/{run.id}/merge", {"themes": [first, second]})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    assert huey.pending_count() == 1
    waiting = theme_of(run, first)
    page = soup(client.get(done.headers["Location"]))
    assert "being found" in page.find(id="flash-success").get_text(" ", strip=True)
    assert page.find(id=f"theme-{first}-describing").get_text() == "Describing the merged theme…"
    assert page.find(id=f"theme-{first}-describing-summary") is not None
    theme_page = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{first}"))
    assert "describing the merged theme" in theme_page.find(id="theme-describing").get_text()
    # The worker's turn, as the queued task runs it.
    huey.flush()
    assert merging.describe_later(run.id, waiting.id, waiting.describing)
    page = soup(client.get(done.headers["Location"]))
    assert page.find(id=f"theme-{first}-describing") is None
    shown = page.find(id=f"theme-{first}").get_text(" ", strip=True)
    assert ", ".join(theme_of(run, first).keywords) in shown


def test_the_worker_log_names_the_job():
    from consult.reports.queue import DESCRIBE_TASK
    from consult.reports.worker import job_words

    class Task:
        name, args, id = DESCRIBE_TASK, (3, 17, 42), "abc"

    assert job_words(Task()) == "describing a merged theme of run 3 (theme 17, edit 42) (job abc)"
    Task.kwargs = {"kind": "split"}  # smoke11 finding 5: a split's job was called a merge's
    assert job_words(Task()) == (
        "describing the parts of a split theme of run 3 (theme 17, edit 42) (job abc)"
    )
