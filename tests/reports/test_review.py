"""Review operations on a stored run: each edit, its history and audit record, undo (exact
for the latest edits), and replay onto a rerun with late responses."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent
from consult.reports import review
from consult.reports.models import RunAssignment, RunTheme, ThemeEdit
from tests.reports.review_helpers import add_answers, make_question, snapshot, stored_run
from tests.staff_helpers import make_user

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


@pytest.fixture
def setup(app):
    consultation, question = make_question()
    add_answers(consultation, question, 48)
    run = stored_run(consultation, question, n_themes=4)
    user = make_user("analyst")
    return run, user, consultation, question


def themes_by_key(run):
    db.session.expire_all()
    return {t.key: t for t in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id))}


def primary_members(run, key):
    theme = themes_by_key(run)[key]
    return set(
        db.session.scalars(
            select(RunAssignment.reference).where(
                RunAssignment.run_id == run.id, RunAssignment.theme_id == theme.id
            )
        )
    )


def audit_actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def largest(run):
    return max(run.visible_themes, key=lambda t: t.size).key


def first_of(run, key, count):
    return sorted(primary_members(run, key))[:count]


def do_edit(kind, run, user):
    """Make one edit of ``kind`` on the run."""
    keys = [t.key for t in run.visible_themes]
    if kind == "rename":
        return review.rename_theme(run, keys[0], "Reliable buses", user, "About buses.")
    if kind == "describe":
        return review.rename_theme(run, keys[0], run.visible_themes[0].label, user, "Notes")
    if kind == "merge":
        return review.merge_themes(run, keys[:2], user, label="Transport")
    if kind == "split":
        return review.split_theme(run, largest(run), 2, user)
    if kind == "move":
        return review.move_responses(run, first_of(run, keys[0], 3), keys[1], user)
    if kind == "create":
        examples = first_of(run, keys[2], 2)
        return review.create_theme(run, "Hand made", examples, user, pull_in=4)
    if kind == "reviewed":
        return review.mark_reviewed(run, keys[0], user)
    raise AssertionError(kind)


KINDS = ["rename", "describe", "merge", "split", "move", "create", "reviewed"]


def test_rename_is_recorded_in_history_and_audit(setup):
    run, user, *_ = setup
    key = run.visible_themes[0].key
    edit = review.rename_theme(run, key, "Reliable buses", user, description="Late buses.")
    theme = themes_by_key(run)[key]
    assert (theme.label, theme.description) == ("Reliable buses", "Late buses.")
    assert edit.kind == "rename" and edit.user_email == user.email and edit.at is not None
    assert [e.id for e in review.history(run, key)] == [edit.id]
    assert review.describe_edit(edit) == f"Renamed {key} to “Reliable buses”"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "theme_rename"))
    assert event.actor == user.email and event.target == f"run {run.id}"
    assert "Reliable buses" in event.detail


def test_merge_unions_members_and_recomputes_counts(setup):
    run, user, *_ = setup
    first, second = [t.key for t in run.visible_themes[:2]]
    members = primary_members(run, first) | primary_members(run, second)
    merged = review.merge_themes(run, [first, second], user, label="Transport")
    themes = themes_by_key(run)
    assert merged.key == first and themes[first].label == "Transport"
    assert themes[first].origin == "merge" and themes[second].hidden
    assert primary_members(run, first) == members
    assert themes[first].size == len(members)
    assert themes[first].share == round(len(members) / 48, 4)
    assert themes[first].share_low < themes[first].share < themes[first].share_high
    assert sum(themes[first].stance.values()) == themes[first].mentions >= len(members)
    cells = themes[first].segments["partner_type"]
    assert sum(cell["count"] for cell in cells.values()) == themes[first].mentions
    assert all(second not in a.theme_keys for a in run.assignments)
    assert "theme_merge" in audit_actions()


def test_merge_finds_its_summary_again(setup):
    """A theme summarised as making one point no longer does once merged with another, nor
    do the parts' points describe the merged whole: the summary is found again from the
    merged answers (tests/reports/test_review_honest.py has the rest)."""
    run, user, *_ = setup
    first, second = [t.key for t in run.visible_themes[:2]]
    members = primary_members(run, first) | primary_members(run, second)
    themes = themes_by_key(run)
    one = {"id": "R1", "text": "This theme makes one point only; ...", "ids": ["R1"]}
    themes[first].summary = [{**one, "only_point": True}]
    themes[second].summary = [{"id": "R2", "text": "Buses are late.", "ids": ["R2", "R3"]}]
    db.session.commit()
    merged = review.merge_themes(run, [first, second], user, label="Transport")
    assert merged.summary and all(set(point["ids"]) <= members for point in merged.summary)
    assert one["text"] not in {point["text"] for point in merged.summary}


def test_split_reclusters_only_its_responses(setup):
    run, user, *_ = setup
    key = largest(run)
    members = primary_members(run, key)
    others = {t.key: primary_members(run, t.key) for t in run.visible_themes if t.key != key}
    parts = review.split_theme(run, key, 2, user)
    assert len(parts) == 2 and all(p.origin == "split" for p in parts)
    assert themes_by_key(run)[key].hidden
    split_members = [primary_members(run, p.key) for p in parts]
    assert split_members[0] | split_members[1] == members and all(split_members)
    assert {t: primary_members(run, t) for t in others} == others
    assert all(p.label and p.keywords for p in parts)
    assert review.history(run)[0].payload["n"] == 2


def test_split_parts_keep_the_stability_of_the_theme_they_were_cut_from(setup):
    """smoke9 finding 8: parts of a theme measured at 0.65 said "1.00 (stable)", the refit of
    the part's own answers; they keep the theme's figure and every report says whose it is."""
    from consult.reports.wording import SPLIT_STABILITY, stability_words

    run, user, *_ = setup
    key = largest(run)
    themes_by_key(run)[key].stability = 0.65
    db.session.commit()
    parts = review.split_theme(run, key, 2, user)
    assert [themes_by_key(run)[p.key].stability for p in parts] == [0.65, 0.65]
    assert stability_words(0.65, split=True) == f"0.65 (fairly stable; {SPLIT_STABILITY})"
    assert stability_words(0.65) == "0.65 (fairly stable)"


def test_split_parts_carry_the_runs_counts_of_their_points(setup):
    """smoke7 finding 4 for splits: recompute dropped each part's summary counts and its
    label-point count; they are counted again over the answers mentioning each part (the
    semantic engine's counts: the run here is marked as the semantic engine's)."""
    from analysis.embeddings import available

    if not available():
        pytest.skip("the semantic extra is not installed")
    run, user, *_ = setup
    run.engine_used = "semantic"
    db.session.commit()
    parts = review.split_theme(run, largest(run), 2, user)
    for part in parts:
        theme = themes_by_key(run)[part.key]
        assert theme.label_point is not None and 0 <= theme.label_point <= theme.mentions
        said = [point for point in theme.summary if not point.get("only_point")]
        assert all(0 < point["answers"] <= theme.mentions for point in said)
        assert all("answers_as_label" in point for point in said)


def test_a_move_and_a_create_count_the_changed_themes_again(setup):
    """smoke11 finding 1: after a move or a create, the themes that gave or took answers lost
    their label-point count (and its "label made by fewer than half" flag) and their summary
    points' counts, and the page said "Nothing flagged"; they are counted again, as a merge
    and a split do (semantic engine's counts)."""
    from analysis.embeddings import available

    if not available():
        pytest.skip("the semantic extra is not installed")
    run, user, *_ = setup
    run.engine_used = "semantic"
    db.session.commit()
    keys = [t.key for t in run.visible_themes]

    def counted(key):
        theme = themes_by_key(run)[key]
        assert theme.label_point is not None and 0 <= theme.label_point <= theme.mentions
        said = [point for point in theme.summary if not point.get("only_point")]
        assert all("answers" in point and "answers_as_label" in point for point in said)

    review.move_responses(run, first_of(run, keys[0], 3), keys[1], user)
    db.session.commit()
    counted(keys[0])
    counted(keys[1])
    review.rename_theme(run, keys[3], "Reliable buses", user)
    db.session.commit()
    counted(keys[3])
    created = review.create_theme(run, "Hand made", first_of(run, keys[2], 2), user, pull_in=4)
    db.session.commit()
    changed = db.session.scalars(
        select(ThemeEdit.theme_keys).where(ThemeEdit.run_id == run.id, ThemeEdit.kind == "create")
    ).one()
    assert created.key in changed and keys[2] in changed
    for key in changed:
        counted(key)


def test_a_split_parts_note_names_its_sibling_by_its_key_in_the_run():
    """smoke11 finding 3b: the split's fit names its themes T01, T02 …, so a part's note
    "belong to other themes: T01" named a theme no longer in the run."""
    from analysis.other_themes import OLD_NOTE, other_themes_note
    from analysis.repeats import OTHER_THEMES_NOTE

    note = {"id": "R1", "only_point": True, "text": other_themes_note(["T01"])}
    fit = [{"id": "T01"}, {"id": "T02"}]
    said = review._named_parts([note], fit, ["T16", "T17"])
    assert said[0]["text"] == other_themes_note(["T16"])
    both = dict(note, text=other_themes_note(["T02", "T01"]))
    assert review._named_parts([both], fit, ["T16", "T17"])[0]["text"].endswith(" T17 and T16.")
    # every name of a note naming several (rev16), in its order, read as analysis writes it
    three = dict(note, text=other_themes_note(["T03", "T01", "T02"]))
    fit3 = [*fit, {"id": "T03"}]
    renamed = review._named_parts([three], fit3, ["T16", "T17", "T18"])[0]["text"]
    assert renamed == other_themes_note(["T18", "T16", "T17"])
    unknown = dict(note, text=other_themes_note(["T09"]))
    assert review._named_parts([unknown], fit, ["T16", "T17"])[0]["text"] == OTHER_THEMES_NOTE
    # a run stored before wording28 words its note the old way: read back and renamed too
    old = dict(note, text=f"{OLD_NOTE[:-1]}: T02 and T01.")
    assert review._named_parts([old], fit, ["T16", "T17"])[0]["text"] == other_themes_note(
        ["T17", "T16"]
    )
    point = {"id": "R2", "text": "Run more buses: T01."}
    assert review._named_parts([point], fit, ["T16", "T17"]) == [point]


def test_split_parts_summary_points_keep_their_side(setup):
    """smoke9 finding 8: a split part's summary points lost their side ("We welcome the
    direction, but…" beside every other theme's "For: …"): the split's fit was given no
    agreement answers, so it measured no stance; the answers' stored stances are given."""
    run, user, *_ = setup
    sides = {"for", "against", "mixed"}

    def points(key):
        return [p for p in themes_by_key(run)[key].summary if not p.get("only_point")]

    sided = [t.key for t in run.visible_themes if points(t.key)]
    assert sided and all(p.get("stance") in sides for k in sided for p in points(k))  # the run's
    said = [
        p
        for key in sided
        for part in review.split_theme(run, key, 2, user)
        for p in points(part.key)
    ]
    assert said and all(p.get("stance") in sides for p in said), said


def test_move_marks_responses_and_recounts_both_themes(setup):
    run, user, *_ = setup
    source, target = [t.key for t in run.visible_themes[:2]]
    sizes = {k: themes_by_key(run)[k].size for k in (source, target)}
    moving = first_of(run, source, 3)
    assert review.move_responses(run, moving, target, user) == 3
    themes = themes_by_key(run)
    assert (themes[source].size, themes[target].size) == (sizes[source] - 3, sizes[target] + 3)
    moved = db.session.scalars(
        select(RunAssignment).where(RunAssignment.reference.in_(moving))
    ).all()
    assert all(a.moved_by_hand and a.theme_keys[0] == target for a in moved)
    # The old main theme stays as a mention, as "Create a theme" keeps it (smoke17 #5).
    assert all(a.theme_keys[1] == source for a in moved)


def test_create_pulls_in_the_most_similar_responses(setup):
    run, user, *_ = setup
    key = run.visible_themes[0].key
    examples = first_of(run, key, 2)
    example_texts = [a.text for a in run.assignments if a.reference in examples]
    theme = review.create_theme(run, "Made by hand", examples, user, pull_in=3)
    members = primary_members(run, theme.key)
    assert set(examples) <= members and len(members) == 5
    assert theme.origin == "created" and theme.key not in {t.key for t in run.themes[:4]}
    texts = [a.text for a in run.assignments if a.reference in members - set(examples)]
    shared = {w for t in example_texts for w in t.split() if len(w) > 4}
    assert all(shared & set(t.split()) for t in texts)


def test_mark_reviewed_names_who_and_when(setup):
    run, user, *_ = setup
    key = run.visible_themes[0].key
    review.mark_reviewed(run, key, user)
    theme = themes_by_key(run)[key]
    assert theme.reviewed_by == user.email and theme.reviewed_at is not None
    with pytest.raises(review.ReviewError, match="already"):
        review.mark_reviewed(run, key, user)


@pytest.mark.parametrize("kind", KINDS)
def test_undo_restores_the_exact_earlier_state(setup, kind):
    run, user, *_ = setup
    before = snapshot(run)
    do_edit(kind, run, user)
    assert snapshot(run) != before
    edit = review.history(run)[0]
    undo = review.undo(run, edit.id, user)
    assert snapshot(run) == before
    db.session.refresh(edit)
    assert edit.undone_at is not None and edit.undone_by_edit_id == undo.id
    assert undo.kind == "undo" and undo.payload["undoes"] == edit.id
    assert "theme_undo" in audit_actions()


def test_undoing_every_kind_in_reverse_order_restores_the_machine_run(setup):
    run, user, *_ = setup
    states = [snapshot(run)]
    for kind in ["rename", "merge", "move", "create", "reviewed", "split"]:
        do_edit(kind, run, user)
        states.append(snapshot(run))
    edits = [e for e in review.history(run)]
    assert len(edits) == 6
    for edit, expected in zip(edits, reversed(states[:-1]), strict=True):
        review.undo(run, edit.id, user)
        assert snapshot(run) == expected


def test_undo_of_an_older_edit_that_a_later_one_depends_on_is_refused(setup):
    run, user, *_ = setup
    first, second, third = [t.key for t in run.visible_themes[:3]]
    merge = review.merge_themes(run, [first, second], user)
    review.rename_theme(run, first, "Later name", user)
    with pytest.raises(review.ReviewError, match="Undo the later edit"):
        review.undo(run, review.history(run)[1].id, user)
    # An independent older edit can be undone.
    rename = review.rename_theme(run, third, "Third", user)
    review.rename_theme(run, first, "Latest name", user)
    review.undo(run, rename.id, user)
    assert themes_by_key(run)[third].label != "Third"
    assert themes_by_key(run)[first].label == "Latest name" and merge.key == first
    with pytest.raises(review.ReviewError, match="already been undone"):
        review.undo(run, rename.id, user)


def test_bad_requests_say_why(setup):
    run, user, *_ = setup
    key = run.visible_themes[0].key
    cases = [
        (lambda: review.rename_theme(run, "T99", "x", user), "no theme T99"),
        (lambda: review.rename_theme(run, key, "  ", user), "Enter a name"),
        (lambda: review.merge_themes(run, [key], user), "at least two"),
        (lambda: review.split_theme(run, key, 1, user), "2 or more"),
        (lambda: review.split_theme(run, key, 500, user), "too few"),
        (lambda: review.move_responses(run, ["NOPE"], key, user), "no response NOPE"),
        (lambda: review.move_responses(run, [], key, user), "at least one"),
        (lambda: review.create_theme(run, "x", [], user), "at least one example"),
    ]
    for call, message in cases:
        with pytest.raises(review.ReviewError, match=message):
            call()
    assert db.session.scalar(select(ThemeEdit.id)) is None


def test_rerun_with_late_responses_keeps_every_edit(setup):
    run, user, consultation, question = setup
    keys = [t.key for t in run.visible_themes]
    review.rename_theme(run, keys[0], "Named by hand", user, "A description")
    review.mark_reviewed(run, keys[0], user)
    review.merge_themes(run, [keys[1], keys[2]], user, label="Merged by hand")
    parts = review.split_theme(run, keys[3], 2, user)
    review.rename_theme(run, parts[0].key, "First part", user)
    moved = first_of(run, keys[0], 2)
    review.move_responses(run, moved, parts[1].key, user)
    created = review.create_theme(run, "Created by hand", first_of(run, keys[1], 1), user, 2)
    undone = review.rename_theme(run, keys[1], "Undone name", user)
    review.undo(run, undone.id, user)
    final = {t.key: t.label for t in themes_by_key(run).values() if not t.hidden}

    add_answers(consultation, question, 8, seed=7)
    rerun = stored_run(consultation, question, 4, previous=run, replay=review.replay_edits)
    themes = themes_by_key(rerun)
    visible = {k: t.label for k, t in themes.items() if not t.hidden}
    assert visible == final
    assert themes[keys[0]].description == "A description"
    assert themes[keys[0]].reviewed_by == user.email
    assert themes[keys[2]].hidden and themes[keys[3]].hidden
    assert themes[created.key].origin == "created"
    for reference in moved:
        assignment = db.session.scalar(
            select(RunAssignment).where(
                RunAssignment.run_id == rerun.id, RunAssignment.reference == reference
            )
        )
        assert assignment.moved_by_hand and assignment.theme_keys[0] == parts[1].key
    carried = review.history(rerun)
    assert carried and all(e.payload.get("carried_over") for e in carried)
    assert {e.kind for e in carried} == {"rename", "reviewed", "merge", "split", "move", "create"}
    assert all(e.payload["from_run"] == run.id for e in carried)
    assert "Undone name" not in [e.payload.get("label") for e in carried]
    # Late responses are coded too: every response of the rerun has a theme or the bucket.
    assert rerun.input_count == 56


def test_machine_members_are_the_engines_themes_before_review(setup):
    run, user, *_ = setup
    keys = [t.key for t in run.visible_themes]
    machine = {key: primary_members(run, key) for key in keys}
    assert review.machine_members(run) == machine
    review.merge_themes(run, keys[:2], user)
    review.move_responses(run, first_of(run, keys[2], 2), keys[3], user)
    parts = review.split_theme(run, keys[3], 2, user)
    created = review.create_theme(run, "Made", first_of(run, parts[0].key, 1), user, 1)
    members = review.machine_members(run)
    assert members == machine and created.key not in members


def test_a_point_another_theme_gives_is_not_given_again():
    """smoke9 finding 19: after a merge and a split the same sentence was a point of two
    themes; a re-described theme leaves out points another visible theme already gives."""
    from types import SimpleNamespace

    from consult.reports.merging import not_said_elsewhere

    bids = "Our officers spend months each year writing bids to Whitehall."
    other = SimpleNamespace(
        key="T05", label="Bids", summary=[{"id": "R1", "text": bids, "ids": ["R1"]}]
    )
    note = {"id": "", "text": "This theme makes one point only.", "ids": [], "only_point": True}
    summary = [
        {
            "id": "R2",
            "text": "Overall, our officers spend months each year writing bids to Whitehall",
            "ids": ["R2"],
        },
        {"id": "R3", "text": "Local control means better decisions.", "ids": ["R3"]},
        note,
    ]
    kept = not_said_elsewhere(summary, [other])
    assert [point["id"] for point in kept] == ["R3", ""]
    assert not_said_elsewhere(summary, []) == summary


def test_a_point_saying_another_themes_label_is_left_out():
    """smoke17s #13: a merged theme listed another theme's label as one of its points; a
    re-described theme leaves it out as a run does (analysis.repeats.other_labels_left_out),
    and a summary left with none says its points belong to that theme."""
    from types import SimpleNamespace

    from analysis.other_themes import other_themes_note
    from consult.reports.merging import not_said_elsewhere

    bus = SimpleNamespace(
        key="T04", label="Staff cannot rely on buses that often do not turn up", summary=[]
    )
    said = {
        "id": "R2",
        "text": "In Walsall, staff cannot rely on buses that often do not turn up.",
        "ids": ["R2"],
        "answers": 9,
    }
    own = {"id": "R3", "text": "Local control means better decisions.", "ids": ["R3"]}
    assert not_said_elsewhere([said, own], [bus]) == [own]
    assert not_said_elsewhere([own], [bus]) == [own]
    (note,) = not_said_elsewhere([said], [bus])
    assert note["only_point"] and note["text"] == other_themes_note(["T04"])
    # a short label ("Buses") is too common to take a point out
    short = SimpleNamespace(key="T04", label="Buses", summary=[])
    assert not_said_elsewhere([said, own], [short]) == [said, own]


def test_split_parts_do_not_repeat_another_themes_points(setup):
    from analysis.describe import said_key

    run, user, *_ = setup
    key = largest(run)
    parts = review.split_theme(run, key, 2, user)
    made = {p.key for p in parts}
    shown = themes_by_key(run)
    elsewhere = {
        said_key(point["text"])
        for t in shown.values()
        if not t.hidden and t.key not in made
        for point in t.summary or []
    }
    for part in made:
        assert not {said_key(p["text"]) for p in shown[part].summary or []} & elsewhere
