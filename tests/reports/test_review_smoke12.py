"""The review-page findings of the smoke12 walk: a create or move re-quotes the themes that
gave answers away, the answers a create pulls in are marked placed by a reviewer, a rename or
create refuses another theme's name, a move with no theme chosen says so, a merged-away
theme's page says where it went, unknown keys 404, and a codebook import names every id it
would orphan."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from analysis.review import requote
from consult.extensions import db
from consult.reports import coding, review
from consult.reports.documents import run_coding_csv
from consult.reports.models import RunAssignment, RunTheme
from tests.helpers import error_summary, soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user, post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

ROADS = "The sums on offer will not even repair the roads."


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


@pytest.fixture
def analyst(app):
    return signed_in(app, "analyst")


def theme(run, key) -> RunTheme:
    db.session.expire_all()
    return db.session.scalar(select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == key))


def main_theme_of(run) -> dict[str, str]:
    """Each response reference -> the key of its main theme now."""
    db.session.expire_all()
    keys = {
        t.id: t.key for t in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id))
    }
    rows = db.session.execute(
        select(RunAssignment.reference, RunAssignment.theme_id).where(
            RunAssignment.run_id == run.id
        )
    )
    return {ref: keys.get(theme_id) for ref, theme_id in rows}


def roads_theme(run, copies: int = 5) -> tuple[str, list[str]]:
    """The largest theme with ``copies`` of its answers made to say ROADS, one of them quoted
    (as the engine quotes it) with "N other answers say the same"."""
    source = max(run.visible_themes, key=lambda t: t.size)
    rows = db.session.scalars(
        select(RunAssignment)
        .where(RunAssignment.run_id == run.id, RunAssignment.theme_id == source.id)
        .order_by(RunAssignment.id)
    ).all()[:copies]
    for row in rows:
        row.text = ROADS
    refs = [row.reference for row in rows]
    source.quotes = [{"id": refs[0], "text": ROADS, "same": copies - 1}, *source.quotes[:3]]
    db.session.commit()
    return source.key, refs


def quote_footers(client, run, key) -> str:
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    return page.find(id=f"theme-{key}").get_text(" ", strip=True)


def test_requote_drops_answers_gone_and_counts_again():
    members = [("A2", ROADS), ("A3", "Honestly, " + ROADS), ("B", "Councillors should answer.")]
    quotes = [
        {"id": "A1", "text": ROADS, "same": 4},
        {"id": "B", "text": "Councillors should answer."},
    ]
    # A2 says what the gone A1 said: it takes A1's place, counted again over who is left
    assert requote(quotes, members) == [
        {"id": "A2", "text": ROADS, "same": 1},
        {"id": "B", "text": "Councillors should answer."},
    ]
    gone = [{"id": "X", "text": "Trams are noisy.", "same": 3}, quotes[1]]
    assert requote(gone, members) == [
        {"id": "B", "text": "Councillors should answer."},
        {"id": "A2", "text": ROADS, "same": 1},  # filled: the most said first
    ]
    assert requote([], members, 0) == [] and requote(quotes, []) == []


def test_a_create_requotes_the_theme_it_took_answers_from(run, analyst):
    """smoke12 finding 1 (#5): the source theme went on quoting an answer the created theme
    had taken, with "4 other answers say the same"; finding 13 (#6): the pulled-in answers
    kept moved_by_hand "no" and the old model confidence."""
    source, refs = roads_theme(run)
    made = review.create_theme(
        run, "Roads and potholes", refs[:1], make_user("analyst", "lead@example.gov.uk"), pull_in=2
    )
    now = main_theme_of(run)
    taken = [ref for ref in refs if now[ref] == made.key]
    assert len(taken) == 3 and refs[0] in taken
    quoted = theme(run, source).quotes
    assert quoted and all(now[q["id"]] == source for q in quoted)
    roads = [q for q in quoted if q["text"] == ROADS]
    assert len(roads) == 1 and roads[0]["same"] == 1  # two left: one quoted, one alike
    new = theme(run, made.key).quotes
    assert new == [{"id": refs[0], "text": ROADS, "same": 2}]  # one quote, not three
    footer = quote_footers(analyst, run, source)
    assert refs[0] not in footer and "1 other answer says the same" in footer
    assert "4 other answers say the same" not in footer
    pulled = db.session.scalars(
        select(RunAssignment).where(RunAssignment.reference.in_(taken))
    ).all()
    assert all(a.moved_by_hand and a.confidence is None for a in pulled)
    sheet = list(csv.DictReader(io.StringIO(run_coding_csv(run).decode("utf-8-sig"))))
    rows = {row["reference"]: row for row in sheet if row["reference"] in taken}
    assert {row["moved_by_hand"] for row in rows.values()} == {"yes"}
    assert {row["confidence"] for row in rows.values()} == {""}


def test_a_move_requotes_both_themes(run):
    source, refs = roads_theme(run, copies=3)
    target = next(t.key for t in run.visible_themes if t.key != source)
    review.move_responses(run, refs[:1], target, make_user("analyst", "lead@example.gov.uk"))
    now = main_theme_of(run)
    quoted = theme(run, source).quotes
    assert all(now[q["id"]] == source for q in quoted)
    assert [q.get("same") for q in quoted if q["text"] == ROADS] == [1]
    assert all(now[q["id"]] == target for q in theme(run, target).quotes)


def test_a_rename_or_create_refuses_another_themes_name(run, analyst):
    """smoke12 finding 5 (#14): two themes could be given one name."""
    first, second = run.visible_themes[:2]
    base = f"/staff/reports/runs/{run.id}"
    typed = "  " + first.label.upper().replace(" ", "  ") + " "
    message = f"{first.key} already has this name. Choose another name, or merge the themes."
    renamed = post(analyst, f"{base}/themes/{second.key}/rename", {"label": typed})
    assert renamed.status_code == 200 and error_summary(renamed) == [("#label", message)]
    assert theme(run, second.key).label == second.label
    examples = [a.reference for a in run.assignments if a.theme_id == second.id][:1]
    created = post(
        analyst, f"{base}/create", {"label": typed, "examples": examples[0], "pull_in": "0"}
    )
    assert created.status_code == 200 and error_summary(created) == [("#label", message)]
    assert len(run.visible_themes) == 4
    # its own name in another case is a rename, not a clash
    own = post(analyst, f"{base}/themes/{first.key}/rename", {"label": first.label.upper()})
    assert own.status_code == 302


def test_a_move_with_references_and_no_theme_says_choose_the_theme(run, analyst):
    """smoke12 finding 12 (#15): "This analysis has no theme ." linked to #responses."""
    source = run.visible_themes[0]
    ref = next(a.reference for a in run.assignments if a.theme_id == source.id)
    url = f"/staff/reports/runs/{run.id}/themes/{source.key}/move"
    page = post(analyst, url, {"references": ref, "target": ""})
    assert error_summary(page) == [("#target", "Choose the theme to move the responses to")]
    assert main_theme_of(run)[ref] == source.key


def test_a_merged_away_themes_page_says_where_it_went(run, analyst, app):
    """smoke12 finding 2 (#20): the page read as a live theme, with stale counts."""
    keep, gone = [t.key for t in run.visible_themes[:2]]
    review.merge_themes(run, [keep, gone], make_user("analyst", "lead@example.gov.uk"))
    base = f"/staff/reports/runs/{run.id}"
    page = analyst.get(f"{base}/themes/{gone}")
    assert page.status_code == 200
    notice = soup(page).find(id="theme-gone")
    assert notice.get_text(" ", strip=True).startswith(f"{gone} was merged into {keep} on ")
    links = [a["href"] for a in soup(page).find_all("a")]
    assert f"{base}/themes/{keep}" in links and f"{base}/history?key={gone}" in links
    assert "Main theme of" not in page.get_data(as_text=True)
    viewer = signed_in(app, "viewer", "viewer2@example.gov.uk")
    seen = viewer.get(f"{base}/themes/{gone}")
    assert seen.status_code == 200 and f"{base}/history?key={gone}" not in seen.get_data(True)
    assert analyst.get(f"{base}/history?key={gone}").status_code == 200


def test_a_split_away_themes_page_names_its_parts(run, analyst):
    key = max(run.visible_themes, key=lambda t: t.size).key
    parts = review.split_theme(run, key, 2, make_user("analyst", "lead@example.gov.uk"))
    page = analyst.get(f"/staff/reports/runs/{run.id}/themes/{key}")
    text = soup(page).find(id="theme-gone").get_text(" ", strip=True)
    assert text.startswith(f"{key} was split on ")
    assert all(part.key in text for part in parts)


def test_history_and_merge_of_a_key_never_there_are_not_found(run, analyst):
    """smoke12 finding 18 (#21): history?key=ZZ and merge?key=T99 answered 200."""
    base = f"/staff/reports/runs/{run.id}"
    key = run.visible_themes[0].key
    assert analyst.get(f"{base}/history?key=ZZ").status_code == 404
    assert analyst.get(f"{base}/merge?key=T99").status_code == 404
    assert analyst.get(f"{base}/merge?key={key}&key=T99").status_code == 404
    assert analyst.get(f"{base}/history?key={key}").status_code == 200
    assert analyst.get(f"{base}/merge?key={key}").status_code == 200


def test_a_codebook_import_names_every_id_it_would_orphan(run):
    """smoke12 finding 11 (#16): the list stopped at five, then a second error named 3 more."""
    keys = [f"T{i:02d}" for i in range(2, 10)]
    book = "id,name\n" + "".join(f"{key},Theme {key}\n" for key in keys)
    codebook = coding.import_codebook(run.question, book.encode(), "b.csv", "a@example.gov.uk")
    responses = [a.response_id for a in run.assignments][: len(keys)]
    for key, response_id in zip(keys, responses, strict=True):
        coding.save_code(codebook, response_id, "a@example.gov.uk", [key], None)
    with pytest.raises(coding.CodingError) as refused:
        coding.import_codebook(run.question, b"id,name\nA1,One\nA2,Two\n", "c.csv", "a@x.gov.uk")
    assert f"Responses are coded with {', '.join(keys)}, which" in str(refused.value)
