"""smoke34b: the staff pages around one response, read as a new policy officer reads them.

1. The staff response page showed its questions bare (three "Why do you say that?" on the
   demo) while reports and exports call them Q2, Q6 and Q10: now "Q2: Why do you say that?
   (about Q1)", the row above.
2. A response's themes page said "Not answered" and then "This question has not been
   analysed yet." for a blank answer to a question never analysed (and "No theme in run 4."
   for one analysed): two things where one is clear.
3. A run made after another keeps its theme numbers (run 7: T09, T02, T10, T11, T03, ...);
   the overview said only that numbers "come from an earlier run", and the run page's
   note was below the points raised across themes, away from the table it explains.
"""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.reports import pages
from consult.survey import review
from tests.helpers import make_consultation, soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.reports.stored_runs import store_synthetic_run
from tests.reports.test_smoke17_pages import copy_run, why_question
from tests.staff_helpers import post, signed_in
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(element) -> str:
    """An element's text as read, spaces collapsed."""
    return " ".join(element.get_text(" ").split())


def _keys(page) -> list[str]:
    return [words(dt) for dt in page.select(".govuk-summary-list__key")]


def test_the_response_page_numbers_its_questions_as_exports_do(app):
    consultation = make_consultation()
    response = add_response(consultation, "WM-1", "Buses late", ["bus"])
    page = soup(signed_in(app, "analyst").get(f"/staff/responses/{response.id}"))
    keys = _keys(page)
    assert "Q1: Buses should be franchised" in keys
    assert "Q2: Why do you say that? (about Q1)" in keys
    assert "Q3: Which modes do you use?" in keys
    assert "Q4: Top priority" in keys and "Q5: One idea" in keys
    assert "Why do you say that?" not in keys  # no bare repeat left
    # the organisation's rows are not questions: not numbered
    assert not any(
        key.startswith("Q") for key in keys[: keys.index("Q1: Buses should be franchised")]
    )


def test_a_partners_check_answers_rows_keep_their_own_words(app):
    """The rows the staff page numbers are the partner's check answers rows too: theirs
    stay as they were asked."""
    consultation = make_consultation()
    response = add_response(consultation, "WM-1", "Buses late", ["bus"])
    keys = [row.key for _, rows in review.check_sections(consultation, response) for row in rows]
    assert keys[:2] == ["Buses should be franchised", "Why do you say that?"]
    staff = [row.key for _, rows in review.staff_sections(response) for row in rows]
    assert staff[1] == "Q2: Why do you say that? (about Q1)"


def test_a_blank_answer_to_a_question_never_analysed_says_one_thing(app):
    consultation = make_consultation()
    response = add_response(consultation, "WM-1", "Buses late", ["bus"])  # "One idea" blank
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/responses/{response.id}"))
    rows = {
        words(row.find("dt")): words(row.find("dd"))
        for row in page.select(".govuk-summary-list__row")
    }
    assert rows["Q5: One idea"] == "Not answered"
    # an answer to a question never analysed still says so
    said = rows["Q2: Why do you say that? (about Q1)"]
    assert said == "Buses late This question has not been analysed yet."


def test_a_blank_answer_to_an_analysed_question_says_one_thing_too(app):
    """The same on a question analysed: "Not answered" then "No theme in run 1." (a draft
    on the demo, Q3); a blank answer is in no run, and "Not answered" says so."""
    consultation, question = make_question("blank-test")
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    blank = add_response(consultation, "WM-BLANK", "", ["bus"])
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/responses/{blank.id}"))
    rows = {
        words(row.find("dt")): words(row.find("dd"))
        for row in page.select(".govuk-summary-list__row")
    }
    assert rows["Q2: Why do you say that? (about Q1)"] == "Not answered", run.id


@pytest.fixture
def carried(app):
    consultation = make_consultation()
    first = store_synthetic_run(consultation, why_question(consultation), responses=80)
    second = copy_run(first, settings={"seed": 1})
    # the second run's most mentioned theme keeps a higher number than the next one
    shown = next(i for i in pages.overview(consultation) if i.run and i.run.id == second.id)
    top, next_one = shown.themes[:2]
    low, high = sorted([top.key, next_one.key])
    top.key, next_one.key = "T98", "T99"
    db.session.flush()
    top.key, next_one.key = high, low
    db.session.commit()
    return consultation, first, second


def test_the_overview_says_where_carried_numbers_come_from_and_why(app, carried):
    consultation, first, second = carried
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/consultations/{consultation.id}"))
    note = words(page.find(id=f"order-note-{second.question_id}"))
    assert note.startswith("The themes are in order of how many answers mention them. ")
    assert f"Their numbers carry over from run {first.id}" in note
    assert "so a reviewer can follow it from run to run" in note
    assert "or come from an earlier run" not in note


def test_the_run_page_explains_its_numbers_under_the_table(app, carried):
    _, first, second = carried
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{second.id}"))
    note = page.find(id="bases").find_next_sibling()
    assert note.get("id") == "theme-numbers"
    assert words(note).startswith(f"Theme numbers follow run {first.id} where a theme is the same")
    assert "so that a reviewer can follow a theme from run to run" in words(note)
    # the table's caption, read before T09, T02, T10 ..., says where they come from
    table = page.find(id="themes").find_next("table")
    assert " ".join(table.caption.get_text().split()) == (
        f"Themes, largest first; their numbers continue from run {first.id}'s (the note under "
        "the table says why)"
    )
    # no link in the caption: axe's aria-required-children fails a focusable element there
    # in the stacked table (role="table"); the note is the table's description instead
    assert table.caption.find("a") is None
    assert table["aria-describedby"] == "bases theme-numbers"


def test_a_first_runs_caption_says_nothing_of_numbers(app, carried):
    _, first, _ = carried
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{first.id}"))
    table = page.find(id="themes").find_next("table")
    assert "continue from" not in words(table.caption) and page.find(id="theme-numbers") is None
    assert table["aria-describedby"] == "bases"


def test_anonymising_says_it_keeps_a_size_only_when_there_is_one(app):
    """The confirmation for a university's response said it keeps "its partner type, size
    and area": only a business is asked its size."""
    consultation = make_consultation()
    university = add_response(consultation, "WM-UNI", "Fine", ["bus"], partner="university")
    business = add_response(consultation, "WM-BIZ", "Fine", ["bus"])
    business.size_band = "large"
    db.session.commit()
    client = signed_in(app, "admin")
    said = {}
    for response in (university, business):
        detail = f"/staff/responses/{response.id}"
        page = post(
            client, f"{detail}/remove", {"mode": "anonymise", "reason": "Asked"}, page_url=detail
        )
        said[response.reference] = words(soup(page).find(id="kept"))
    assert said["WM-UNI"].endswith("its partner type and area, for the counts"), said
    assert said["WM-BIZ"].endswith("its partner type, size and area, for the counts"), said
