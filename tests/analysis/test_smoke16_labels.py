"""smoke16 #1 and #6: what the analysis writes about a theme.

#1: a label cut at ";" dropped the clause carrying the view: "Annual funding rounds stop us
signing long contracts" for 31 answers "for" a multi-year settlement, every one saying "...
long contracts with builders and operators; a multi-year settlement fixes that". A clause
before one that carries the sentence's verdict or remedy (after a semicolon, leaning on what
came before, or after "but") is no statement of the sentence on its own.

#6: the fast engine hinted that "Staff cannot rely on buses that often do not turn up" looks
like "Agree data-sharing rules once so every project does not have to negotiate its own"
(their static vectors share "do not"/"does not"), and that uniform theme showed "No
distinctive words" though every answer says "staff ... buses ... turn up"."""

from __future__ import annotations

from analysis import ThemeModel
from analysis.alike import alike_themes, content_words
from analysis.describe import label_candidates
from analysis.stages import label_keywords
from analysis.statements import statements
from analysis.tokens import Tokenizer
from tests.analysis.test_alike import IDS, twins

SETTLEMENT = (
    "Annual funding rounds stop us signing long contracts with builders and operators; a "
    "multi-year settlement fixes that."
)


def test_no_statement_drops_the_clause_carrying_the_view():
    assert statements(SETTLEMENT) == []  # 16 words: only whole, as a longer label
    assert statements(SETTLEMENT, max_words=20) == [SETTLEMENT.rstrip(".")]
    said = statements("Devolution is welcome, but it must bring the money with it.")
    assert "Devolution is welcome" not in said
    assert "Devolution is welcome, but it must bring the money with it" in said
    # a "but" joining a point of its own leaves both points as statements
    said = statements("Staff were lovely but the food was cold.")
    assert said == ["Staff were lovely", "Staff were lovely but the food was cold"]
    assert "It costs nothing" not in statements("It costs nothing but time.")
    # a sentence with no verdict clause is cut as before
    assert "Buses should be cheaper" in statements("Buses should be cheaper, and more frequent.")


def test_the_settlement_theme_is_labelled_with_its_view():
    """A theme whose answers all say the settlement sentence, behind openers and places, is
    labelled by the whole sentence, never by its first clause cut short."""
    openers = ["", "In Walsall, ", "As a housing association, ", "Honestly, ", "Put simply, "]
    texts = [
        f"{openers[n % 5]}{SETTLEMENT[:1].lower() if n % 5 else SETTLEMENT[:1]}{SETTLEMENT[1:]}"
        for n in range(20)
    ]
    candidates = [s for s, _ in label_candidates(texts)]
    assert not any(s.startswith("Annual funding rounds stop us") for s in candidates)
    other = [f"Bus fares in town {n} went up again and services were cut." for n in range(20)]
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts + other)
    settlement = [t for t in model.themes_ if "funding" in t["label"].lower()]
    assert settlement and "settlement fixes that" in settlement[0]["label"]


def test_labels_sharing_no_content_word_never_look_alike_by_words():
    tokenizer = Tokenizer()
    labels = [
        "Staff cannot rely on buses that often do not turn up",
        "Agree data-sharing rules once so every project does not have to negotiate its own",
        "One shared data platform would let partners spot families who need help early",
    ] + [f"Label number {n} about something" for n in range(5)]
    words = content_words(labels, "What should partners do together?", tokenizer)
    assert not words[0] & words[1]
    assert words[1] & words[2] >= {"data"}
    vectors = twins()  # labels 2 and 5 (T03, T06) stand out as alike
    assert [h["id"] for h in alike_themes(vectors, IDS)[2]] == ["T06"]
    no_common = [set(), set(), {"bus"}, set(), set(), {"data"}, set(), set()]
    assert alike_themes(vectors, IDS, words=no_common)[2] == []
    common = [set(), set(), {"data"}, set(), set(), {"data"}, set(), set()]
    assert [h["id"] for h in alike_themes(vectors, IDS, words=common)[2]] == ["T06"]


def test_a_uniform_theme_shows_its_labels_words_when_none_passes():
    tokenizer = Tokenizer()
    label = "Staff cannot rely on buses that often do not turn up"
    texts = [
        f"In area {n}, staff cannot rely on buses that often do not turn up." for n in range(9)
    ]
    texts.append("Our staff need better pay.")
    keywords = ["staff", "buse", "turn", "area", "pay"]
    assert label_keywords(keywords, label, tokenizer, texts) == ["staff", "buse", "turn"]
    # a word the label says but fewer than half the answers use is no keyword
    assert label_keywords(["pay"], "Staff need better pay", tokenizer, texts) == []
    assert label_keywords(keywords, "", tokenizer, texts) == []


def test_shown_keywords_fall_back_to_the_label_only_when_none_passes():
    """The fit's keywords (:func:`analysis.stages.shown_keywords`) with no candidate passing
    the distinctiveness test: "No distinctive words" before, the label's words now."""
    import numpy as np

    from analysis.stages import shown_keywords

    tokenizer = Tokenizer()
    label = "Staff cannot rely on buses that often do not turn up"
    texts = [
        f"In area {n}, staff cannot rely on buses that often do not turn up." for n in range(9)
    ]
    keywords = ["staff", "area", "pay"]
    index_of = {word: i for i, word in enumerate(keywords)}
    none_pass = np.zeros(len(keywords), dtype=bool)
    assert shown_keywords(keywords, none_pass, index_of, tokenizer, texts) == []
    # kw18 (smoke18r #8): never one bare word alone on nine answers; their commonest as well
    assert shown_keywords(keywords, none_pass, index_of, tokenizer, texts, label=label) == [
        "staff",
        "area",
    ]
    # a keyword that passes is shown as before, the label's words not added
    area = np.array([False, True, False])
    # (and, kw18, a lone word on nine answers is joined by the label's point's words)
    assert shown_keywords(keywords, area, index_of, tokenizer, texts, label=label) == [
        "area",
        "staff",
    ]
