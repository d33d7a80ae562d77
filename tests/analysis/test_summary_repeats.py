"""A theme's summary never gives one point twice nor lists the label's point as another
(issue 12; smoke5 findings 1, 4 and 7)."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.describe import summarise
from analysis.repeats import same_words
from analysis.tokens import Tokenizer

FILM = "Film and television production is growing here and needs studio space and skills."
FILM_AGAIN = (
    "Film and television production is growing here and needs studio space and skills as a "
    "priority."
)


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


def test_a_summary_sentence_that_is_another_themes_label_is_left_out():
    """Smoke walk 9, finding 3: "Staff cannot rely on buses that often do not turn up" was
    the only other point of a data-sharing theme, word for word the bus theme's label. It is
    the bus theme's point: left out, and a summary left with none says its other points
    belong to other themes."""
    from analysis import describe
    from analysis.other_themes import other_themes_note
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
            "text": other_themes_note(["T08"]),  # the note names where the point is
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
