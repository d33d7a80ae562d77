"""The review forms through the test client: each action, its errors, history and undo,
and who may use them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent
from consult.reports.models import RunAssignment, RunTheme, ThemeEdit
from tests.helpers import error_summary, soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


@pytest.fixture
def analyst(app):
    return signed_in(app, "analyst")


def base(run) -> str:
    return f"/staff/reports/runs/{run.id}"


def theme(run, key) -> RunTheme:
    db.session.expire_all()
    return db.session.scalar(select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == key))


def flash_text(client, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    # What an edit did is news, not a warning: the green "Success" banner.
    assert soup(page).find(id="flash") is None
    banner = soup(page).find(id="flash-success")
    if banner is None:
        return ""
    assert "govuk-notification-banner--success" in banner["class"]
    assert banner.find(class_="govuk-notification-banner__title").get_text(strip=True) == "Success"
    return banner.get_text(" ", strip=True)


def test_rename_form(run, analyst):
    key = run.visible_themes[0].key
    url = f"{base(run)}/themes/{key}/rename"
    page = analyst.get(url)
    assert soup(page).find(id="label")["value"] == run.visible_themes[0].label
    bad = post(analyst, url, {"label": "  ", "description": ""})
    assert bad.status_code == 200 and error_summary(bad) == [
        ("#label", "Enter a name for the theme")
    ]
    assert soup(bad).title.get_text().startswith("Error:")
    done = post(analyst, url, {"label": "Buses", "description": "Late buses."})
    assert "saved as “Buses”" in flash_text(analyst, done)
    assert (theme(run, key).label, theme(run, key).description) == ("Buses", "Late buses.")
    unchanged = post(analyst, url, {"label": "Buses", "description": "Late buses."})
    assert error_summary(unchanged)[0][1] == "The name and description are unchanged."


def test_merge_form(run, analyst):
    keys = [t.key for t in run.visible_themes]
    url = f"{base(run)}/merge"
    page = analyst.get(url, query_string={"key": keys[1]})
    checked = [box["value"] for box in soup(page).find_all("input", checked=True)]
    assert checked == [keys[1]]
    one = post(analyst, url, {"themes": [keys[0]]})
    assert error_summary(one) == [("#themes", "Choose at least two themes to merge")]
    done = post(analyst, url, {"themes": [keys[0], keys[1]], "label": "Together"})
    assert f"into {keys[0]}" in flash_text(analyst, done)
    assert theme(run, keys[1]).hidden and theme(run, keys[0]).label == "Together"


def test_split_form(run, analyst):
    key = max(run.visible_themes, key=lambda t: t.size).key
    url = f"{base(run)}/themes/{key}/split"
    assert soup(analyst.get(url)).find(id="n")["value"] == "2"
    bad = post(analyst, url, {"n": "one"})
    assert error_summary(bad)[0][0] == "#n"
    too_many = post(analyst, url, {"n": "11"})
    assert error_summary(too_many) == [("#n", "Enter a whole number from 2 to 10")]
    done = post(analyst, url, {"n": "2"})
    assert f"Split {key} into 2 themes" in flash_text(analyst, done)
    assert theme(run, key).hidden


def test_move_form(run, analyst):
    source, target = [t.key for t in run.visible_themes[:2]]
    url = f"{base(run)}/themes/{source}/move"
    page = analyst.get(url)
    boxes = [box["value"] for box in soup(page).find_all("input", type="checkbox")]
    assert len(boxes) == theme(run, source).size
    none = post(analyst, url, {"target": target})
    assert error_summary(none) == [("#responses", "Choose at least one response to move")]
    no_target = post(analyst, url, {"responses": boxes[:1]})
    assert error_summary(no_target) == [("#target", "Choose the theme to move the responses to")]
    unknown = post(analyst, url, {"references": "R-NOPE", "target": target})
    assert "no response R-NOPE" in error_summary(unknown)[0][1]
    done = post(analyst, url, {"responses": boxes[:2], "target": target})
    assert f"Moved 2 responses from {source} to {target}" in flash_text(analyst, done)
    moved = db.session.scalars(
        select(RunAssignment).where(RunAssignment.reference.in_(boxes[:2]))
    ).all()
    assert all(a.moved_by_hand and a.theme.key == target for a in moved)


def test_create_form(run, analyst):
    key = run.visible_themes[0].key
    example = db.session.scalar(
        select(RunAssignment.reference).where(RunAssignment.theme_id == theme(run, key).id)
    )
    url = f"{base(run)}/create"
    empty = post(analyst, url, {"label": "", "examples": "", "pull_in": "10"})
    assert [href for href, _ in error_summary(empty)] == ["#label", "#examples"]
    done = post(analyst, url, {"label": "From examples", "examples": example, "pull_in": "3"})
    assert "Created" in flash_text(analyst, done)
    created = db.session.scalar(select(RunTheme).where(RunTheme.origin == "created"))
    assert created.label == "From examples" and created.size == 4


def test_create_form_example_looks_like_a_real_reference(run, analyst):
    """The hint's example reference was "R-7K2M9Q", a shape no response has: it now has the
    shape of the references the report shows (WM-XXXX-XXXX), as the run's own do."""
    import re

    page = soup(analyst.get(f"{base(run)}/create"))
    hint = page.find(id="examples-hint").get_text(" ", strip=True)
    shape = re.compile(r"WM-[A-Z0-9]{4}-[A-Z0-9]{4}")
    assert "R-7K2M9Q" not in hint and shape.search(hint)
    assert all(shape.fullmatch(a.reference) for a in run.assignments)


def test_mark_reviewed_history_and_undo(run, analyst):
    key = run.visible_themes[0].key
    url = f"{base(run)}/themes/{key}/reviewed"
    done = post(analyst, url, {"reviewed": "1"})
    assert f"Theme {key} marked reviewed" in flash_text(analyst, done)
    assert theme(run, key).reviewed_by == "analyst@example.org"
    again = post(analyst, url, {"reviewed": "1"}, page_url=url)
    assert "already marked reviewed" in error_summary(again)[0][1]

    history = analyst.get(f"{base(run)}/history", query_string={"key": key})
    rows = soup(history).find("tbody").find_all("tr")
    assert len(rows) == 1 and "Marked " + key + " reviewed" in rows[0].get_text()
    edit = db.session.scalar(select(ThemeEdit))
    undo_url = f"{base(run)}/edits/{edit.id}/undo"
    undone = post(analyst, undo_url, page_url=f"{base(run)}/history")
    assert "Undone: Marked" in flash_text(analyst, undone)
    assert theme(run, key).reviewed_at is None
    twice = post(analyst, undo_url, page_url=f"{base(run)}/history")
    assert error_summary(twice)[0][1] == "That edit has already been undone."
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"theme_reviewed", "theme_undo"} <= actions


def test_review_actions_include(app, run, analyst):
    from flask import render_template

    theme_row = run.visible_themes[0]
    with app.test_request_context():
        from flask_login import login_user

        from consult.models import User

        login_user(db.session.scalar(select(User).where(User.role == "analyst")))
        html = render_template("reports/_review_actions.html", run=run, theme=theme_row)
    for action in ("rename", "split", "move", "reviewed", "history", "merge", "create"):
        assert f"/runs/{run.id}/" in html and action in html


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_analysts_and_admins_review(app, run, role):
    client = signed_in(app, role)
    key = run.visible_themes[0].key
    for path in (f"/themes/{key}/rename", "/merge", "/history", f"/themes/{key}/split"):
        assert client.get(base(run) + path).status_code == 403
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF is tested elsewhere; here: roles
    for path in ("/merge", f"/themes/{key}/reviewed", "/edits/1/undo"):
        assert client.post(base(run) + path, data={}).status_code == 403
    admin = signed_in(app, "admin")
    assert admin.get(base(run) + "/merge").status_code == 200
    anonymous = app.test_client().get(base(run) + "/merge")
    assert "/staff/sign-in" in anonymous.headers["Location"]


def test_unknown_runs_themes_and_edits_are_404(run, analyst):
    assert analyst.get("/staff/reports/runs/999/merge").status_code == 404
    assert analyst.get(f"{base(run)}/themes/T99/rename").status_code == 404
    assert analyst.get(f"{base(run)}/edits/999/undo").status_code == 404


def test_review_pages_name_the_question_as_the_report_does(run, analyst):
    """Smoke14: the review pages' caption said only "Why do you say that? (run 8)", and the
    demo has three questions of that text; it now names the question as the report does
    ("Q2: Why do you say that? (about Q1: ...)")."""
    from consult.reports.pages import question_title

    key = run.visible_themes[0].key
    title = question_title(run.question)
    assert title.startswith("Q") and "(about Q" in title
    for url in (
        f"{base(run)}/themes/{key}/rename",
        f"{base(run)}/merge",
        f"{base(run)}/themes/{key}/split",
        f"{base(run)}/themes/{key}/move",
        f"{base(run)}/history",
    ):
        caption = soup(analyst.get(url)).find(class_="govuk-caption-l").get_text(" ", strip=True)
        assert caption == f"{run.consultation.title} · {title} · run {run.id}", url


def test_history_looks_up_the_runs_edits_came_from_once(run, analyst):
    """Review fixr17b #6: each carried-over edit looked up the run it came from (a deleted
    run is never in the session: a SELECT per edit). Now once per page, as many edits or
    few, and a deleted run is still named so."""
    from sqlalchemy import event

    key = run.visible_themes[0].key
    counts = []
    for edits in (1, 6):
        db.session.execute(ThemeEdit.__table__.delete())
        for n in range(edits):
            db.session.add(
                ThemeEdit(
                    run_id=run.id,
                    kind="reviewed",
                    theme_keys=[key],
                    payload={
                        "key": key,
                        "reviewed": True,
                        "carried_over": True,
                        "from_run": run.id if n % 2 else 999_000 + n,
                    },
                )
            )
        db.session.commit()
        statements: list[str] = []

        def count(conn, cursor, statement, *args, statements=statements):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = analyst.get(f"{base(run)}/history")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        text = soup(page).find("tbody").get_text(" ")
        assert "(carried over from run 999000, deleted)" in text
        if edits > 1:
            assert f"(carried over from run {run.id})" in text
        counts.append(sum("FROM analysis_run" in s for s in statements))
    assert counts[0] == counts[1]
