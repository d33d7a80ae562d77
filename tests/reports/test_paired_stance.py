"""The side a "why" text's paired answer gives the coder (consult.reports.coding.paired_stance):
an agreement scale's codes and a Yes/No choice give one; a choice numbered 1 to 5 does not
(its 1 can be "strongly disagree"; review19), while one coded 1/-1 does."""

from __future__ import annotations

from consult.models import Option, Question
from consult.reports.coding import paired_stance


def choice(*values: str) -> Question:
    return Question(
        kind="single_choice",
        text="How far do you agree?",
        options=[Option(position=i, value=v, label=v) for i, v in enumerate(values)],
    )


def test_an_agreement_scale_gives_its_side():
    scale = Question(kind="agreement", text="Do you agree?")
    assert paired_stance(scale, "strongly_disagree") == "against"
    assert paired_stance(scale, "agree") == "for"
    assert paired_stance(scale, "") is None


def test_a_numbered_scale_gives_no_side():
    rating = choice("1", "2", "3", "4", "5")
    assert [paired_stance(rating, v) for v in ("1", "3", "5")] == [None, None, None]


def test_coded_sides_and_words_still_give_one():
    assert paired_stance(choice("1", "-1"), "1") == "for"
    assert paired_stance(choice("1", "-1"), "-1") == "against"
    assert paired_stance(choice("yes", "no"), "no") == "against"
