"""smoke10 findings on review edits: an undone split gives its theme back exactly (its
label-point flag and its points' counts), and a key is never used twice within a run."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import review
from consult.reports.models import RunTheme
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def setup(app):
    consultation, question = make_question()
    add_answers(consultation, question, 48)
    run = stored_run(consultation, question, n_themes=4)
    client = signed_in(app, "analyst")
    from consult.models import User

    user = db.session.scalars(select(User)).first()
    return run, user, client


def themes_by_key(run):
    db.session.expire_all()
    return {t.key: t for t in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id))}


def counted(run) -> str:
    """The largest theme, given a label-point count under half its mentions and counted
    summary points, as the semantic engine stores them."""
    theme = max(run.visible_themes, key=lambda t: t.size)
    theme.label_point = max(1, theme.mentions // 3)
    theme.summary = [
        {**point, "answers": 2 + i, "answers_as_label": 1} for i, point in enumerate(theme.summary)
    ]
    db.session.commit()
    return theme.key


def page_text(client, run, key) -> str:
    page = client.get(f"/staff/reports/runs/{run.id}/themes/{key}")
    assert page.status_code == 200
    main = soup(page).select_one("main")
    return re.sub(r"\s+", " ", main.get_text(" "))


FIELDS = ("size", "mentions", "label_point", "summary", "stance", "stability", "keywords")


@pytest.mark.parametrize("later_edit", [False, True])
def test_undoing_a_split_gives_the_theme_back_exactly(setup, later_edit):
    """smoke10 finding 4: an undone split (older than a move between other themes) lost the
    theme's "label made by fewer than half" flag and its points' counts."""
    run, user, client = setup
    key = counted(run)
    before = {name: getattr(themes_by_key(run)[key], name) for name in FIELDS}
    page = page_text(client, run, key)
    assert "fewer than half" in page
    split = review.split_theme(run, key, 2, user)
    assert split
    if later_edit:
        others = [t.key for t in run.visible_themes if t.origin == "machine"][:2]
        source, target = others
        moving = sorted(
            a.reference
            for a in run.assignments
            if a.theme_id == themes_by_key(run)[source].id and key not in a.theme_keys
        )[:2]
        review.move_responses(run, moving, target, user)
    edit = next(e for e in review.history(run) if e.kind == "split")
    done = review.undo(run, edit.id, user)
    assert done.payload["exact"] is (not later_edit)
    after = {name: getattr(themes_by_key(run)[key], name) for name in FIELDS}
    assert after == before
    assert page_text(client, run, key) == page


def test_a_key_is_not_used_again_after_an_undo(setup):
    """smoke10 finding 10: a split's part key, freed by undoing the split, was given to the
    next created theme, so one key named two themes (one of them in the codebook)."""
    run, user, _ = setup
    key = max(run.visible_themes, key=lambda t: t.size).key
    parts = [t.key for t in review.split_theme(run, key, 2, user)]
    split = next(e for e in review.history(run) if e.kind == "split")
    review.undo(run, split.id, user)
    other = next(t for t in run.visible_themes if t.key != key)
    examples = sorted(a.reference for a in run.assignments if a.theme_id == other.id)[:2]
    made = review.create_theme(run, "Made by hand", examples, user, pull_in=2)
    assert made.key not in parts
    assert int(made.key[1:]) > max(int(k[1:]) for k in parts)


def test_a_created_theme_has_keywords_and_summary_points(setup):
    """smoke10 finding 9: a theme created from examples showed an empty "Keywords" heading
    and no other points; they are found from its answers as a merged theme's are."""
    run, user, client = setup
    other = max(run.visible_themes, key=lambda t: t.size)
    examples = sorted(a.reference for a in run.assignments if a.theme_id == other.id)[:2]
    made = review.create_theme(run, "Made by hand", examples, user, pull_in=6)
    theme = themes_by_key(run)[made.key]
    assert theme.keywords and theme.summary
    texts = {a.reference: a.text for a in run.assignments}
    assert all(p["id"] in texts for p in theme.summary if not p.get("only_point"))
    page = client.get(f"/staff/reports/runs/{run.id}")
    section = next(
        h.find_parent("section") or h.parent
        for h in soup(page).select("h2, h3")
        if made.key in h.get_text() and "Made by hand" in h.get_text()
    )
    text = re.sub(r"\s+", " ", section.get_text(" "))
    assert "Keywords " + ", ".join(theme.keywords) in text


def test_no_keywords_say_so(setup):
    """A theme with no keywords (no word sets its answers apart, or they could not be
    described) shows no empty "Keywords" row: it reads "No distinctive words" (kwedit)."""
    run, _, client = setup
    theme = run.visible_themes[0]
    theme.keywords = []
    db.session.commit()
    page = client.get(f"/staff/reports/runs/{run.id}")
    rows = [
        re.sub(r"\s+", " ", row.get_text(" ")).strip()
        for row in soup(page).select(".govuk-summary-list__row")
    ]
    keyword_rows = [r for r in rows if r.startswith("Keywords")]
    assert len(keyword_rows) == len(run.visible_themes)
    assert all(r != "Keywords" for r in keyword_rows)
    assert keyword_rows.count("Keywords No distinctive words") == 1
