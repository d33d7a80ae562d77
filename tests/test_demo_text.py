"""The demo's synthetic answers read as partners would write them."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.demo import load_demo
from consult.extensions import db
from consult.models import Answer


def test_demo_answers_never_say_a_phrase_twice_or_capitalise_mid_sentence(app):
    load_demo(responses=120)
    answers = db.session.scalars(select(Answer.value)).all()
    texts = [a for a in answers if len(a.split()) > 4]
    assert texts
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            assert sentence.count("for young people") <= 1, sentence
        assert not re.search(r"\b(?:that|believe|view,|simply,|Overall,) Bus\b", text), text
        assert not re.search(r"\b(?:that|believe) Businesses\b", text), text
