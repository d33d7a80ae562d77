"""Every validation error path: summary links, inline messages, Error: title, kept answers."""

from __future__ import annotations

import pytest

from consult.survey.forms import PageForm
from tests.helpers import (
    ORGANISATION_ANSWERS,
    error_summary,
    field,
    make_consultation,
    post_form,
    redrawn,
    section_one,
    soup,
)
from tests.test_journey import BASE, start_open


@pytest.fixture
def consultation(app, client):
    consultation = make_consultation()
    start_open(client)
    return consultation


def assert_error_page(page, expected: dict[str, str]):
    """The page is drawn again with each message in the summary, linked, and inline."""
    assert page.status_code == 200
    html = soup(page)
    assert html.title.get_text().startswith("Error: ")
    summary = dict(error_summary(page))
    for field_id, message in expected.items():
        assert summary.get(f"#{field_id}") == message, summary
        assert html.find(id=field_id) is not None, f"summary links to missing #{field_id}"
        inline = html.find(class_="govuk-error-message", id=f"{field_id}-error")
        assert inline is not None and message in inline.get_text(), field_id


def test_organisation_required_fields(client, consultation):
    typed = {"organisation_name": "  ", "answering_as": "organisation"}
    page = redrawn(client, post_form(client, f"{BASE}/organisation", typed))
    assert_error_page(
        page,
        {
            "organisation_name": "Enter the name of your organisation",
            "partner_type": "Select which best describes your organisation",
            "area": "Select where your organisation is based",
        },
    )


def test_an_empty_page_asks_first_whom_the_answers_are_for(client, consultation):
    """Nothing chosen: the page asks whom the answers are for, not for the name and type
    revealed (hidden) under "For an organisation"."""
    page = redrawn(client, post_form(client, f"{BASE}/organisation", {"organisation_name": "  "}))
    expected = {
        "answering_as": "Select whether you are answering for an organisation or as an individual",
        "area": "Select where your organisation is based",
    }
    assert_error_page(page, expected)
    assert [href for href, _ in error_summary(page)] == ["#answering_as", "#area"]


def test_business_needs_a_size(client, consultation):
    page = redrawn(
        client,
        post_form(
            client, f"{BASE}/organisation", {**ORGANISATION_ANSWERS, "partner_type": "business"}
        ),
    )
    assert_error_page(page, {"size_band": "Select the size of your business"})
    assert soup(page).find(id="organisation_name")["value"] == "Tipton Community Trust"


def test_bad_email(client, consultation):
    typed = {**ORGANISATION_ANSWERS, "respondent_email": "not-an-email"}
    page = redrawn(client, post_form(client, f"{BASE}/organisation", typed))
    assert_error_page(
        page,
        {"respondent_email": "Enter an email address in the correct format, like name@example.com"},
    )
    assert soup(page).find(id="respondent_email")["value"] == "not-an-email"


def test_required_choice_and_too_long_text_keep_typed_answers(client, consultation):
    why, agree = field(consultation, "Why"), field(consultation, "Buses should")
    long_answer = "x" * 201
    page = redrawn(client, post_form(client, f"{BASE}/section/1", {why: long_answer}))
    assert_error_page(
        page,
        {
            agree: "Select how much you agree or disagree with ‘Buses should be franchised’",
            why: "Your answer to ‘Why do you say that?’ must be 200 characters or fewer",
        },
    )
    assert soup(page).find(id=why).get_text() == long_answer
    # A draft keeps even invalid text: nothing typed is lost.
    refreshed = client.get(f"{BASE}/section/1")
    assert soup(refreshed).find(id=why).get_text() == long_answer


def test_character_count_is_shown(client, consultation):
    html = soup(client.get(f"{BASE}/section/1"))
    count = html.find(class_="govuk-character-count")
    assert count is not None and count["data-maxlength"] == "200"
    assert "200 characters" in count.get_text()


def test_limits_are_written_with_thousands_separators(app):
    from consult.models import Question
    from consult.survey.fields import question_params
    from consult.survey.forms import build_question_field, question_messages

    question = Question(id=7, kind="long_text", text="Why?", required=False, max_length=5000)

    class Form(PageForm):
        pass

    Form.q7 = build_question_field(question)
    with app.test_request_context():
        form = Form(meta={"csrf": False})
        kind, params = question_params(question, form.q7)
        html = app.jinja_env.from_string(
            '{% from "govuk_frontend_jinja/components/character-count/macro.html" '
            "import govukCharacterCount %}{{ govukCharacterCount(params) }}"
        ).render(params=params)
    assert kind == "character_count"
    assert "You can enter up to 5,000 characters." in html and "5000 characters" not in html
    assert (
        question_messages(question)[1] == "Your answer to ‘Why?’ must be 5,000 characters or fewer"
    )


def test_unknown_choice_is_rejected(client, consultation):
    agree = field(consultation, "Buses should")
    posted = post_form(client, f"{BASE}/section/1", section_one(consultation, **{agree: "maybe"}))
    page = redrawn(client, posted)
    assert page.status_code == 200
    assert any(href == f"#{agree}" for href, _ in error_summary(page))


def test_crlf_counts_as_one_character(client, consultation):
    why = field(consultation, "Why")
    text = "line\r\n" * 40  # 240 characters as sent, 200 once line endings are normalised
    page = post_form(client, f"{BASE}/section/1", section_one(consultation, **{why: text}))
    assert page.status_code == 302


def test_check_answers_blocks_submit_until_required_answers_given(client, consultation):
    post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    check = client.get(f"{BASE}/check")
    page = redrawn(client, post_form(client, f"{BASE}/check", {}, action=None, page=check))
    assert page.status_code == 200
    assert soup(page).title.get_text().startswith("Error: ")
    hrefs = [href for href, _ in error_summary(page)]
    assert f"{BASE}/section/1?return=check#{field(consultation, 'Buses should')}" in hrefs
    assert f"{BASE}/section/2?return=check#{field(consultation, 'Top priority')}" in hrefs


def test_oversized_request_gets_a_plain_page(client, consultation, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    page = post_form(client, f"{BASE}/section/1", {"q1": "x" * 5000})
    assert page.status_code == 413
    assert "too large" in page.get_data(as_text=True)
    # The answers are only in the browser now: the page says how to get back to them.
    assert "Use your browser&#39;s Back button to return to your answers" in page.get_data(
        as_text=True
    )
    # A staff page's (an upload, say) says it in its own words.
    staff = client.post("/staff/sign-in", data={"email": "a" * 2000})
    assert staff.status_code == 413
    assert "a smaller file" in staff.get_data(as_text=True)
    assert "your answers" not in staff.get_data(as_text=True)


def test_messages_quote_the_whole_question_or_none_of_it():
    from consult.models import Question
    from consult.survey.forms import QUOTE_LIMIT, question_messages

    statement = (
        "The single funding settlement gives the region enough control over how money is spent"
    )
    missing, _ = question_messages(Question(kind="agreement", text=statement, required=True))
    assert missing == f"Select how much you agree or disagree with ‘{statement}’"
    assert "…" not in missing
    long = "How far " + "and how well " * (QUOTE_LIMIT // 12) + "does it work?"
    assert len(long) > QUOTE_LIMIT
    for kind, expected in [
        ("agreement", "Select how much you agree or disagree"),
        ("single_choice", "Select an answer"),
        ("multiple_choice", "Select at least one answer"),
        ("long_text", "Enter your answer"),
    ]:
        missing, _ = question_messages(Question(kind=kind, text=long, required=True))
        assert missing == expected
    _, too_long = question_messages(Question(kind="long_text", text=long, max_length=5000))
    assert too_long == "Your answer must be 5,000 characters or fewer"


def test_optional_questions_say_so_and_required_ones_do_not(client, consultation):
    html = soup(client.get(f"{BASE}/section/1"))
    legends = [" ".join(x.get_text().split()) for x in html.select("legend")]
    labels = [" ".join(x.get_text().split()) for x in html.select("label.govuk-label--s")]
    assert "Buses should be franchised" in legends
    assert "Which modes do you use? (optional)" in legends
    assert labels == ["Why do you say that? (optional)"]


def test_a_limited_short_answer_has_a_live_character_count(client, consultation):
    """collect29 #6: a short answer with a limit is drawn as GOV.UK's character count on an
    input: the message under the box (the description GOV.UK Frontend's script turns into a
    live count), the count's module and limit on its form group; a too-long answer is still
    refused by the server, and kept as typed."""
    start_open(client)
    post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    idea = field(consultation, "One idea")
    page = soup(client.get(f"{BASE}/section/2"))
    box = page.find("input", id=idea)
    group = box.find_parent("div", class_="govuk-form-group")
    assert "govuk-character-count" in group["class"]
    assert group["data-module"] == "govuk-character-count" and group["data-maxlength"] == "50"
    assert "govuk-js-character-count" in box["class"]
    message = page.find(id=f"{idea}-info")
    assert message.get_text() == "You can enter up to 50 characters."
    assert box["aria-describedby"].split()[0] == f"{idea}-info"
    assert box.find_next_sibling() is message  # directly under the box, as under a textarea
    top = field(consultation, "Top priority")
    refused = redrawn(client, post_form(client, f"{BASE}/section/2", {top: "cost", idea: "x" * 51}))
    assert refused.status_code == 200
    again = soup(refused)
    assert again.find("input", id=idea)["value"] == "x" * 51
    assert again.find(id=f"{idea}-info") is not None
    assert "must be 50 characters or fewer" in again.get_text()
