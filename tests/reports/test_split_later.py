"""A large split is only partitioned in the web request and its parts described by a worker,
as a large merge's theme is (tests/reports/test_merge_later.py): the parts wait ("Describing
this part of the split theme…") with a stand-in label and no keywords, quotes or summary,
cannot be edited meanwhile, get what the split in the request would have given them from
:func:`consult.reports.merging.describe_later`, and undo works before or after the worker."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import merging, review
from consult.reports.models import AnalysisRun, RunTheme, ThemeEdit
from consult.reports.queue import get_huey
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user, post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

SHOWN = ("label", "keywords", "quotes", "summary", "label_point", "size", "mentions")


@pytest.fixture
def setup(app):
    consultation, question = make_question()
    add_answers(consultation, question, 48)
    run = stored_run(consultation, question, n_themes=4)
    return run, make_user("analyst")


def themes_of(run) -> dict[str, RunTheme]:
    db.session.expire_all()
    found = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id))
    return {t.key: t for t in found}


def largest(run) -> str:
    return max(run.visible_themes, key=lambda t: t.size).key


def split_edit(run) -> ThemeEdit:
    return db.session.scalars(
        select(ThemeEdit)
        .where(ThemeEdit.run_id == run.id, ThemeEdit.kind == "split")
        .order_by(ThemeEdit.id.desc())
    ).first()


def shown(parts: list[RunTheme]) -> list[tuple]:
    return [tuple(getattr(part, name) for name in SHOWN) for part in parts]


def test_a_large_split_waits_for_the_worker_then_shows_what_the_request_would(setup):
    run, user = setup
    key = largest(run)
    label = themes_of(run)[key].label
    # in the request, for comparison (then undone)
    inline = review.split_theme(run, key, 2, user)
    expected = shown([themes_of(run)[p.key] for p in inline])
    members = [sorted(r.reference for r in review._rows(run) if r.theme_id == p.id) for p in inline]
    review.undo(run, split_edit(run).id, user)

    parts = review.split_theme(run, key, 2, user, describe_at_most=5)
    edit = split_edit(run)
    waiting = [themes_of(run)[p.key] for p in parts]
    assert all(p.describing == edit.id for p in waiting)
    assert [p.label for p in waiting] == [f"{label} (1)", f"{label} (2)"]
    assert all(p.keywords == [] and p.summary == [] and p.quotes == [] for p in waiting)
    assert [p.size for p in waiting] == [e[SHOWN.index("size")] for e in expected]
    assert [
        sorted(r.reference for r in review._rows(run) if r.theme_id == p.id) for p in waiting
    ] == members
    with pytest.raises(review.ReviewError, match="still being described"):
        review.rename_theme(run, waiting[0].key, "Too soon", user)
    assert merging.still_describing(db.session.get(AnalysisRun, run.id)) == [
        (min(p.id for p in waiting), edit.id)  # one job for every part
    ]

    assert merging.describe_later(run.id, waiting[0].id, edit.id)  # one job for every part
    done = [themes_of(run)[p.key] for p in parts]
    assert all(p.describing is None for p in done)
    assert shown(done) == expected
    labels = split_edit(run).payload["labels"]
    assert [labels[p.key]["label"] for p in done] == [p.label for p in done]
    assert [labels[p.key]["summary"] for p in done] == [p.summary for p in done]
    assert not merging.describe_later(run.id, done[1].id, edit.id)  # once only
    review.rename_theme(run, done[0].key, "Now it can", user)


def test_a_small_split_is_still_described_in_the_request(setup):
    run, user = setup
    parts = review.split_theme(run, largest(run), 2, user, describe_at_most=1000)
    assert all(p.describing is None and p.keywords and p.summary for p in parts)


def test_undo_before_the_worker_restores_the_theme_and_the_worker_does_nothing(setup):
    run, user = setup
    key = largest(run)
    before = themes_of(run)[key]
    kept = (before.label, list(before.keywords), list(before.summary))
    parts = review.split_theme(run, key, 2, user, describe_at_most=5)
    edit = split_edit(run)
    ids = [p.id for p in parts]
    review.undo(run, edit.id, user)
    restored = themes_of(run)[key]
    assert not restored.hidden and (restored.label, restored.keywords, restored.summary) == kept
    assert not any(merging.describe_later(run.id, i, edit.id) for i in ids)
    assert merging.still_describing(db.session.get(AnalysisRun, run.id)) == []


def test_undo_after_the_worker_restores_the_theme(setup):
    run, user = setup
    key = largest(run)
    keywords = list(themes_of(run)[key].keywords)
    parts = review.split_theme(run, key, 2, user, describe_at_most=5)
    edit = split_edit(run)
    assert merging.describe_later(run.id, parts[0].id, edit.id)
    review.undo(run, edit.id, user)
    themes = themes_of(run)
    assert themes[key].keywords == keywords and not themes[key].hidden
    assert all(p.key not in themes for p in parts)


def test_a_part_restored_waiting_is_described_again(setup):
    """An exact undo of a later edit can bring back a part as it was before its worker ran
    (still waiting): queued again (still_describing), its job describes it alone."""
    run, user = setup
    key = largest(run)
    parts = review.split_theme(run, key, 2, user, describe_at_most=5)
    edit = split_edit(run)
    assert merging.describe_later(run.id, parts[0].id, edit.id)
    described = shown([themes_of(run)[p.key] for p in parts])
    again = themes_of(run)[parts[1].key]
    again.describing, again.summary, again.keywords = edit.id, [], []
    db.session.commit()
    assert merging.still_describing(db.session.get(AnalysisRun, run.id)) == [(again.id, edit.id)]
    assert merging.describe_later(run.id, again.id, edit.id)
    assert shown([themes_of(run)[p.key] for p in parts]) == described


def test_the_split_page_queues_one_job_and_the_report_says_so(app, setup):
    run, _ = setup
    app.config["SPLIT_DESCRIBE_AT_MOST"] = 5
    client = signed_in(app, "analyst", "reviewer@example.org")
    key = largest(run)
    huey = get_huey(app)
    huey.flush()
    done = post(client, f"/staff/reports/runs/{run.id}/themes/{key}/split", {"n": "2"})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    assert huey.pending_count() == 1
    parts = [t for t in themes_of(run).values() if t.origin == "split"]
    page = soup(client.get(done.headers["Location"]))
    assert "being found" in page.find(id="flash-success").get_text(" ", strip=True)
    for part in parts:
        words = page.find(id=f"theme-{part.key}-describing").get_text()
        assert words == "Describing this part of the split theme…"
        assert page.find(id=f"theme-{part.key}-describing-summary") is not None
    theme_page = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{parts[0].key}"))
    assert "this part of the split theme" in theme_page.find(id="theme-describing").get_text()
    huey.flush()
    assert merging.describe_later(run.id, parts[0].id, parts[0].describing)
    page = soup(client.get(done.headers["Location"]))
    for part in themes_of(run).values():
        if part.origin == "split":
            assert page.find(id=f"theme-{part.key}-describing") is None
            text = page.find(id=f"theme-{part.key}").get_text(" ", strip=True)
            assert ", ".join(part.keywords) in text
