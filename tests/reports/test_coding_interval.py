"""No bootstrap interval for two coders' F1 from fewer than ten shared responses (smoke walk
7, finding 20: "F1 0.00 (95% interval 0.00 to 0.00)" from five read as certainty)."""

from __future__ import annotations

import pytest

from consult.reports import coding
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite")


def test_interval_words():
    assert coding.MIN_FOR_INTERVAL == 10
    assert coding.interval_words(9, (0.2, 0.9)) == "too few shared responses to give a range"
    assert coding.interval_words(10, (0.25, 0.6)) == "95% interval 0.25 to 0.60"
    assert coding.interval_words(12, (1.0, 1.0)).startswith("every shared response scored")


def test_the_coding_page_gives_a_range_only_from_ten(app):
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    run = stored_run(consultation, question, n_themes=4)
    codebook = coding.codebook_from_run(run, "first@example.gov.uk")
    keys = [t.key for t in codebook.themes]
    ids = answers_of(question)["ids"]
    for number, response_id in enumerate(ids[:12]):
        coding.save_code(codebook, response_id, "first@example.gov.uk", [keys[number % 4]], None)
        if number < 5:
            coding.save_code(codebook, response_id, "second@example.gov.uk", [keys[0]], None)
    analyst = signed_in(app, "analyst", "interval@example.gov.uk")
    url = f"/staff/reports/questions/{question.id}/coding"
    text = " ".join(soup(analyst.get(url)).get_text(" ").split())
    assert "both coded 5 responses: F1" in text
    assert "(too few shared responses to give a range)." in text
    assert "95% interval" not in text.split("both coded 5 responses")[1].split(".")[0]
    for number, response_id in enumerate(ids[5:12], start=5):
        coding.save_code(codebook, response_id, "second@example.gov.uk", [keys[number % 3]], None)
    text = " ".join(soup(analyst.get(url)).get_text(" ").split())
    after = text.split("both coded 12 responses: F1 ")[1]
    assert "(95% interval " in after.split(")")[0] + ")"
