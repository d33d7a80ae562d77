"""A campaign letter some senders sign ("Signed on behalf of ...") is one quote, shown without
its signature, and a sign-off is never a summary point or part of a quote."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import ThemeModel
from analysis.describe import pick_quotes, said_key
from analysis.signoff import sign_off, without_sign_off

LETTER = (
    "As members of the Black Country Chamber we ask that the Regional Business Council is given "
    "a formal role in deciding how deal funding is spent, and that small firms get help with "
    "energy costs and business rates."
)


@pytest.mark.parametrize(
    "closing",
    [
        " Signed on behalf of Birmingham Retail Association.",
        " Signed on behalf of Arden Digital Ltd",
        " Yours sincerely, Jane Smith, Chair, Walsall Business Forum.",
        " Kind regards, [name]",
        " On behalf of the Walsall Business Forum.",
        " – Jane Smith.",
    ],
)
def test_a_sign_off_closing_an_answer_is_found(closing):
    assert sign_off(LETTER + closing) == closing
    assert without_sign_off(LETTER + closing) == LETTER
    assert said_key(LETTER + closing) == said_key(LETTER)


@pytest.mark.parametrize(
    "text",
    [
        "Buses are late. On behalf of our members, we urge the council to fund buses.",
        "The bill was signed by the minister. It failed.",
        "Staff were great. Best wishes to all the staff on ward 4.",
        "Care was good - Excellent",
        "STAFF WERE GREAT - VERY HAPPY",
        "We need buses - we need trains",
        "Signed on behalf of Arden Digital Ltd.",  # nothing else: kept whole
    ],
)
def test_what_is_no_sign_off_is_kept(text):
    assert sign_off(text) == ""
    assert without_sign_off(text) == text


def test_signed_copies_of_a_letter_are_one_quote_saying_how_many_sent_it():
    texts = [
        LETTER,
        LETTER + " Signed on behalf of Birmingham Retail Association.",
        LETTER + " Signed on behalf of Arden Digital Ltd.",
        "A single settlement lets us plan housing and transport together.",
        "Councils outside the combined authority have no vote.",
    ]
    similarity = np.array([0.8, 0.95, 0.9, 0.7, 0.6])
    ids = [f"R{i}" for i in range(len(texts))]
    quoted = pick_quotes(list(range(len(texts))), similarity, np.eye(len(texts)), texts, ids, texts)
    letters = [q for q in quoted if q.text.startswith("As members")]
    assert len(letters) == 1
    assert letters[0].id == "R1"  # the most central copy, shown without its signature
    assert letters[0].text == LETTER
    assert letters[0].same == 2


def test_a_theme_never_shows_a_signature_and_counts_every_sender():
    texts = []
    for i in range(14):
        signed = f" Signed on behalf of Member Firm {chr(65 + i)} Ltd." if i % 2 else ""
        texts.append(LETTER + signed)
    texts += [
        f"Small firms in area {i} need help with energy costs and business rates." for i in range(4)
    ]
    texts += [f"Bus route {i} should run every ten minutes from the station." for i in range(20)]
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts)
    shown = [theme["label"] for theme in model.themes_]
    shown += [s["text"] for theme in model.themes_ for s in theme["summary"]]
    quotes = [q for theme in model.themes_ for q in theme["quotes"]]
    shown += [q["text"] for q in quotes]
    assert not any("Signed" in text for text in shown)
    letters = [q for q in quotes if q["text"] == LETTER]
    assert len(letters) == 1
    assert letters[0]["same"] == 13
