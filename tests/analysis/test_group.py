"""Describing one given group of answers (:func:`analysis.group.describe_group`, what a
reviewer's merge uses) gives the label, keywords and summary that fitting
``ThemeModel(n_themes=1)`` on the same answers gives, without the fit's other stages."""

from __future__ import annotations

import os

import pytest

from analysis import InputError, ThemeModel
from analysis.group import describe_group


@pytest.fixture(scope="module")
def demo():
    """The demo consultation's free-text questions as the workspace's analysis job reads
    them: (wording, texts, references, paired agreement answers or None) each."""
    from bench.demo_report import demo_questions

    before = os.environ.get("CONSULT_INSTANCE_PATH")
    try:
        with demo_questions() as questions:
            yield [(w, a.texts, a.references, a.agreement) for w, a in questions]
    finally:
        if before is None:
            os.environ.pop("CONSULT_INSTANCE_PATH", None)
        else:
            os.environ["CONSULT_INSTANCE_PATH"] = before


@pytest.mark.parametrize("question", [0, 3])  # 224 answers with agreement; 184 without
def test_a_group_is_described_as_a_one_theme_fit_describes_it(demo, engine, question):
    wording, texts, ids, agreement = demo[question]
    model = ThemeModel(n_themes=1, engine=engine, seed=0)
    theme = model.fit(texts, ids=ids, agreement=agreement, question=wording).themes_[0]
    described = describe_group(texts, ids, agreement, wording, engine=engine, seed=0)
    assert described.keywords == theme["keywords"]
    assert described.summary == theme["summary"]
    assert described.label == theme["label"]
    measured = agreement is not None
    assert described.summary and all(("stance" in p) == measured for p in described.summary)


def test_a_part_of_the_answers_is_described_from_its_own(demo):
    wording, texts, ids, _ = demo[3]
    described = describe_group(texts[:60], ids[:60], question=wording, engine="fast")
    assert described.keywords and described.summary
    assert all("stance" not in point for point in described.summary)
    assert {i for point in described.summary for i in point["ids"]} <= set(ids[:60])


@pytest.mark.parametrize(
    "texts, message",
    [([], "no rows"), (["", "n/a", "no comment"], "no usable rows")],
)
def test_nothing_to_describe_says_why(texts, message):
    with pytest.raises(InputError, match=message):
        describe_group(texts, engine="fast")
