"""Rough edges of the coding pages a new analyst trips over (left26 #5)."""

from __future__ import annotations

import pytest

from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.reports.test_coding_code18 import FIRST, make_codebook
from tests.staff_helpers import signed_in


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


def test_the_digit_keys_are_said_to_follow_the_listed_order_not_the_theme_numbers(app, run):
    """A run's themes become the codebook in the report's order, which need not be their
    numbers' (the demo's Q3 listed T02 to T09, then T01): "1" ticks the first listed."""
    client = signed_in(app, "analyst", FIRST)
    make_codebook(client, run)
    response_id = answers_of(run.question)["ids"][0]
    page = soup(client.get(f"/staff/reports/questions/{run.question_id}/coding/{response_id}"))
    said = " ".join(page.find(id="coding-shortcuts-digits").get_text(" ").split())
    assert "in the order they are listed here, not by their numbers" in said
    assert "1 is the first listed, whatever its number" in said
