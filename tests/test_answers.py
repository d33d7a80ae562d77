"""consult.answers: one way to store, read and show an answer, for the survey pages, the staff
pages, exports, imports and the demo alike."""

from __future__ import annotations

import json

from consult import answers
from consult.models import Option, Question

MODES = answers.QuestionShape(
    id=3,
    field_name="q3",
    text="Which modes do you use?",
    kind="multiple_choice",
    choices=(("bus", "Bus"), ("tram", "Tram"), ("rail", "Rail")),
)


def modes_question() -> Question:
    question = Question(id=3, position=1, kind="multiple_choice", text="Which modes do you use?")
    question.options = [
        Option(position=1, value="bus", label="Bus"),
        Option(position=2, value="tram", label="Tram"),
        Option(position=3, value="rail", label="Rail"),
    ]
    return question


def test_a_question_and_its_plain_shape_read_answers_alike():
    question = modes_question()
    shape = answers.QuestionShape.of(question)
    assert shape.choices == MODES.choices and shape.kind == "multiple_choice"
    assert answers.QuestionShape.of(shape) is shape
    stored = json.dumps(["rail", "bus"])
    for asked in (question, shape):
        assert answers.cell_text(asked, stored) == "Bus; Rail"  # option order, not stored order
        assert answers.display(asked, stored) == "Bus\nRail"


def test_encode_keeps_option_order_and_drops_what_is_not_offered():
    assert answers.encode_choices(["rail", "bus", "rail", "hovercraft"], MODES) == '["bus", "rail"]'
    assert answers.encode_choices(["hovercraft"], MODES) == ""
    assert answers.encode_choices([], modes_question()) == ""
    assert answers.decode_choices('["bus", "rail"]') == ["bus", "rail"]
    assert answers.decode_choices("not json") == answers.decode_choices(None) == []
    assert answers.decode_choices('"bus"') == []


def test_cells_and_pages_read_every_kind():
    agree = answers.QuestionShape(
        1, "q1", "Agree?", "agreement", (("agree", "Agree"), ("disagree", "Disagree"))
    )
    text = answers.QuestionShape(2, "q2", "Why?", "long_text", ())
    assert answers.cell_text(agree, "agree") == "Agree" and answers.display(agree, "") == (
        "Not answered"
    )
    assert answers.cell_text(text, "Because") == "Because" and answers.cell_text(text, None) == ""
    # A value no longer offered keeps its value, after the labels of those still offered.
    assert answers.cell_text(MODES, '["ferry", "tram"]') == "Tram; ferry"
    assert answers.display(MODES, "[]") == "Not answered" and answers.cell_text(MODES, "[]") == ""


def test_an_export_cell_splits_back_into_its_choices():
    cell = answers.cell_text(MODES, '["bus", "rail"]')
    labels = dict((label, value) for value, label in MODES.choices)
    assert [labels[part] for part in answers.split_cell(cell)] == ["bus", "rail"]
    assert answers.split_cell(" Bus ;; Rail; ") == ["Bus", "Rail"]
