"""Keywords a reader can use (kw29, smoke29): a place said only to say where the writer is
("In Wolverhampton, ...") is no keyword, and a theme whose only distinctive words are its
label's vague ones ("informed", "responses") shows them rather than none."""

from __future__ import annotations

import numpy as np

from analysis.keyword_fallback import LABEL_BLAND_MAX, label_words_said
from analysis.keyword_places import where_from_only
from analysis.keywords import readable_keywords
from analysis.stages import shown_keywords
from analysis.tokens import PHRASE_JOINER, Tokenizer

J = PHRASE_JOINER

POINT = "manufacturers can tell you which technician roles they cannot fill today."
# The demo's Q6 theme (fast, seed 0): 3 of its answers open "(Here) in Wolverhampton,".
MANUFACTURERS = [
    f"Here in Wolverhampton, {POINT}",
    f"In Wolverhampton, {POINT}",
    f"In our view, a formal role would help. Here in Wolverhampton, {POINT}",
    f"In Dudley, {POINT}",
    f"Here in Solihull, {POINT}",
    f"As a membership body in Sandwell, we believe {POINT}",
    f"Overall, {POINT}",
    "Manufacturers can tell you which technician roles they cannot fill today.",
]


def test_a_place_in_a_lead_is_where_the_writer_is() -> None:
    assert where_from_only("wolverhampton", MANUFACTURERS)
    assert where_from_only("Wolverhampton", MANUFACTURERS)
    assert where_from_only("sandwell", MANUFACTURERS)  # "As a membership body in Sandwell, we"
    assert not where_from_only("manufacturers", MANUFACTURERS)


def test_a_shouted_lead_or_a_time_is_no_place() -> None:
    # The lead's review of kw29: case says nothing in a shouted answer, and a month or a day
    # in a lead says when, not where the writer is.
    shouted = ["IN HOSPITAL, THE FOOD WAS COLD."] * 3
    assert not where_from_only("hospital", shouted)
    assert not where_from_only("HOSPITAL", shouted)
    months = ["In March, the buses stopped running at six.", "In March, fares rose again."]
    assert not where_from_only("march", months)
    assert not where_from_only("Friday", ["On Friday, nothing.", "In Friday, x."] * 2)


def test_a_place_in_the_point_stays() -> None:
    texts = [
        "Invest in advanced manufacturing and electric vehicle supply chains around Coventry.",
        "In Walsall, invest in electric vehicle supply chains around Coventry.",
    ] * 2
    assert not where_from_only("coventry", texts)
    assert where_from_only("walsall", texts)


def test_a_common_noun_in_a_lead_stays() -> None:
    """ "In hospital," says where, but a common noun is what the answers are about."""
    texts = ["In hospital, the food was cold.", "In hospital, nobody came when I rang."]
    assert not where_from_only("hospital", texts)
    # a phrase is never a lead's name
    assert not where_from_only("technician roles", MANUFACTURERS)


def test_mostly_elsewhere_stays() -> None:
    texts = [
        "In Birmingham, buses are late.",
        "Birmingham needs more buses.",
        "Buses across Birmingham are late.",
    ]
    assert not where_from_only("birmingham", texts)


def test_readable_keywords_leave_out_a_lead_place() -> None:
    tokenizer = Tokenizer().fit(MANUFACTURERS)
    shown = readable_keywords(
        ["manufactur", f"technician{J}role", "wolverhampton"], tokenizer, MANUFACTURERS
    )
    assert shown == ["manufacturers", "technician roles"]


KEEP = "Please keep partners informed about how responses are used"
# The demo's Q13 theme (fast, seed 0, its distinct answers): half its answers say the label's
# point, the rest another point of the "anything else" question.
INFORMED = [
    "Please keep partners informed about how responses are used.",
    "We believe net zero must run through every part of the deal, not be an add-on. "
    "Please keep partners informed about how responses are used.",
    "Please keep partners informed about how responses are used. Net zero must run "
    "through every part of the deal, not be an add-on.",
    "Housing affordability is the biggest issue for our staff and should be a priority. "
    "Please keep partners informed about how responses are used.",
    "Our staff feel that net zero must run through every part of the deal, not be an add-on.",
    "We think net zero must run through every part of the deal, not be an add-on.",
]
# its candidate terms, c-TF-IDF order, and which of them set it apart
CANDIDATES = ["inform", f"inform{J}respons", f"partner{J}inform", "respons", "use", "partner"]
CANDIDATES += ["net", f"net{J}zero", "deal"]


def _shown(label: str, fallback: bool) -> list[str]:
    tokenizer = Tokenizer().fit(INFORMED)
    index_of = {term: i for i, term in enumerate(CANDIDATES)}
    distinctive = np.array([True] * 6 + [False] * 3)
    return shown_keywords(
        CANDIDATES, distinctive, index_of, tokenizer, INFORMED, label=label, fallback=fallback
    )


def test_a_theme_of_vague_label_words_shows_them() -> None:
    """smoke29: "No distinctive words" on a 26-answer theme; now its label's own words, as
    the label says them, at most two (the fast engine's catch-all test reads two as few, so
    its flag is as before)."""
    assert _shown(KEEP, fallback=False) == ["informed", "responses"]
    assert _shown(KEEP, fallback=True) == ["informed", "responses"]
    assert len(_shown(KEEP, fallback=False)) <= LABEL_BLAND_MAX


def test_without_its_label_a_theme_still_shows_none() -> None:
    """Not the words of another point ("net zero"), nor words its label does not say."""
    assert _shown("", fallback=False) == []
    assert _shown("Net zero must run through every part of the deal", fallback=False) == []


def test_label_words_said_needs_two_answers_making_the_point() -> None:
    tokenizer = Tokenizer().fit(INFORMED)
    # in the label's order; readable_keywords then leaves out "partners" and "used"
    said = ["partner", "inform", "respons", "use"]
    assert label_words_said(CANDIDATES, KEEP, tokenizer, INFORMED) == said
    assert label_words_said(CANDIDATES, KEEP, tokenizer, INFORMED[:1] + INFORMED[4:]) == []
    # only words most of the answers making the point use, never a phrase
    assert label_words_said([f"inform{J}respons"], KEEP, tokenizer, INFORMED) == []


def test_repeatable() -> None:
    assert _shown(KEEP, fallback=False) == _shown(KEEP, fallback=False)
    tokenizer = Tokenizer().fit(MANUFACTURERS)
    first = readable_keywords(["manufactur", "wolverhampton"], tokenizer, MANUFACTURERS)
    assert first == readable_keywords(["manufactur", "wolverhampton"], tokenizer, MANUFACTURERS)


def test_the_label_point_phrases_come_before_the_last_resort() -> None:
    """A theme of 10 answers or more whose distinctive words are only its label's vague ones
    shows its answers' commonest phrases (kw18's fallback) when there are some, and its
    label's two words only when there are none (the lead's review: the last resort taken
    first left "example" alone)."""
    label = "Please keep partners informed about how responses are used"
    ways = ["council meetings", "newsletter updates", "email summaries", "web page"]
    ways += ["public meetings", "annual report"]
    texts = [
        f"Keep partners informed about how responses are used, for example through "
        f"{ways[i % 6]} every month."
        for i in range(12)
    ]
    tokenizer = Tokenizer()
    tokenizer.fit(texts)
    vocabulary = sorted({stem for text in tokenizer.transform(texts) for stem in text})
    index_of = {word: i for i, word in enumerate(vocabulary)}
    distinctive = np.array([word in {"inform", "respons"} for word in vocabulary])
    keywords = ["inform", "respons"] + [w for w in vocabulary if w not in {"inform", "respons"}]
    with_phrases = shown_keywords(
        keywords, distinctive, index_of, tokenizer, texts, label=label, fallback=True
    )
    assert "council meetings" in with_phrases and len(with_phrases) >= 3
    without = shown_keywords(
        keywords, distinctive, index_of, tokenizer, texts, label=label, fallback=False
    )
    assert without == ["informed", "responses"]
    # tidy30: an edited theme's label serves the last resort only, not kw18's phrases
    edited = shown_keywords(
        keywords, distinctive, index_of, tokenizer, texts, label=label, label_rules=False
    )
    assert edited == ["informed", "responses"]
