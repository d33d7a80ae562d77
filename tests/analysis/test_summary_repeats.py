"""A theme's summary never gives one point twice nor lists the label's point as another
(issue 12; smoke5 findings 1, 4 and 7)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.describe import summarise
from analysis.embeddings import MiniLMEmbedder, available
from analysis.label_points import LABEL_POINT_THRESHOLD, statement_makers
from analysis.repeats import makes_label_point, same_words
from analysis.tokens import Tokenizer

FILM = "Film and television production is growing here and needs studio space and skills."
FILM_AGAIN = (
    "Film and television production is growing here and needs studio space and skills as a "
    "priority."
)
NHS_LABEL = "I was listened to, and talking helped me feel better"
NHS_AGAIN = "She listened to how I felt & understood me."
# A small fixture of answers like the NHS sample's theme (smoke5 finding 7).
NHS_ANSWERS = [
    "She listened to how I felt & understood me.",
    "She listened to how I felt and understood me, thank you.",
    "The nurse listened to how I felt and understood me.",
    "He listened to how I felt and really understood me.",
    "My worker listened to how I felt & understood me.",
    "Everyone were extremely helpful and friendly.",
    "Everyone was extremely helpful and friendly to me.",
    "Staff were extremely helpful and friendly.",
    "All the staff were extremely helpful and friendly.",
    "The parking was difficult and expensive.",
    "Parking is difficult and expensive at the hospital.",
    "Car parking was difficult and expensive again.",
]
# The other answers read (other themes'): "listened" is rare among all the answers here (under
# 3 % use it), so it is one of the label's distinctive words. On smoke5's 2,000-row NHS sample it
# is not (72 answers, 3.6 %): there the label's only rare word is "talk", the sentence has cosine
# 0.516 (< 0.6) and no "talk", so the rule does not take it for the label's point and the
# sample's summary still lists it (see BENCHMARKS "Summary sentences that repeat the label or
# each other").
OTHERS = [
    f"The {thing} was {how} on my {when} visit."
    for thing in ("food", "ward", "waiting room", "appointment", "car park", "reception")
    for how in ("clean", "quick", "slow", "cold", "busy", "quiet", "late", "noisy")
    for when in ("first", "second", "last", "morning", "evening")
]


def test_one_point_in_nearly_the_same_words_is_one_point():
    """Finding 1's two sentences, one inside the other; a qualifier moved; not two points
    in other words, nor a point and its negation."""
    assert same_words(FILM, FILM_AGAIN) and same_words(FILM_AGAIN, FILM)
    assert same_words(
        "As a priority, film and television production needs studio space and skills.", FILM
    )
    # Two different demo points that share a few words (content-word Jaccard 0.27, the
    # highest of any two points' phrasings).
    assert not same_words(
        "Only big employers have time to sit on boards, not sole traders.",
        "Trade unions and community groups should sit beside employers on any such board.",
    )
    assert not same_words("The food on the ward is good.", "The food on the ward is not good.")
    assert not same_words(FILM, "")


def _fast_summary(texts: list[str], label: str) -> list:
    """The fast engine's summary of one theme of ``texts`` (TF-IDF vectors)."""
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform(texts)
    vectorizer = TfidfVectorizer(analyzer=lambda words: words).fit(tokens)
    terms = np.asarray(vectorizer.transform(tokens).mean(axis=0)).ravel()
    members = list(range(len(texts)))
    similarity = np.linspace(1.0, 0.5, len(texts))
    ids = [f"R{i}" for i in members]
    return summarise(
        members, similarity, texts, ids, texts, tokenizer, vectorizer, terms, label=label
    )


def test_a_summary_never_gives_one_point_twice():
    """Finding 1: a theme whose answers restate its label gave two sentences several answers
    share word for word, the same point with "as a priority" added, as two "other points"."""
    label = "Film production needs studio space"
    # Five answers, each one of the two sentences and a word of thanks: both sentences are
    # given word for word by two or more answers.
    thanks = ["Thanks.", "Good luck.", "Many thanks.", "Regards.", "Thank you."]
    texts = [
        f"{s} {t}" for s, t in zip([FILM, FILM, FILM, FILM_AGAIN, FILM_AGAIN], thanks, strict=True)
    ]
    summary = _fast_summary(texts, label)
    said = [s.text for s in summary if not s.only_point]
    assert not any(same_words(a, b) for n, a in enumerate(said) for b in said[n + 1 :]), said
    # Those sentences make the label's point (TF-IDF cosine 0.5 or more): no "other" point.
    assert said == [] and summary[0].only_point


@pytest.mark.skipif(not available(), reason="the semantic extra is not installed")
def test_a_sentence_making_the_labels_point_is_judged_as_answers_are():
    """Finding 7's sentence makes the point of "I was listened to, and talking helped me feel
    better" as an answer saying it is counted as making the label's point, where "listened" is
    a rare word among the answers read; "Everyone were extremely helpful and friendly" does
    not."""
    embed = MiniLMEmbedder().embed
    judged = makes_label_point(
        NHS_LABEL,
        [NHS_AGAIN, "Everyone were extremely helpful and friendly.", "Parking is expensive."],
        embed,
        NHS_ANSWERS + OTHERS,
    )
    assert judged.tolist() == [True, False, False]
    # Close to its label by that rule, but the other side of it: a point of its own.
    food = ("The food is very good", ["Food needs huge improvement."])
    read = [f"{a} {b}" for a, b in zip(OTHERS, OTHERS[1:], strict=False)]  # closeness alone
    assert statement_makers([food[0]], food[1], embed, LABEL_POINT_THRESHOLD, read)[0, 0]
    assert not makes_label_point(*food, embed, read).any()
    assert not makes_label_point(NHS_LABEL, [NHS_AGAIN], None).any()  # the fast engine


@pytest.mark.skipif(not available(), reason="the semantic extra is not installed")
def test_another_point_never_restates_the_label(monkeypatch):
    """Finding 7: the theme's summary listed "She listened to how I felt & understood me."
    as another point under its label; with the rule on (off by default: it left out as many
    other points as repeats, BENCHMARKS "summary-repeats"), where it takes it for the label's
    point (answers in which "listened" is rare) it is left out, and the other points stay."""
    from analysis import describe

    monkeypatch.setattr(describe, "LABEL_REPEATS_LEFT_OUT", True)
    embed = MiniLMEmbedder().embed
    texts = NHS_ANSWERS + OTHERS
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform(texts)
    vectorizer = TfidfVectorizer(analyzer=lambda words: words).fit(tokens)
    terms = np.asarray(vectorizer.transform(tokens).mean(axis=0)).ravel()
    members = list(range(len(NHS_ANSWERS)))
    similarity = np.linspace(1.0, 0.5, len(texts))
    ids = [f"R{i}" for i in range(len(texts))]
    summary = summarise(
        members,
        similarity,
        texts,
        ids,
        texts,
        tokenizer,
        vectorizer,
        terms,
        embed,
        label=NHS_LABEL,
    )
    said = [s.text for s in summary if not s.only_point]
    assert said and not any("listened" in text for text in said), said
    assert not makes_label_point(NHS_LABEL, said, embed, texts).any()
    assert len(OTHERS) == 240
    assert any("helpful and friendly" in text for text in said)
    assert any("arking" in text for text in said)


def test_a_summary_sentence_that_is_another_themes_label_is_left_out():
    """Smoke walk 9, finding 3: "Staff cannot rely on buses that often do not turn up" was
    the only other point of a data-sharing theme, word for word the bus theme's label. It is
    the bus theme's point: left out, and a summary left with none says its other points
    belong to other themes."""
    from analysis import describe
    from analysis.repeats import OTHER_THEMES_NOTE, other_labels_left_out

    assert OTHER_THEMES_NOTE == describe.OTHER_THEMES_NOTE
    bus = "Staff cannot rely on buses that often do not turn up."
    data = {
        "id": "T07",
        "label": "Agree data-sharing rules once so every project does not negotiate its own",
        "summary": [{"id": "R3", "text": bus, "ids": ["R3", "R9"], "stance": "for"}],
        "quotes": [{"id": "R1", "text": "Agree data-sharing rules once."}],
    }
    plan = {
        "id": "T01",
        "label": "Agree one plan for transport and housing growth",
        "summary": [
            {"id": "R4", "text": "Staff can rely on buses that turn up.", "ids": ["R4"]},
            {
                "id": "R5",
                "text": "Often staff cannot rely on buses that do not turn up!",
                "ids": ["R5"],
            },
            {"id": "R6", "text": "Build homes near stations.", "ids": ["R6"]},
        ],
        "quotes": [{"id": "R4", "text": "Agree one plan."}],
    }
    buses = {
        "id": "T08",
        "label": "Staff cannot rely on buses that often do not turn up",
        "summary": [{"id": "R7", "text": "Buses", "ids": ["R7"]}],
        "quotes": [{"id": "R7", "text": bus}],
    }
    short = {"id": "T09", "label": "Build homes", "summary": [], "quotes": []}

    nearly = plan["summary"][1]["text"]
    left_out = other_labels_left_out([data, plan, buses, short])

    assert left_out == [("T07", bus), ("T01", nearly)]
    assert data["summary"] == [
        {
            "id": "R1",
            "text": OTHER_THEMES_NOTE[:-1] + ": T08.",  # the note names where the point is
            "ids": ["R1"],
            "stance": "",
            "only_point": True,
        }
    ]
    # the other side of the point ("can rely", no "not") and a sentence holding a label of
    # under four words stay
    assert [s["id"] for s in plan["summary"]] == ["R4", "R6"]
    assert buses["summary"] == [{"id": "R7", "text": "Buses", "ids": ["R7"]}]
    assert other_labels_left_out([data, plan, buses, short]) == []  # a second pass: nothing
    # one content word in common is no more than a topic ("think")
    nothing = {"id": "T12", "label": "Nothing, all perfect", "quotes": []}
    nothing["summary"] = [{"id": "R8", "text": "Nothing that I can think of", "ids": ["R8"]}]
    other = {"id": "T17", "label": "Can't think of anything that could have been done better"}
    assert other_labels_left_out([nothing, other | {"summary": []}]) == []
