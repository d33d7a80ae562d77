"""A theme's note "… for the other points its answers make, see T03 and T07." names only
themes a reader can find (tidy29 #5): after a merge hid T07 it named a theme no longer in the
run. A merged theme is named by the theme it went into, a split one by its parts; the rule
(:func:`analysis.other_themes.renamed_note`) and the review edits that apply it."""

from __future__ import annotations

import pytest

from analysis.other_themes import (
    OLD_NOTE,
    OTHER_THEMES_NOTE,
    named_in,
    other_themes_note,
    renamed_note,
)
from consult.extensions import db
from consult.reports import review
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_the_rule_names_what_took_the_hidden_themes_answers():
    note = other_themes_note(["T07", "T03", "T05"])
    visible = {"T01", "T03", "T05", "T08", "T09"}
    # T07 merged into T03: named once, where it went, in the note's order
    assert renamed_note(note, {"T07": ["T03"]}, visible) == other_themes_note(["T03", "T05"])
    # T05 split into T08 and T09
    assert renamed_note(note, {"T05": ["T08", "T09"], "T07": ["T03"]}, visible) == (
        other_themes_note(["T03", "T08", "T09"])
    )
    # merged into the note's own theme: it names the others only; none left, no names
    assert renamed_note(note, {"T07": ["T01"]}, visible, own="T01") == other_themes_note(
        ["T03", "T05"]
    )
    only = other_themes_note(["T07"])
    # every name merged into the theme itself or hidden: "" (the caller drops the note), never
    # the bare note, whose "the other points its answers make are other themes'" is untrue
    assert renamed_note(only, {"T07": ["T01"]}, visible, own="T01") == ""
    assert renamed_note(only, {}, visible) == ""
    assert renamed_note(other_themes_note(["T07", "T01"]), {}, visible, own="T01") == ""
    assert renamed_note(other_themes_note(["T07", "T04"]), {"T04": ["T01"]}, visible, "T01") == ""
    # a hidden name with nowhere to go is dropped
    assert renamed_note(note, {}, visible) == other_themes_note(["T03", "T05"])
    # nothing to change, or no note naming themes: None (left as stored, old wording too)
    assert renamed_note(other_themes_note(["T03"]), {"T07": ["T03"]}, visible) is None
    assert renamed_note(OTHER_THEMES_NOTE, {}, visible) is None
    assert renamed_note(OLD_NOTE + "", {}, visible) is None
    assert renamed_note("Fares are too high", {}, visible) is None


def _noted(theme, names: list[str]) -> None:
    """Give ``theme`` the note naming ``names`` after one ordinary summary point."""
    theme.summary = [
        {"id": "R1", "text": "An ordinary point.", "answers": 3},
        {"id": "", "text": other_themes_note(names), "only_point": True},
    ]


def _note(theme) -> list[str] | None:
    db.session.refresh(theme)
    return next(named_in(p["text"]) for p in theme.summary if p.get("only_point"))


def test_merges_and_splits_leave_notes_naming_visible_themes(app):
    consultation, question = make_question("notes-visible")
    add_answers(consultation, question, 96)
    run = stored_run(consultation, question, n_themes=4)
    user = make_user("analyst")
    first, second, third, fourth = run.visible_themes[:4]
    keys = {t.key: t for t in run.visible_themes}
    _noted(fourth, [second.key, third.key])
    _noted(third, [second.key, first.key])
    db.session.commit()

    review.merge_themes(run, [first.key, second.key], user, label="Two topics")
    assert second.key not in {t.key for t in run.visible_themes}
    # the fourth's note named the hidden second: now the merged theme, where its answers are
    assert _note(fourth) == [first.key, third.key]
    # the third named both parts of the merge: the merged theme once
    assert _note(third) == [first.key]

    made = review.split_theme(run, third.key, 2, user)
    parts = [part.key for part in made]
    assert _note(fourth) == [first.key, *parts]
    visible = {t.key for t in run.visible_themes}
    for theme in run.visible_themes:
        for point in theme.summary or []:
            named = named_in(point.get("text") or "") if point.get("only_point") else None
            assert set(named or []) <= visible - {theme.key}, (theme.key, named)

    # what a reader sees: the report page names no hidden theme in the note
    page = signed_in(app, "viewer").get(f"/staff/reports/runs/{run.id}")
    assert page.status_code == 200
    text = " ".join(soup(page).get_text(" ").split())
    assert other_themes_note([first.key, *parts]) in text
    hidden = set(keys) - visible
    assert hidden and not any(other_themes_note([k]) in text for k in hidden)


def test_a_note_left_naming_no_theme_is_dropped_not_left_bare(app):
    """A note whose named themes are all gone after a merge (here one hidden by an earlier
    merge, as a run stored before tidy29 kept it) is dropped: the bare note "the other points
    its answers make are other themes'" would be untrue. The theme's other points stay."""
    consultation, question = make_question("notes-dropped")
    add_answers(consultation, question, 120)
    run = stored_run(consultation, question, n_themes=5)
    user = make_user("analyst")
    first, second, third, fourth, fifth = run.visible_themes[:5]
    review.merge_themes(run, [first.key, second.key], user, label="Two topics")
    # stale notes naming only the theme that merge hid
    _noted(fourth, [second.key])
    fifth.summary = [{"id": "", "text": other_themes_note([second.key]), "only_point": True}]
    db.session.commit()

    review.merge_themes(run, [first.key, third.key], user, label="Three topics")
    db.session.refresh(fourth)
    db.session.refresh(fifth)
    assert [p["text"] for p in fourth.summary] == ["An ordinary point."]
    assert fifth.summary == []
    for theme in run.visible_themes:
        assert not any(
            p.get("text") in (OTHER_THEMES_NOTE, other_themes_note([second.key]))
            for p in theme.summary or []
        ), theme.key

    page = signed_in(app, "viewer").get(f"/staff/reports/runs/{run.id}")
    assert page.status_code == 200
    text = " ".join(soup(page).get_text(" ").split())
    assert "An ordinary point." in text
    assert "the other points its answers make" not in text
