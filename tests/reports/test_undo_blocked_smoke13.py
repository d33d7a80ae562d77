"""smoke13 findings 1 and 2: an edit a later edit builds on shows why it cannot be undone
(and which edit to undo first) instead of a button that is only refused; a move's history
line names the theme its responses left."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports.models import ThemeEdit
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


def words(page) -> str:
    return " ".join(soup(page).get_text(" ").split())


def edits(run) -> dict[str, ThemeEdit]:
    db.session.expire_all()
    found = db.session.scalars(select(ThemeEdit).where(ThemeEdit.run_id == run.id))
    return {edit.kind: edit for edit in found}


def move_then_merge(app, run):
    """Move two responses from the first theme to the second, then merge the second with
    the third: the merge builds on the move. Returns the client, the run's URL and keys."""
    analyst = signed_in(app, "analyst")
    base = f"/staff/reports/runs/{run.id}"
    source, target, other = [t.key for t in run.visible_themes[:3]]
    move_url = f"{base}/themes/{source}/move"
    boxes = [box["value"] for box in soup(analyst.get(move_url)).find_all("input", type="checkbox")]
    assert post(analyst, move_url, {"responses": boxes[:2], "target": target}).status_code == 302
    merged = post(analyst, f"{base}/merge", {"themes": [target, other]})
    assert merged.status_code == 302
    return analyst, base, (source, target, other)


def test_move_history_line_names_the_theme_left(app, run):
    analyst, base, (source, target, _) = move_then_merge(app, run)
    text = words(analyst.get(f"{base}/history"))
    assert f"Moved 2 responses from {source} to {target}" in text
    assert f"Moved 2 responses from {source} to {target}" in words(
        analyst.get(f"{base}/history", query_string={"key": source})
    )


def test_blocked_undo_names_the_edit_to_undo_first(app, run):
    analyst, base, (_, target, other) = move_then_merge(app, run)
    move, merge = edits(run)["move"], edits(run)["merge"]
    history = analyst.get(f"{base}/history")
    # No Undo button for the move, which the merge builds on: the line says what to undo first.
    actions = {form["action"] for form in soup(history).select("form[action*='/edits/']")}
    assert f"{base}/edits/{move.id}/undo" not in actions
    assert f"{base}/edits/{merge.id}/undo" in actions
    blocked = soup(history).find(id=f"blocked-{move.id}").get_text(" ", strip=True)
    # no quotes round the description, which may hold a quoted label itself (review20)
    # (the merge's line names the merged theme since smallfix: ``into T02 “Its label”``)
    assert blocked.startswith(
        f"Undo the later edit first: Merged {target}, {other} into {target} “"
    )
    assert blocked.endswith("”")

    page = analyst.get(f"{base}/edits/{move.id}/undo")
    assert soup(page).find(id="undo-button") is None
    assert "cannot be undone yet" in soup(page).find(id="undo-blocked").get_text()
    link = soup(page).find(id="undo-blocker")
    assert link["href"] == f"{base}/edits/{merge.id}/undo"

    # Once the merge is undone, the move's page offers its button and the undo works.
    assert post(analyst, link["href"], page_url=f"{base}/history").status_code == 302
    page = analyst.get(f"{base}/edits/{move.id}/undo")
    assert (
        soup(page).find(id="undo-button") is not None and soup(page).find(id="undo-blocked") is None
    )
    done = post(analyst, f"{base}/edits/{move.id}/undo", page_url=f"{base}/history")
    assert done.status_code == 302
    assert edits(run)["move"].undone_at is not None


def test_refused_undo_links_its_error_to_the_warning_shown(app, run):
    """review20: an undo posted while a later edit builds on it (another reviewer's merge
    made after the page was opened) is refused; the page then shows the warning, not the
    button, so the error summary must link to the warning, not to a button not there."""
    analyst, base, _ = move_then_merge(app, run)
    move = edits(run)["move"]
    page_url = f"{base}/history"  # any page of the run carries the CSRF token
    refused = post(analyst, f"{base}/edits/{move.id}/undo", page_url=page_url)
    assert refused.status_code == 200
    page = soup(refused)
    summary = page.find(class_="govuk-error-summary")
    assert "Undo the later edit to the same themes first" in summary.get_text()
    target = summary.find("a")["href"]
    assert target == "#undo-blocked" and page.find(id="undo-blocked") is not None
    assert page.find(id="undo-button") is None
    assert edits(run)["move"].undone_at is None
