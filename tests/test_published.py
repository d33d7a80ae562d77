"""Each web process keeps published consultations in memory (consult/published.py) and
draws form components once per distinct parameters (consult/fragments.py): partners must
still see every change at once, and exactly the HTML the macros draw."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from consult.extensions import db
from consult.models import Consultation, Option, Question, Section
from consult.published import published_consultation
from tests.helpers import hidden_fields, make_consultation

BASE = "/c/transport-test"

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def start(client):
    page = client.get(BASE)
    assert client.post(BASE, data=hidden_fields(page)).status_code == 302


def in_another_process(change) -> None:
    """Make a change through a session of its own, as a staff page in another web
    process or a command would."""
    with Session(db.engine) as other:
        change(other)
        other.commit()


def key_of(slug: str) -> str:
    return db.session.scalar(select(Consultation.definition_key).where(Consultation.slug == slug))


def test_a_new_consultation_gets_a_key_and_every_change_renews_it(app):
    consultation = make_consultation()
    keys = [key_of("transport-test")]
    assert len(keys[0]) == 32

    def retitle(other):
        other.scalar(select(Section).where(Section.consultation_id == consultation.id)).title = "X"

    def add_option(other):
        question = other.scalar(select(Question).where(Question.kind == "multiple_choice"))
        question.options.append(Option(position=9, value="cycle", label="Cycle"))

    def drop_option(other):
        other.delete(other.scalar(select(Option).where(Option.value == "cycle")))

    def close(other):
        other.get(Consultation, consultation.id).status = "closed"

    for change in (retitle, add_option, drop_option, close):
        in_another_process(change)
        keys.append(key_of("transport-test"))
    assert len(set(keys)) == len(keys), "a change kept the old key"


def test_partners_see_a_changed_question_on_their_next_page(app, client):
    make_consultation()
    start(client)
    assert "Buses should be franchised" in client.get(f"{BASE}/section/1").get_data(as_text=True)

    def reword(other):
        other.scalar(
            select(Question).where(Question.text.startswith("Buses"))
        ).text = "Buses should be run by the combined authority"

    in_another_process(reword)
    page = client.get(f"{BASE}/section/1").get_data(as_text=True)
    assert "Buses should be run by the combined authority" in page
    assert "Buses should be franchised" not in page


def test_partners_see_a_new_section_and_a_closed_consultation_at_once(app, client):
    consultation = make_consultation()
    start(client)
    assert client.get(f"{BASE}/section/3").status_code == 404

    def add_section(other):
        section = Section(consultation_id=consultation.id, position=3, title="Trams", intro="")
        section.questions = [Question(position=1, kind="short_text", text="Tram idea")]
        other.add(section)

    in_another_process(add_section)
    page = client.get(f"{BASE}/section/3")
    assert page.status_code == 200
    assert "Tram idea" in page.get_data(as_text=True)

    in_another_process(
        lambda other: setattr(other.get(Consultation, consultation.id), "status", "closed")
    )
    assert client.get(f"{BASE}/section/1").status_code == 410


def test_the_kept_copy_is_shared_read_only_and_belongs_to_no_session(app, client):
    make_consultation()
    first = published_consultation("transport-test")
    assert published_consultation("transport-test") is first
    assert first not in db.session
    assert inspect(first).detached and all(inspect(s).detached for s in first.sections)
    # Everything a page reads is there without a database session.
    assert [len(s.questions) for s in first.sections] == [3, 2]
    assert [o.value for o in first.sections[0].questions[2].options] == ["bus", "tram", "rail"]
    assert published_consultation("no-such-consultation") is None


def test_a_warm_section_page_reads_only_the_key_the_draft_and_its_answers(app, client):
    make_consultation()
    start(client)
    page = client.get(f"{BASE}/section/1")  # the first save stores the draft
    client.post(f"{BASE}/section/1", data={**hidden_fields(page), "action": "save"})
    client.get(f"{BASE}/section/1")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(f"{BASE}/section/1").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # The page reads the definition key, the draft and its answers; the browser's session
    # row is read by the session interface before the page (and only once).
    page_reads = [s for s in statements if "FROM browser_session" not in s]
    assert len(page_reads) <= 3, statements
    assert len(statements) - len(page_reads) <= 1, statements
    assert not any("FROM question" in s or "FROM option" in s for s in statements)


# --- form components drawn once -----------------------------------------------------------

RADIOS = {
    "name": "q1",
    "idPrefix": "q1",
    "fieldset": {"legend": {"text": "Pick <one>", "classes": "govuk-fieldset__legend--s"}},
    "hint": None,
    "errorMessage": {"text": "Select an answer"},
    "items": [
        {"value": "a", "text": "A & B", "checked": True},
        {"value": "b", "text": "C", "checked": False},
    ],
}


def drawn_by_macro(app, macro: str, folder: str, params) -> str:
    template = app.jinja_env.from_string(
        f'{{% from "govuk_frontend_jinja/components/{folder}/macro.html" import {macro} %}}'
        f"{{{{ {macro}(params) }}}}"
    )
    return template.render(params=params)


@pytest.mark.parametrize(
    ("name", "macro", "folder", "params"),
    [
        ("radios", "govukRadios", "radios", RADIOS),
        ("checkboxes", "govukCheckboxes", "checkboxes", {**RADIOS, "errorMessage": None}),
        (
            "input",
            "govukInput",
            "input",
            {"name": "n", "id": "n", "value": '<x> "y"', "label": {"text": "Name"}},
        ),
        (
            "character_count",
            "govukCharacterCount",
            "character-count",
            {
                "name": "t",
                "id": "t",
                "value": "line\nline",
                "maxlength": 50,
                "rows": 6,
                "label": {"text": "Why?"},
            },
        ),
        ("button", "govukButton", "button", {"text": "Continue", "preventDoubleClick": True}),
    ],
)
def test_components_are_exactly_what_the_macros_draw_and_kept(app, name, macro, folder, params):
    components = app.extensions["consult.components"]
    first = components.draw(name, params)
    assert str(first) == drawn_by_macro(app, macro, folder, params)
    assert components.draw(name, params) is first  # kept, not drawn again
    assert "<x>" not in first and "A & B" not in first  # still escaped


def test_parameters_that_differ_only_in_type_or_hold_markup_are_not_confused(app):
    components = app.extensions["consult.components"]
    as_text = {"name": "n", "id": "n", "value": "<b>1</b>", "label": {"text": "L"}}
    as_markup = {**as_text, "label": {"html": Markup("<b>L</b>")}}
    escaped = components.draw("input", as_text)
    raw = components.draw("input", as_markup)
    assert "&lt;b&gt;1&lt;/b&gt;" in escaped and "<b>L</b>" in raw
    assert components.draw("input", as_markup) is not raw  # Markup is never kept
    number = components.draw("input", {**as_text, "value": 1})
    text = components.draw("input", {**as_text, "value": "1"})
    assert number == text and number is not text  # 1 and "1" are kept apart


def test_a_section_page_drawn_from_kept_components_is_unchanged(app, client):
    make_consultation()
    start(client)
    components = app.extensions["consult.components"]
    components._kept.clear()
    first = client.get(f"{BASE}/section/1").get_data(as_text=True)  # every component drawn
    assert len(components._kept) >= 5  # three questions and two buttons
    again = client.get(f"{BASE}/section/1").get_data(as_text=True)  # every one kept
    assert without_tokens(first) == without_tokens(again)


def without_tokens(page: str) -> str:
    """The page without its per-request CSRF token, script nonce and the random mark of this
    draw of the page (``shown``, fixr17a: the page-leave save's own answers belong to it)."""
    page = re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", page)
    page = re.sub(r'name="shown" value="[^"]*"', "", page)
    return re.sub(r"nonce[-=]\"?[A-Za-z0-9_-]+", "nonce", page)
