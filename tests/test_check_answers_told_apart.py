"""Check your answers after the smoke12 walk: a required question left empty says so before
"Accept and send", and an error about a question whose wording repeats ("Why do you say
that?") says which one, as the page's Change links do."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.models import Question, Section
from consult.survey.review import REQUIRED_NOT_ANSWERED
from tests.helpers import (
    ORGANISATION_ANSWERS,
    error_summary,
    field,
    hidden_fields,
    make_consultation,
    post_form,
    redrawn,
    section_one,
    soup,
)

BASE = "/c/transport-test"

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def with_a_second_why():
    """The test consultation with a third section: another statement and its "Why do you say
    that?", so the wording repeats."""
    consultation = make_consultation()
    third = Section(position=3, title="Trams", intro="")
    agree = Question(position=1, kind="agreement", text="Trams should be extended", required=True)
    why = Question(
        position=2, kind="long_text", text="Why do you say that?", explains=agree, max_length=200
    )
    third.questions = [agree, why]
    consultation.sections.append(third)
    db.session.commit()
    return consultation


def start(client):
    page = client.get(BASE)
    assert client.post(BASE, data=hidden_fields(page)).status_code == 302
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302


def test_a_required_question_left_empty_says_so_on_check_answers(client, app):
    consultation = with_a_second_why()
    start(client)
    post_form(client, f"{BASE}/section/1", section_one(consultation), action="save")
    page = soup(client.get(f"{BASE}/check"))
    values = {
        row.find("dt").get_text(" ", strip=True): row.find("dd").get_text(" ", strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    # "Top priority" and "Trams should be extended" are required and empty; "One idea" is not
    assert values["Top priority"] == REQUIRED_NOT_ANSWERED
    assert values["Trams should be extended"] == REQUIRED_NOT_ANSWERED
    assert values["One idea"] == "Not answered"
    assert values["Which modes do you use?"].split() == ["Bus", "Tram"]


def test_an_error_about_a_repeated_question_says_which(client, app):
    consultation = with_a_second_why()
    start(client)
    why_ids = [q.field_name for q in consultation.questions if q.text == "Why do you say that?"]
    first = section_one(consultation)
    first[field(consultation, "Why")] = "x" * 201  # over the limit of 200, saved for later
    assert post_form(client, f"{BASE}/section/1", first, action="save").status_code == 302
    check = client.get(f"{BASE}/check")
    sent = post_form(client, f"{BASE}/check", {}, action=None, page=check)
    assert sent.headers["Location"].endswith("/check")  # not sent: there are answers to fix
    errors = {
        href.split("#")[-1]: text for href, text in error_summary(client.get(f"{BASE}/check"))
    }
    assert errors[why_ids[0]] == (
        "Your answer to ‘Why do you say that?’ (about ‘Buses should be franchised’) must be "
        "200 characters or fewer"
    )


def test_the_saved_page_says_an_answer_is_too_long_to_send(client, app):
    """smoke12: a partner saved a 5,001-character answer and was told only "Your answers have
    been saved"; the limit came up days later at "Accept and send"."""
    consultation = with_a_second_why()
    start(client)
    why = field(consultation, "Why")
    first = section_one(consultation)
    first[why] = "x" * 201
    saved = post_form(client, f"{BASE}/section/1", first, action="save")
    assert saved.headers["Location"].endswith("/saved")
    page = soup(client.get(f"{BASE}/saved"))
    warning = page.find(id="too-long")
    assert warning is not None
    link = warning.find("a")
    assert link.get_text(" ", strip=True) == (
        "Your answer to ‘Why do you say that?’ (about ‘Buses should be franchised’) must be "
        "200 characters or fewer"
    )
    assert link["href"].endswith(f"/section/1#{why}")
    # the answer is kept as typed, not cut
    first[why] = "Short enough."
    post_form(client, f"{BASE}/section/1", first, action="save")
    assert soup(client.get(f"{BASE}/saved")).find(id="too-long") is None


def test_a_choice_no_option_has_gets_plain_words(client, app):
    """smoke12: posting option labels instead of values (a scripted post) showed WTForms'
    "'Bus', 'Tram' are not valid choices for this field."."""
    consultation = make_consultation()
    start(client)
    posted = section_one(consultation)
    posted[field(consultation, "Which modes")] = ["Bus", "Tram"]
    posted[field(consultation, "Buses should")] = "Agree strongly!"
    page = redrawn(client, post_form(client, f"{BASE}/section/1", posted))
    errors = [text for _, text in error_summary(page)]
    assert errors == [
        "Select an answer from the list for ‘Buses should be franchised’",
        "Select answers from the list for ‘Which modes do you use?’",
    ]
    assert "valid choice" not in page.get_data(as_text=True)
