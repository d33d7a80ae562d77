"""smoke17's findings on the theme report pages, through the app with a real database:
the overview's "Check before quoting" sits next to the theme's label (#1); a rerun that
changed nothing says so (#2); a theme number carried over means the same theme (#3); a
theme made from examples shows its answers (#4)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import pages, review, theme_numbers
from consult.reports.models import AnalysisRun, RunAssignment, RunTheme
from consult.reports.review import machine_members
from consult.reports.runs import SAME_THEME_OVERLAP, stable_keys
from consult.reports.wording import MOVED_KEEPS_MENTION
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_queued_run, store_synthetic_run
from tests.staff_helpers import make_user, post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def why_question(consultation):
    return next(q for q in consultation.questions if q.explains is not None)


def test_the_overview_puts_the_check_next_to_the_theme(app):
    """At 1200 px the check sat after every partner type's column, out of view (#1)."""
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=80)
    first = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
    ).first()
    first.stability = 0.3
    run.engine_used = "semantic"
    db.session.commit()
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/consultations/{consultation.id}"))
    table = page.find(id=f"question-{run.question_id}").find_next("table")
    headers = [words(th) for th in table.thead.select("th")]
    assert headers[:2] == ["Theme", "Check before quoting"]
    assert headers[2].startswith("All (")
    row = next(tr for tr in table.tbody.select("tr") if words(tr.th).startswith(f"{first.key}:"))
    assert words(row.select("td")[0]).startswith("Unstable grouping")


def copy_run(run: AnalysisRun, **changes) -> AnalysisRun:
    """A second succeeded run of the same answers with the same themes (a rerun that grouped
    them the same way), following ``run``."""
    settings = {**run.settings, **changes.pop("settings", {})}
    copy = AnalysisRun(
        consultation_id=run.consultation_id,
        question_id=run.question_id,
        status="succeeded",
        stage="finished",
        settings=settings,
        engine_used=run.engine_used,
        input_count=run.input_count,
        previous_run_id=run.id,
        summary=dict(run.summary or {}),
        **changes,
    )
    db.session.add(copy)
    db.session.flush()
    themes = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id)).all()
    ids = {}
    for theme in themes:
        twin = RunTheme(
            **{
                column.name: getattr(theme, column.name)
                for column in RunTheme.__table__.columns
                if column.name not in ("id", "run_id")
            },
            run_id=copy.id,
        )
        db.session.add(twin)
        db.session.flush()
        ids[theme.id] = twin.id
    for row in db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id)):
        values = {
            column.name: getattr(row, column.name)
            for column in RunAssignment.__table__.columns
            if column.name not in ("id", "run_id", "theme_id")
        }
        db.session.add(RunAssignment(**values, run_id=copy.id, theme_id=ids.get(row.theme_id)))
    db.session.commit()
    return copy


def test_a_number_carried_over_means_the_same_theme(app):
    """A 33-answer piece of run 4's 97-answer catch-all T01 took T01 in run 7, on another point
    (#3): a theme keeps a number only when it is mostly the same answers as that theme."""
    consultation = make_consultation()
    first = store_synthetic_run(consultation, why_question(consultation), responses=80)
    members = machine_members(first)
    whole = sorted(members["T01"])
    piece = set(whole[: int(len(whole) * 0.4)])  # Jaccard 0.4: a piece, not the theme
    most = set(sorted(members["T03"])[1:])  # all but one: the same theme
    later = store_queued_run(consultation, first.question, previous_run_id=first.id)
    keys = stable_keys(later, ["a", "b", "c"], {"a": piece, "b": members["T02"], "c": most})
    assert keys == {"a": "T07", "b": "T02", "c": "T03"}
    assert SAME_THEME_OVERLAP == 0.5


def test_the_numbering_note_says_how_many_kept_their_numbers(app):
    consultation = make_consultation()
    first = store_synthetic_run(consultation, why_question(consultation), responses=60)
    second = copy_run(first, settings={"seed": 1})
    note = theme_numbers.numbering_note(second)
    assert note.startswith(
        f"Theme numbers follow run {first.id} where a theme is the same: 6 of 6 themes keep "
        f"run {first.id}'s numbers. A theme keeps a number from run {first.id} only when it is "
        "mostly the same answers"
    )
    for theme in db.session.scalars(select(RunTheme).where(RunTheme.run_id == second.id)):
        theme.key = f"T{int(theme.key[1:]) + 6:02d}"
    db.session.commit()
    assert theme_numbers.numbering_note(second).startswith(
        f"Theme numbers do not follow run {first.id}: no theme here is mostly the same answers "
        f"as one of run {first.id}'s."
    )


def test_a_rerun_that_changed_nothing_says_so(app):
    """Q2 rerun with seed 1 was identical to seed 0's in every figure, with nothing to say so
    (#2)."""
    consultation = make_consultation()
    first = store_synthetic_run(consultation, why_question(consultation), responses=60)
    second = copy_run(first, settings={"seed": 1})
    label, value = theme_numbers.lineage_row(second)
    assert label == "Compared with"
    assert value.endswith(
        f"Same themes as run {first.id}: every answer has the same themes, with the same labels."
    )
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{second.id}"))
    assert f"Same themes as run {first.id}" in words(page.find(id="run-details").find_next("dl"))
    third = copy_run(second)
    assert theme_numbers.lineage_row(third) == (
        "Reran",
        f"run {second.id} (same engine and settings). Same themes as run {second.id}: every "
        "answer has the same themes, with the same labels.",
    )
    # One answer moved: no longer the same.
    row = next(
        row
        for row in db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == third.id))
        if row.themes
    )
    key = row.themes[0][0]
    row.themes = [["T06", None]] if key != "T06" else [["T05", None]]
    db.session.add(  # moved by hand: with its edit, as review.move records one
        review.ThemeEdit(
            run_id=third.id,
            kind="move",
            theme_keys=[key, row.themes[0][0]],
            payload={"references": [row.reference], "to": row.themes[0][0]},
        )
    )
    db.session.commit()
    assert theme_numbers.lineage_row(third) == (
        "Reran",
        f"run {second.id} (same engine and settings)",
    )


def test_a_theme_made_from_examples_shows_its_answers(app):
    """A theme made with "Create a theme from examples" showed "Most typical responses" over
    nothing: its answers were put there by hand, with no confidence to rank them (#4)."""
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=60)
    examples = sorted(
        row.reference
        for row in db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id))
        if row.themes and row.themes[0][0] == "T02"
    )[:2]
    made = review.create_theme(
        run, "Made by hand", examples, make_user("analyst", "maker@example.org"), pull_in=0
    )
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{made.key}"))
    headings = [words(h) for h in page.select("h3")]
    assert "Most typical responses" not in headings
    placed = page.find(id="theme-placed")
    assert words(placed) == "Its first responses"
    assert words(placed.find_next("p")).startswith(
        "A reviewer put these answers here, so the engine gave them no confidence"
    )
    items = placed.find_next("ol").select("li")
    assert len(items) == 2 and all("confidence" not in words(li) for li in items)
    assert {ref for ref in examples if any(ref in words(li) for li in items)} == set(examples)
    # A machine theme keeps its most typical responses.
    other = soup(client.get(f"/staff/reports/runs/{run.id}/themes/T03"))
    assert "Most typical responses" in [words(h) for h in other.select("h3")]
    assert other.find(id="theme-placed") is None


def test_report_page_titles_name_the_theme_and_question(app):
    """ "Merge themes" on every theme's merge page, "Start an analysis" whatever the question
    (#12, WCAG 2.4.2)."""
    consultation = make_consultation()
    question = why_question(consultation)
    run = store_synthetic_run(consultation, question, responses=40)
    client = signed_in(app, "analyst")
    named = pages.question_title(question)

    def title(url: str) -> str:
        return words(soup(client.get(url)).title).split(" – ", 1)[0]

    def full(url: str) -> str:
        return words(soup(client.get(url)).title)

    assert full(f"/staff/reports/runs/{run.id}/merge?key=T03").startswith(
        f"Merge T03 with other themes – run {run.id}, {named} – "
    )
    assert full(f"/staff/reports/runs/{run.id}/merge?key=T03&key=T05").startswith(
        f"Merge T03, T05 – run {run.id}, "
    )
    assert full(f"/staff/reports/runs/{run.id}/create").startswith(
        f"Create a theme from examples – run {run.id}, {named} – "
    )
    new = f"/staff/reports/consultations/{consultation.id}/new"
    assert title(f"{new}?question={question.id}") == f"Start an analysis: {named}"
    assert title(new) == f"Start an analysis: {consultation.title}"


def test_deleting_a_run_warns_of_what_uses_it_and_pages_say_deleted(app):
    """Deleting a run gave no warning that it was the codebook's source and the base of
    another run's numbers; afterwards the pages still said "Codebook (run 2)" (#7)."""
    from consult.reports.codebook_drift import source_words
    from consult.reports.coding_models import Codebook

    consultation = make_consultation()
    question = why_question(consultation)
    first = store_synthetic_run(consultation, question, responses=40)
    second = copy_run(first, settings={"seed": 1})
    third = copy_run(first, settings={"seed": 2})
    codebook = Codebook(
        consultation_id=consultation.id, question_id=question.id, source=f"run {first.id}"
    )
    db.session.add(codebook)
    db.session.commit()
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{first.id}/delete"
    page = soup(client.get(url))
    assert words(page.find(id="delete-depends-1")) == (
        f"Run {first.id} is the source of this question's codebook. The codebook and its codes "
        f"are kept, and the pages will say it came from “run {first.id}, deleted”."
    )
    assert words(page.find(id="delete-depends-2")) == (
        f"Run {second.id} and run {third.id} follow run {first.id}'s theme numbers. They keep "
        "their numbers and the review edits carried over, but will no longer say which run "
        "they follow."
    )
    assert source_words(codebook) == f"run {first.id}"
    done = post(client, url)
    assert done.status_code == 302
    db.session.expire_all()
    assert source_words(codebook) == f"run {first.id}, deleted"
    coding = soup(client.get(f"/staff/reports/questions/{question.id}/coding"))
    captions = [words(c) for c in coding.select("caption")]
    assert f"Codebook (run {first.id}, deleted)" in captions
    # A run nothing uses: no such sentences.
    page = soup(client.get(f"/staff/reports/runs/{third.id}/delete"))
    assert page.find(id="delete-depends-1") is None


def test_a_move_and_a_create_both_keep_the_old_theme_as_a_mention(app):
    """Moving an answer from T02 to T07 dropped its T02 mention (64 -> 63) though it still
    made T02's point, while "Create theme" kept T02 on the answers it took (#5): one rule."""
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=60)
    user = make_user("analyst", "mover@example.org")

    def row_of(reference):
        db.session.expire_all()
        return db.session.scalars(
            select(RunAssignment).where(
                RunAssignment.run_id == run.id, RunAssignment.reference == reference
            )
        ).one()

    def mentions(key):
        db.session.expire_all()
        return db.session.scalars(
            select(RunTheme.mentions).where(RunTheme.run_id == run.id, RunTheme.key == key)
        ).one()

    in_t02 = sorted(
        row.reference
        for row in db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id))
        if [e[0] for e in row.themes] == ["T02"]
    )
    before = mentions("T02")
    review.move_responses(run, in_t02[:1], "T03", user)
    assert [e[0] for e in row_of(in_t02[0]).themes] == ["T03", "T02"]
    assert row_of(in_t02[0]).themes[1][1] is None  # no confidence kept for a mention
    assert mentions("T02") == before
    made = review.create_theme(run, "Made by hand", in_t02[1:3], user, pull_in=0)
    for reference in in_t02[1:3]:
        assert [e[0] for e in row_of(reference).themes] == [made.key, "T02"]
    assert mentions("T02") == before
    client = signed_in(app, "analyst")
    for url in (
        f"/staff/reports/runs/{run.id}/themes/T02/move",
        f"/staff/reports/runs/{run.id}/create",
    ):
        said = words(soup(client.get(url)).find(id="moved-keeps-mention"))
        assert said == " ".join(MOVED_KEEPS_MENTION.split())


def test_organisation_size_tells_not_asked_from_not_given(app):
    """The size breakdown's "Not given" lumped the organisations never asked (a business
    alone is asked its size) with businesses that did not say (#8)."""
    from analysis.segments import segment_breakdown

    consultation = make_consultation()
    run = store_synthetic_run(
        consultation,
        why_question(consultation),
        responses=60,
        segments=("partner_type", "size_band"),
    )
    rows = db.session.scalars(
        select(RunAssignment).where(RunAssignment.run_id == run.id).order_by(RunAssignment.id)
    ).all()
    businesses = 0
    for row in rows:  # as a real run stores them: no size but for businesses, 2 of them none
        segments = dict(row.segments)
        if segments["partner_type"] != "business":
            segments["size_band"] = "not_given"
        elif businesses < 2:
            segments["size_band"] = "not_given"
            businesses += 1
        row.segments = segments
    themes = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
    ).all()
    index = {theme.key: n for n, theme in enumerate(themes)}
    sets = [{index[e[0]] for e in row.themes} for row in rows]
    cells = segment_breakdown(sets, [row.segments["size_band"] for row in rows], len(themes))
    for n, theme in enumerate(themes):
        theme.segments = {**theme.segments, "size_band": cells[n]}
    db.session.commit()
    first = themes[0]
    table = pages.segment_table(first, "size_band")
    labels = {row.label: row for row in table.rows}
    asked_not = labels["Not asked (not a business)"]
    said_not = labels["Not given (a business that did not say)"]
    assert "Not given" not in labels
    assert said_not.of == 2 and asked_not.of == sum(
        1 for row in rows if row.segments["partner_type"] != "business"
    )
    assert asked_not.verdict == said_not.verdict == "not compared"
    stored = first.segments["size_band"]["not_given"]
    assert asked_not.count + said_not.count == stored["count"]
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}/themes/{first.key}"))
    text = words(page)
    assert "Not asked (not a business)" in text and "a business that did not say" in text


def test_the_overview_says_why_numbers_are_out_of_order(app):
    """Q2's overview listed T01, T02, T04, T03, T06 with nothing to say why (#9)."""
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=80)
    client = signed_in(app, "analyst")
    url = f"/staff/reports/consultations/{consultation.id}"
    item = next(i for i in pages.overview(consultation) if i.run and i.run.id == run.id)
    item.themes = sorted(item.themes, key=lambda theme: theme.key)
    assert item.order_note == ""  # in number order: nothing to say
    # The most mentioned theme numbered after the next: out of order, said why.
    first, second = next(
        i for i in pages.overview(consultation) if i.run and i.run.id == run.id
    ).themes[:2]
    low, high = sorted([first.key, second.key])
    first.key, second.key = "T98", "T99"
    db.session.flush()
    first.key, second.key = high, low
    db.session.commit()
    note = soup(client.get(url)).find(id=f"order-note-{run.question_id}")
    assert words(note) == pages.OVERVIEW_ORDER_NOTE


def test_same_themes_and_the_size_split_read_a_bounded_number_of_rows(app, monkeypatch):
    """Review fixr17b #3: "Same themes as run N" read and decoded every answer of both runs
    on each view, and the size breakdown's split every answer again. Now the labels and
    counts are compared first, then the answers a chunk at a time up to the first difference,
    and the split is counted by the database: the same statements for 40 or 400 answers."""
    from sqlalchemy import event

    monkeypatch.setattr(theme_numbers, "SAME_THEMES_CHUNK", 10)
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    counts = []
    for size in (40, 400):
        first = store_synthetic_run(
            consultation,
            why_question(consultation),
            responses=size,
            segments=("partner_type", "size_band"),
        )
        for row in db.session.scalars(
            select(RunAssignment).where(RunAssignment.run_id == first.id)
        ):
            if row.segments["partner_type"] != "business":
                row.segments = {**row.segments, "size_band": "not_given"}
        db.session.commit()
        second = copy_run(first)
        row = db.session.scalars(
            select(RunAssignment)
            .where(RunAssignment.run_id == second.id)
            .order_by(RunAssignment.response_id)
        ).first()
        row.themes = [["T06", None]] if row.themes[0][0] != "T06" else [["T05", None]]
        db.session.commit()
        theme = db.session.scalars(
            select(RunTheme).where(RunTheme.run_id == second.id).order_by(RunTheme.position)
        ).first()
        statements: list[str] = []

        def count(conn, cursor, statement, *args, statements=statements):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/staff/reports/runs/{second.id}").status_code == 200
            db.session.expire_all()
            pages.segment_table(db.session.get(RunTheme, theme.id), "size_band")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        reads = [
            s
            for s in statements
            if "FROM run_assignment" in s and "count" not in s.lower() and "GROUP BY" not in s
        ]
        assert len(reads) == 2, reads  # one chunk of each run, up to the first difference
        assert any("GROUP BY" in s and "LIKE" in s.upper() for s in statements), (
            "the size split was counted"
        )
        counts.append(len(statements))
        # A rerun that grouped the same way still says so, read chunk by chunk.
        assert theme_numbers.same_themes(copy_run(first), first)
    assert counts[0] == counts[1]


def test_the_numbering_rule_is_worded_as_the_overlap_is_measured(app):
    """Review fixr17b #5: the note said "at least half of each theme's answers", but the
    match is by Jaccard: two 10-answer themes sharing 6 (60 % each way) do not match
    (6 / 14 = 0.43); sharing 7 (7 / 13 = 0.54) they do. The sentence says so."""
    from analysis.review import match_themes

    before = {"T01": {str(n) for n in range(10)}}
    six = {"a": {str(n) for n in range(4, 14)}}
    seven = {"a": {str(n) for n in range(3, 13)}}
    assert match_themes(before, six, SAME_THEME_OVERLAP) == {}
    assert match_themes(before, seven, SAME_THEME_OVERLAP) == {"a": "T01"}
    consultation = make_consultation()
    first = store_synthetic_run(consultation, why_question(consultation), responses=60)
    note = theme_numbers.numbering_note(copy_run(first, settings={"seed": 1}))
    assert (
        "mostly the same answers: the answers they share are at least half of all the "
        "answers in either." in note
    )
    assert "each theme's answers" not in note and "half of its answers" not in note


def test_same_themes_found_when_the_run_finished_is_kept_until_an_edit(app, monkeypatch):
    """Review fixr17b #3: found once when the run finishes (the worker), the report reads
    no answers for it; an edit to either run since and the answers are compared again."""
    from sqlalchemy import event

    consultation = make_consultation()
    first = store_synthetic_run(consultation, why_question(consultation), responses=60)
    second = copy_run(first)
    theme_numbers.note_same_themes(second)
    db.session.commit()
    assert second.summary["same_themes"]["same"] is True
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert theme_numbers.same_themes(second, first)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert not any("FROM run_assignment" in s for s in statements), statements
    # An answer moved by hand, with its edit: compared again, and no longer the same.
    row = next(
        row
        for row in db.session.scalars(
            select(RunAssignment).where(RunAssignment.run_id == second.id)
        )
        if row.themes
    )
    key = row.themes[0][0]
    other = "T06" if key != "T06" else "T05"
    row.themes = [[other, None]]
    db.session.add(
        review.ThemeEdit(
            run_id=second.id,
            kind="move",
            theme_keys=[key, other],
            payload={"references": [row.reference], "to": other},
        )
    )
    db.session.commit()
    assert not theme_numbers.same_themes(second, first)
    # An edit to the earlier run counts too.
    theme_numbers.note_same_themes(second)
    db.session.commit()
    assert second.summary["same_themes"]["same"] is False
    db.session.add(review.ThemeEdit(run_id=first.id, kind="reviewed", payload={"key": key}))
    db.session.commit()
    monkeypatch.setattr(theme_numbers, "_compared", lambda run, earlier: "compared again")
    assert theme_numbers.same_themes(second, first) == "compared again"


def test_an_edited_runs_comparison_is_made_once_per_edit(app, monkeypatch):
    """left18 (issue 12): an edited run fell back to comparing the answers on every view.
    Now it is compared once per edit of either run (each web process keeps the answer), and
    a later edit compares again."""
    from sqlalchemy import event

    consultation = make_consultation()
    first = store_synthetic_run(consultation, why_question(consultation), responses=60)
    second = copy_run(first)
    db.session.add(review.ThemeEdit(run_id=second.id, kind="reviewed", payload={"key": "T01"}))
    db.session.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert theme_numbers.same_themes(second, first)  # compared: the stored mark is old
        compared = sum("FROM run_assignment" in s for s in statements)
        statements.clear()
        assert theme_numbers.same_themes(second, first)  # the next view: not again
        assert not any("FROM run_assignment" in s for s in statements), statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert compared > 0
    db.session.add(review.ThemeEdit(run_id=first.id, kind="reviewed", payload={"key": "T02"}))
    db.session.commit()
    monkeypatch.setattr(theme_numbers, "_compared", lambda run, earlier: "compared again")
    assert theme_numbers.same_themes(second, first) == "compared again"
