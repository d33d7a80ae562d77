"""A large move, create or rename leaves the request as a large merge or split does
(tests/reports/test_merge_later.py): the request makes the change of grouping (or name) and
the themes' sizes, shares and breakdowns; the themes it changed wait ("Counting again after
the move…"; a created theme "Describing the new theme…"), cannot be edited meanwhile, and
get from the worker (:func:`consult.reports.merging.describe_later`, which hands them to
:mod:`consult.reports.recount_later`) what the request would have stored; undo works
before or after the worker."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import merging, review
from consult.reports.models import AnalysisRun, RunTheme, ThemeEdit
from consult.reports.queue import get_huey
from consult.reports.recount_later import NO_POINTS, WAITING, counts_points, left_to_worker
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user, post, signed_in

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]

SHOWN = ("label", "keywords", "quotes", "summary", "label_point", "size", "mentions", "share")


@pytest.fixture
def setup(app):
    """A stored run of 48 answers in 4 themes, counted as a semantic run counts them when
    the semantic extra is installed (otherwise the fast engine's: no counts, so the
    comparisons below check the rest)."""
    from analysis.embeddings import available

    consultation, question = make_question()
    add_answers(consultation, question, 48)
    run = stored_run(consultation, question, n_themes=4)
    if available():
        run.engine_used = "semantic"
        db.session.commit()
    return run, make_user("analyst")


def said(run, kind: str) -> str:
    """What the page says of a theme waiting after a ``kind`` edit of ``run``: "Counting
    again after the move…" when its engine counts points (the semantic one's), else
    (the fast one's, when the semantic extra is not installed) "Finding its keywords…"."""
    return (WAITING if counts_points(run) else NO_POINTS)[kind].short


def themes_of(run) -> dict[str, RunTheme]:
    db.session.expire_all()
    found = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id))
    return {t.key: t for t in found}


def shown(run) -> dict[str, tuple]:
    return {
        key: tuple(getattr(t, name) for name in SHOWN)
        for key, t in themes_of(run).items()
        if not t.hidden
    }


def last_edit(run) -> ThemeEdit:
    return db.session.scalars(
        select(ThemeEdit).where(ThemeEdit.run_id == run.id).order_by(ThemeEdit.id.desc())
    ).first()


def members(run, key, count) -> list[str]:
    theme = themes_of(run)[key]
    return sorted(r.reference for r in review._rows(run) if r.theme_id == theme.id)[:count]


def inline_then_undone(run, user, edit) -> dict[str, tuple]:
    """What ``edit`` (a callable making it) stores done wholly in the request, then undone."""
    edit(None)
    done = shown(run)
    review.undo(run, last_edit(run).id, user)
    return done


def test_a_large_move_waits_for_the_worker_then_shows_what_the_request_would(setup):
    run, user = setup
    source, target = [t.key for t in run.visible_themes][:2]
    refs = members(run, source, 3)
    before = shown(run)
    expected = inline_then_undone(
        run, user, lambda at_most: review.move_responses(run, refs, target, user)
    )
    assert shown(run) == before  # the undo restored every theme exactly

    assert review.move_responses(run, refs, target, user, recount_at_most=5) == 3
    edit = last_edit(run)
    waiting = themes_of(run)
    assert {k for k, t in waiting.items() if t.describing == edit.id} == {source, target}
    for key in (source, target):  # the grouping and its counts are there at once
        assert (waiting[key].size, waiting[key].mentions) == (
            expected[key][SHOWN.index("size")],
            expected[key][SHOWN.index("mentions")],
        )
        assert waiting[key].label_point is None
        assert waiting[key].keywords == before[key][SHOWN.index("keywords")]
    assert left_to_worker(db.session.get(AnalysisRun, run.id)) == [
        (min(waiting[source].id, waiting[target].id), edit.id)
    ]
    with pytest.raises(review.ReviewError, match="still being described"):
        review.rename_theme(run, target, "Too soon", user)
    with pytest.raises(review.ReviewError, match="still being described"):
        review.move_responses(run, members(run, target, 1), source, user)

    assert merging.describe_later(run.id, waiting[target].id, edit.id)  # one job for both
    assert shown(run) == expected
    assert all(t.describing is None for t in themes_of(run).values())
    assert not merging.describe_later(run.id, waiting[source].id, edit.id)  # once only
    assert left_to_worker(db.session.get(AnalysisRun, run.id)) == []
    review.rename_theme(run, target, "Now it can", user)


def test_every_edit_left_waiting_is_queued_not_only_the_latest(setup):
    """Two large moves of other themes, the second committed before the first's request
    queued its job (two reviewers at once, review19): both edits' themes are found, so
    neither is left "Counting again…" with no job; each job counts its own."""
    run, user = setup
    first, second, third, fourth = [t.key for t in run.visible_themes][:4]
    review.move_responses(run, members(run, first, 2), second, user, recount_at_most=5)
    one = last_edit(run)
    review.move_responses(run, members(run, third, 2), fourth, user, recount_at_most=5)
    two = last_edit(run)
    themes = themes_of(run)
    assert left_to_worker(db.session.get(AnalysisRun, run.id)) == [
        (min(themes[first].id, themes[second].id), one.id),
        (min(themes[third].id, themes[fourth].id), two.id),
    ]
    assert merging.describe_later(run.id, themes[first].id, one.id)
    assert left_to_worker(db.session.get(AnalysisRun, run.id)) == [
        (min(themes[third].id, themes[fourth].id), two.id)
    ]
    assert merging.describe_later(run.id, themes[third].id, two.id)
    assert left_to_worker(db.session.get(AnalysisRun, run.id)) == []
    assert all(t.describing is None for t in themes_of(run).values())


def test_a_large_create_waits_then_the_worker_describes_the_new_theme(setup):
    run, user = setup
    source = run.visible_themes[0].key
    examples = members(run, source, 2)

    def create(at_most):  # under one key both times (an undone create's key is not reused)
        return review.create_theme(
            run, "Hand made", examples, user, pull_in=6, recount_at_most=at_most, _key="T90"
        )

    expected = inline_then_undone(run, user, create)
    made = create(5)
    edit = last_edit(run)
    waiting = themes_of(run)
    changed = set(edit.theme_keys)
    assert made.key in changed and source in changed
    assert {k for k, t in waiting.items() if t.describing == edit.id} == changed
    assert waiting[made.key].keywords == [] and waiting[made.key].summary == []
    assert waiting[made.key].size == expected[made.key][SHOWN.index("size")]
    assert expected[made.key][SHOWN.index("keywords")]  # the request did describe it

    assert merging.describe_later(run.id, waiting[source].id, edit.id)
    assert shown(run) == expected


def test_a_large_rename_is_counted_by_the_worker(setup):
    run, user = setup
    if not counts_points(run):
        pytest.skip("the semantic extra is not installed: a fast run's rename never waits")
    key = run.visible_themes[0].key
    expected = inline_then_undone(
        run, user, lambda at_most: review.rename_theme(run, key, "Reliable buses", user)
    )
    review.rename_theme(run, key, "Reliable buses", user, recount_at_most=5)
    edit = last_edit(run)
    theme = themes_of(run)[key]
    assert theme.label == "Reliable buses" and theme.describing == edit.id
    assert merging.describe_later(run.id, theme.id, edit.id)
    assert shown(run) == expected
    # a description alone counts nothing, so never waits
    review.rename_theme(run, key, "Reliable buses", user, "About buses.", recount_at_most=0)
    assert themes_of(run)[key].describing is None


def test_small_edits_are_still_counted_in_the_request(setup):
    run, user = setup
    source, target = [t.key for t in run.visible_themes][:2]
    review.move_responses(run, members(run, source, 2), target, user, recount_at_most=1000)
    made = review.create_theme(
        run, "Hand made", members(run, source, 1), user, pull_in=3, recount_at_most=1000
    )
    review.rename_theme(run, target, "Renamed", user, recount_at_most=1000)
    assert all(t.describing is None for t in themes_of(run).values())
    assert themes_of(run)[made.key].keywords


def test_undo_before_the_worker_restores_the_themes_and_the_worker_does_nothing(setup):
    run, user = setup
    source, target = [t.key for t in run.visible_themes][:2]
    before = shown(run)
    review.move_responses(run, members(run, source, 3), target, user, recount_at_most=5)
    edit = last_edit(run)
    ids = [t.id for t in themes_of(run).values() if t.describing == edit.id]
    review.undo(run, edit.id, user)
    assert shown(run) == before
    assert not any(merging.describe_later(run.id, i, edit.id) for i in ids)
    assert merging.still_describing(db.session.get(AnalysisRun, run.id)) == []
    assert shown(run) == before

    made = review.create_theme(
        run, "Hand made", members(run, source, 2), user, pull_in=6, recount_at_most=5
    )
    edit = last_edit(run)
    review.undo(run, edit.id, user)
    assert made.key not in themes_of(run) and shown(run) == before
    assert not merging.describe_later(run.id, themes_of(run)[source].id, edit.id)


def test_undo_after_the_worker_restores_the_themes(setup):
    run, user = setup
    source, target = [t.key for t in run.visible_themes][:2]
    before = shown(run)
    review.move_responses(run, members(run, source, 3), target, user, recount_at_most=5)
    edit = last_edit(run)
    assert merging.describe_later(run.id, themes_of(run)[source].id, edit.id)
    review.undo(run, edit.id, user)
    assert shown(run) == before


def test_a_move_from_a_theme_waiting_for_its_merge_leaves_it_to_the_merge(setup):
    """A merged theme still being described may give answers away: its merge's job
    describes it (over its answers then), the move's job counts only the target."""
    run, user = setup
    first, second, third = [t.key for t in run.visible_themes][:3]
    review.merge_themes(run, [first, second], user, describe_at_most=5)
    merge = last_edit(run)
    review.move_responses(run, members(run, first, 2), third, user, recount_at_most=5)
    move = last_edit(run)
    themes = themes_of(run)
    assert (themes[first].describing, themes[third].describing) == (merge.id, move.id)
    assert merging.describe_later(run.id, themes[third].id, move.id)
    assert themes_of(run)[first].describing == merge.id
    assert merging.describe_later(run.id, themes[first].id, merge.id)
    described = themes_of(run)[first]
    # described by its merge's job; its keywords may be none when it holds most of the
    # fixture's answers (kwedit: contrasted with every answer), so they are not asserted
    assert described.describing is None and described.summary


def test_a_move_out_of_a_theme_waiting_after_a_move_takes_it_over(setup):
    """Answers moved out of a theme still waiting to be counted after an earlier move: the
    later move's job counts it (over its answers now), the earlier one then leaves it; an
    undo of the later move gives it back to the earlier job."""
    run, user = setup
    first, second, third = [t.key for t in run.visible_themes][:3]
    review.move_responses(run, members(run, first, 3), second, user, recount_at_most=5)
    earlier = last_edit(run)
    review.move_responses(run, members(run, second, 2), third, user, recount_at_most=5)
    later = last_edit(run)
    themes = themes_of(run)
    assert (themes[first].describing, themes[second].describing) == (earlier.id, later.id)
    assert themes[third].describing == later.id
    expected = {}
    with db.session.no_autoflush:
        current = review._themes(db.session.get(AnalysisRun, run.id))
        review._count_changed(run, current, {first, second, third})
        expected = {t.key: (t.label_point, t.summary) for t in current if not t.hidden}
    db.session.rollback()
    assert merging.describe_later(run.id, themes[first].id, earlier.id)
    assert themes_of(run)[second].describing == later.id  # not the earlier job's
    assert merging.describe_later(run.id, themes[second].id, later.id)
    done = themes_of(run)
    for key in (first, second, third):
        assert done[key].describing is None
        assert (done[key].label_point, done[key].summary) == expected[key]

    # an exact undo restores every theme as it was before the later move: waiting for the
    # earlier one's job (the undo page queues it again), which counts them again
    review.undo(run, later.id, user)
    assert merging.still_describing(db.session.get(AnalysisRun, run.id)) == [
        (min(themes[first].id, themes[second].id), earlier.id)  # one job does both
    ]
    assert merging.describe_later(run.id, themes[second].id, earlier.id)
    assert all(t.describing is None for t in themes_of(run).values())


def test_a_rerun_replays_a_large_move_wholly(setup):
    """A replayed edit is never left to a worker (the rerun's job stores it at once)."""
    run, user = setup
    source, target = [t.key for t in run.visible_themes][:2]
    who = review.Context(None, "", carried={"from_run": 1, "from_edit": 1}, made=[])
    review.move_responses(run, members(run, source, 3), target, None, recount_at_most=0, _who=who)
    assert all(t.describing is None for t in db.session.scalars(select(RunTheme)))
    db.session.rollback()


def test_the_move_page_queues_one_job_and_the_report_says_so(app, setup):
    run, _ = setup
    app.config["RECOUNT_IN_REQUEST_AT_MOST"] = 5
    client = signed_in(app, "analyst", "reviewer@example.org")
    source, target = [t.key for t in run.visible_themes][:2]
    refs = members(run, source, 2)
    huey = get_huey(app)
    huey.flush()
    url = f"/staff/reports/runs/{run.id}/themes/{source}/move"
    done = post(client, url, {"responses": refs, "target": target})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    assert huey.pending_count() == 1
    page = soup(client.get(done.headers["Location"]))
    flashed = page.find(id="flash-success").get_text(" ", strip=True)
    assert f"Moved 2 responses from {source} to {target}." in flashed
    again = "is being counted again" if counts_points(run) else "are being found again"
    assert f"{again}: reload in a moment" in flashed
    themes = themes_of(run)
    for key in (source, target):
        words = page.find(id=f"theme-{key}-describing").get_text()
        assert words == said(run, "move")
        note = page.find(id=f"theme-{key}-describing-summary").get_text(" ", strip=True)
        assert note.endswith("reload the page in a moment.")
        keywords = ", ".join(themes[key].keywords)
        assert keywords in page.find(id=f"theme-{key}").get_text(" ", strip=True)
    theme_page = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{target}"))
    assert said(run, "move").lower() in theme_page.find(id="theme-describing").get_text()
    huey.flush()
    assert merging.describe_later(run.id, themes[target].id, themes[target].describing)
    page = soup(client.get(done.headers["Location"]))
    for key in (source, target):
        assert page.find(id=f"theme-{key}-describing") is None
        assert page.find(id=f"theme-{key}-describing-summary") is None


def test_the_undo_page_queues_one_job_per_waiting_edit_not_per_theme(app, setup):
    """leftweb 3: after an undo, the page queued one job per theme still waiting (the
    extra jobs found their themes counted and did nothing); now one per edit: here the
    earlier large move's two themes wait, one job counts both."""
    run, user = setup
    first, second, third, fourth = [t.key for t in run.visible_themes][:4]
    review.move_responses(run, members(run, first, 2), second, user, recount_at_most=5)
    earlier = last_edit(run)
    review.move_responses(run, members(run, third, 2), fourth, user, recount_at_most=5)
    later = last_edit(run)
    client = signed_in(app, "analyst", "reviewer@example.org")
    huey = get_huey(app)
    huey.flush()
    done = post(client, f"/staff/reports/runs/{run.id}/edits/{later.id}/undo", {})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    themes = themes_of(run)
    assert {k for k, t in themes.items() if t.describing == earlier.id} == {first, second}
    assert huey.pending_count() == 1
    assert merging.describe_later(run.id, min(themes[first].id, themes[second].id), earlier.id)
    assert all(t.describing is None for t in themes_of(run).values())
    huey.flush()


def test_a_download_made_while_counting_says_so_and_the_page_says_counting_again(app, setup):
    """leftweb 2: after a large move the themes wait for the worker; a download made then said
    nothing of it. Word says so near its top, the workbook in its Figures sheet's first row
    and a Themes column, every file's name ends "-still-updating" (the CSV keeps its
    columns); the page's summary points say "counting again…" where their counts were
    blank. Once counted, none of it."""
    import io

    from docx import Document
    from openpyxl import load_workbook

    run, _ = setup
    if not counts_points(run):
        pytest.skip("the semantic extra is not installed: test_a_fast_run_* cover the fast")
    app.config["RECOUNT_IN_REQUEST_AT_MOST"] = 5
    client = signed_in(app, "analyst", "reviewer@example.org")
    source, target = [t.key for t in run.visible_themes][:2]
    themes = themes_of(run)
    summary_points = len([p for p in themes[target].summary or [] if not p.get("only_point")])
    assert summary_points  # its summary's points show their counts, or "counting again…"
    huey = get_huey(app)
    huey.flush()
    url = f"/staff/reports/runs/{run.id}/themes/{source}/move"
    done = post(client, url, {"responses": members(run, source, 2), "target": target})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    huey.flush()
    base = f"/staff/reports/runs/{run.id}/report"

    def downloads() -> dict:
        replies = {fmt: client.get(f"{base}.{fmt}") for fmt in ("docx", "xlsx", "csv")}
        assert all(r.status_code == 200 for r in replies.values())
        return replies

    replies = downloads()
    note = (
        "This file was made while a review edit was still being counted: "
        f"{min(source, target)} (counting again after the move); "
        f"{max(source, target)} (counting again after the move)."
    )
    paragraphs = [p.text for p in Document(io.BytesIO(replies["docx"].data)).paragraphs]
    assert any(p.startswith(f"Note: {note}") for p in paragraphs[:4]), paragraphs[:4]
    book = load_workbook(io.BytesIO(replies["xlsx"].data), read_only=True)
    figures = [list(r) for r in book["Figures"].iter_rows(values_only=True)]
    assert figures[1][0] == "Still being counted" and figures[1][1].startswith(note)
    sheet = [list(r) for r in book["Themes"].iter_rows(values_only=True)]
    column = sheet[0].index("Still being counted after a review edit (download again in a moment)")
    flagged = {row[0]: row[column] for row in sheet[1:] if row[0] in themes}
    assert flagged[source] == flagged[target] == "Counting again after the move…"
    assert not any(flagged[k] for k in flagged if k not in (source, target))
    csv_header = replies["csv"].data.decode("utf-8-sig").splitlines()[0]
    for fmt, reply in replies.items():
        assert reply.headers["Content-Disposition"].endswith(f'-run{run.id}-still-updating.{fmt}"')
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    waiting = page.find(id=f"theme-{target}").find_all(class_="theme-counting-again")
    assert len(waiting) == summary_points and all(
        w.get_text() == "counting again…" for w in waiting
    )

    assert merging.describe_later(run.id, themes[target].id, themes_of(run)[target].describing)
    replies = downloads()
    assert not any(
        "still being counted" in p.text
        for p in Document(io.BytesIO(replies["docx"].data)).paragraphs
    )
    book = load_workbook(io.BytesIO(replies["xlsx"].data), read_only=True)
    assert next(book["Figures"].iter_rows(values_only=True, min_row=2))[0] != "Still being counted"
    assert "Still being counted after a review edit" not in str(
        next(book["Themes"].iter_rows(values_only=True))
    )
    assert replies["csv"].data.decode("utf-8-sig").splitlines()[0] == csv_header
    for fmt, reply in replies.items():
        assert reply.headers["Content-Disposition"].endswith(f'-run{run.id}.{fmt}"')
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    assert not page.find_all(class_="theme-counting-again")


def test_the_create_and_rename_pages_queue_their_job(app, setup):
    run, _ = setup
    app.config["RECOUNT_IN_REQUEST_AT_MOST"] = 5
    client = signed_in(app, "analyst", "reviewer@example.org")
    source = run.visible_themes[0].key
    huey = get_huey(app)
    huey.flush()
    examples = " ".join(members(run, source, 2))
    url = f"/staff/reports/runs/{run.id}/create"
    done = post(client, url, {"label": "Hand made", "examples": examples, "pull_in": "6"})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    assert huey.pending_count() == 1
    made = next(t for t in themes_of(run).values() if t.origin == "created")
    page = soup(client.get(done.headers["Location"]))
    assert "Its keywords and summary are being found" in page.find(id="flash-success").get_text()
    assert page.find(id=f"theme-{made.key}-describing").get_text() == "Describing the new theme…"
    assert page.find(id=f"theme-{source}-describing").get_text() == said(run, "create")
    huey.flush()
    assert merging.describe_later(run.id, made.id, made.describing)
    assert themes_of(run)[made.key].keywords

    other = run.visible_themes[1].key
    url = f"/staff/reports/runs/{run.id}/themes/{other}/rename"
    done = post(client, url, {"label": "Renamed by hand", "description": ""})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    if not counts_points(run):  # nothing to count: never left to a worker (smoke13)
        assert huey.pending_count() == 0 and themes_of(run)[other].describing is None
        return
    assert huey.pending_count() == 1
    page = soup(client.get(done.headers["Location"]))
    words = page.find(id=f"theme-{other}-describing").get_text()
    assert words == "Counting again after the rename…"


def test_the_worker_log_names_the_edit():
    from consult.reports.queue import DESCRIBE_TASK
    from consult.reports.worker import job_words

    class Task:
        name = DESCRIBE_TASK
        args = (3, 17, 42)
        kwargs = {"kind": "move"}
        id = "abc"

    assert job_words(Task()) == (
        "counting again the themes a move changed of run 3 (theme 17, edit 42) (job abc)"
    )


@pytest.fixture
def fast_run(app):
    """A stored run of the fast engine, which never counts how many answers make a point."""
    consultation, question = make_question("recount-fast")
    add_answers(consultation, question, 48)
    run = stored_run(consultation, question, n_themes=4)
    assert run.engine_used == "fast" and not counts_points(run)
    return run, make_user("analyst")


def test_a_fast_runs_large_move_says_its_keywords_are_found_again_not_counting(app, fast_run):
    """Smoke walk 13, finding 3: a fast run's summary points never say how many answers make
    them, yet after a large move each said "counting again…", then nothing once counted.
    Now the page says what the worker finds for it (the changed themes' keywords), its points
    read as they always do, and the download's note says keywords, not counts."""
    import io

    from docx import Document

    run, _ = fast_run
    app.config["RECOUNT_IN_REQUEST_AT_MOST"] = 5
    client = signed_in(app, "analyst", "reviewer@example.org")
    source, target = [t.key for t in run.visible_themes][:2]
    assert any(not p.get("only_point") for p in themes_of(run)[target].summary or [])

    def points_text(page) -> str:
        section = page.find(id=f"theme-{target}")
        return " ".join(li.get_text(" ", strip=True) for li in section.find_all("li"))

    before = points_text(soup(client.get(f"/staff/reports/runs/{run.id}")))
    assert "make this point" not in before and "makes this point" not in before
    huey = get_huey(app)
    huey.flush()
    url = f"/staff/reports/runs/{run.id}/themes/{source}/move"
    done = post(client, url, {"responses": members(run, source, 2), "target": target})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    assert huey.pending_count() == 1
    page = soup(client.get(done.headers["Location"]))
    flashed = page.find(id="flash-success").get_text(" ", strip=True)
    assert "The changed themes' keywords are being found again: reload in a moment." in flashed
    assert "counted again" not in flashed
    for key in (source, target):
        words = page.find(id=f"theme-{key}-describing").get_text()
        assert words == "Finding its keywords again after the move…"
    assert not page.find_all(class_="theme-counting-again")
    assert "counting again" not in points_text(page)
    word = client.get(f"/staff/reports/runs/{run.id}/report.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(word.data)).paragraphs[:4]]
    note = next(p for p in paragraphs if "still being counted" in p)
    assert "(finding its keywords again after the move)" in note
    assert "Those themes' keywords (or summary) are not in it yet" in note
    assert "points" not in note

    huey.flush()
    themes = themes_of(run)
    assert merging.describe_later(run.id, themes[target].id, themes[target].describing)
    page = soup(client.get(done.headers["Location"]))
    assert page.find(id=f"theme-{target}-describing") is None
    assert not page.find_all(class_="theme-counting-again")
    assert "make this point" not in points_text(page)


def test_a_fast_runs_large_rename_is_not_left_to_a_worker(app, fast_run):
    """A rename changes no answers; a fast run has no points to count against the new name,
    so a large rename of one is done in the request: nothing waits, no job is queued."""
    run, user = fast_run
    app.config["RECOUNT_IN_REQUEST_AT_MOST"] = 5
    client = signed_in(app, "analyst", "reviewer@example.org")
    key = run.visible_themes[0].key
    assert run.visible_themes[0].mentions > 5
    huey = get_huey(app)
    huey.flush()
    url = f"/staff/reports/runs/{run.id}/themes/{key}/rename"
    done = post(client, url, {"label": "Renamed by hand", "description": ""})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    assert huey.pending_count() == 0
    theme = themes_of(run)[key]
    assert theme.label == "Renamed by hand" and theme.describing is None
    page = soup(client.get(done.headers["Location"]))
    assert "reload in a moment" not in page.find(id="flash-success").get_text()
    assert page.find(id=f"theme-{key}-describing") is None
