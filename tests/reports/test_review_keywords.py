"""After a review edit through the web forms, the edited themes' keywords follow a fresh
fit's rules (kwedit, issue 12, smoke11 #7): found from every stored answer, contrasted with
the other visible themes as they stand after the edit (:mod:`analysis.edit_keywords`), at
most ten, none owned by another theme; a theme no word sets apart reads "No distinctive
words" on the report page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from analysis.edit_keywords import contrast, keywords_after_edit
from consult.extensions import db
from consult.reports.edit_keywords import contrasted_keywords
from consult.reports.models import RunAssignment, RunTheme
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation, question = make_question()
    # 24 answers a topic: two merged topics (half the answers) still have words that set
    # them apart by the fit's test (lift 1.5 and z 3 against all answers)
    add_answers(consultation, question, 96)
    return stored_run(consultation, question, n_themes=4)


def stored(run) -> tuple[list[str], list[int], list[RunTheme]]:
    """Every stored answer's text and its visible theme's index now, and those themes."""
    db.session.expire_all()
    visible = list(
        db.session.scalars(
            select(RunTheme)
            .where(RunTheme.run_id == run.id, RunTheme.hidden.is_(False))
            .order_by(RunTheme.position)
        )
    )
    index = {t.id: i for i, t in enumerate(visible)}
    rows = db.session.execute(
        select(RunAssignment.text, RunAssignment.theme_id)
        .where(RunAssignment.run_id == run.id)
        .order_by(RunAssignment.id)
    ).all()
    return [r[0] or "" for r in rows], [index.get(r[1], -1) for r in rows], visible


def keyword_rows(client, run) -> list[str]:
    page = client.get(f"/staff/reports/runs/{run.id}")
    rows = [
        re.sub(r"\s+", " ", row.get_text(" ")).strip()
        for row in soup(page).select(".govuk-summary-list__row")
    ]
    return [r for r in rows if r.startswith("Keywords")]


def test_a_merge_and_a_move_give_keywords_contrasted_with_the_themes_after_them(app, run):
    client = signed_in(app, "analyst")
    first, second, third, fourth = [t.key for t in run.visible_themes[:4]]
    done = post(
        client,
        f"/staff/reports/runs/{run.id}/merge",
        {"themes": [first, second], "label": "Two topics"},
    )
    assert done.status_code == 302, done.get_data(as_text=True)

    texts, owners, visible = stored(run)
    merged = next(t for t in visible if t.key == first)
    at = visible.index(merged)
    # what a fresh fit's rules give the merged theme against the themes left after the merge
    labels = [t.label for t in visible]
    assert merged.keywords == keywords_after_edit(texts, owners, [at], labels=labels)[at]
    assert 0 < len(merged.keywords) <= 10
    read = contrast(texts, owners, len(visible))
    for keyword in merged.keywords:
        columns = [read.index_of[t] for t in read.tokenizer.transform([keyword.lower()])[0]]
        owned = [i for i in range(len(visible)) if read.distinctive[i, columns].any()]
        assert at in owned, (keyword, owned)  # its own, not only a neighbour's
    assert any(", ".join(merged.keywords) in row for row in keyword_rows(client, run))

    # every answer of the third theme moved into the fourth: its words become the fourth's
    # too, and the emptied theme shows "No distinctive words"
    url = f"/staff/reports/runs/{run.id}/themes/{third}/move"
    boxes = [box["value"] for box in soup(client.get(url)).find_all("input", type="checkbox")]
    moved_words = set(
        " ".join(
            db.session.scalars(select(RunAssignment.text).where(RunAssignment.reference.in_(boxes)))
        ).split()
    )
    before = next(t for t in visible if t.key == fourth).keywords
    done = post(client, url, {"responses": boxes, "target": fourth})
    assert done.status_code == 302, done.get_data(as_text=True)
    texts, owners, visible = stored(run)
    taker = next(t for t in visible if t.key == fourth)
    emptied = next(t for t in visible if t.key == third)
    assert emptied.size == 0 and emptied.keywords == []
    at = visible.index(taker)
    labels = [t.label for t in visible]
    assert taker.keywords == keywords_after_edit(texts, owners, [at], labels=labels)[at]
    assert not moved_words & set(" ".join(before).lower().split()), before
    assert moved_words & set(" ".join(taker.keywords).lower().split()), taker.keywords
    assert "Keywords No distinctive words" in keyword_rows(client, run)


def test_a_phrase_of_another_themes_label_is_left_out_of_an_edited_themes_keywords(app, run):
    """tidy29 #4: the keywords an edit finds again follow the fit's keyword-owner rule
    (analysis.keyword_owners): a phrase that stands in another visible theme's label, and
    that the edited theme's answers say as that label, is that theme's."""
    texts, owners, visible = stored(run)
    edited, other = visible[0], visible[1]
    unowned = keywords_after_edit(texts, owners, [0])[0]
    phrase = next(k for k in unowned if len(k.split()) >= 2)
    assert len(unowned) > 3  # room to leave one out (never down to analysis.mixed's 2)
    assert contrasted_keywords(run, visible, [edited.key])[edited.key] == unowned
    other.label = phrase[:1].upper() + phrase[1:]  # the other theme's point is the phrase
    db.session.commit()
    found = contrasted_keywords(run, visible, [edited.key])[edited.key]
    assert found == [k for k in unowned if k != phrase]
