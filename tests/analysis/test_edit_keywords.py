"""Keywords of themes a reviewer edited follow a fresh fit's rules (kwedit, issue 12, smoke11
#7 and #15): contrasted with the run's other themes after the edit, at most ten, no word
vague alone, and none a neighbour owns; a theme no word sets apart shows none."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from analysis import ThemeModel
from analysis.describe import distinctive_terms
from analysis.edit_keywords import contrast, keywords_after_edit
from analysis.fit import FIT_FLOOR
from analysis.group import describe_group
from analysis.stages import shown_keywords
from analysis.tokens import Tokenizer

pytestmark = pytest.mark.coding_encoder

# Four topics; every answer also names the region, as the demo's partners do.
TOPICS = {
    "buses": ["bus fares", "bus timetables", "bus routes", "bus shelters", "late buses"],
    "cycling": ["cycle lanes", "bike parking", "cycle routes", "bike hire", "cycle paths"],
    "housing": ["social housing", "affordable homes", "housing rents", "new homes", "housing"],
    "skills": ["adult skills", "apprenticeships", "college courses", "skills training", "skills"],
}
OPENERS = ["Across the region we need", "The region should fund", "In our region improve"]


def answers(per_topic: int = 12) -> tuple[list[str], list[int]]:
    """Answers of the four topics, each naming the region, with their topic's index."""
    texts, topics = [], []
    for index, phrases in enumerate(TOPICS.values()):
        for i in range(per_topic):
            phrase = phrases[i % len(phrases)]
            texts.append(f"{OPENERS[i % 3]} {phrase} and {phrases[(i + 2) % len(phrases)]}.")
            topics.append(index)
    return texts, topics


def test_on_a_fits_own_grouping_the_keywords_are_the_fits():
    texts, _ = answers()
    model = ThemeModel(n_themes=4, engine="fast", seed=0).fit(texts)
    outside = [score < FIT_FLOOR for score in model.fit_]
    again = keywords_after_edit(texts, list(model.labels_), range(4), outside=outside)
    # the same keywords; the fit puts its label's point's words first (kw18), which an
    # edited theme, described without its label, does not know
    assert {i: sorted(k) for i, k in again.items()} == {
        i: sorted(theme["keywords"]) for i, theme in enumerate(model.themes_)
    }


def test_a_merged_theme_shows_its_own_words_not_the_regions():
    """Buses and cycling merged hold half the answers: described alone (one theme) they
    showed "region", which every theme says; contrasted with housing and skills they show
    their own words only."""
    texts, topics = answers(20)
    merged = [0 if t == 1 else t for t in topics]
    alone = describe_group([t for t, m in zip(texts, merged, strict=True) if m == 0]).keywords
    assert any("region" in keyword for keyword in alone), alone
    shown = keywords_after_edit(texts, merged, [0])[0]
    assert shown and len(shown) <= 10
    assert not any("region" in keyword for keyword in shown), shown
    assert {"bus", "cycle"} & set(" ".join(shown).split()), shown
    read = contrast(texts, merged, 4)
    for keyword in shown:  # no word housing's or skills' answers own
        columns = [read.index_of[t] for t in read.tokenizer.transform([keyword])[0]]
        assert not read.distinctive[2:, columns].any(), keyword


def test_the_contrast_is_with_the_other_themes_after_the_edit():
    """Moving the cycling answers into buses: buses' keywords now hold cycling's words, and
    the emptied theme has none."""
    texts, topics = answers(20)
    moved = [0 if t == 1 else t for t in topics]
    before = keywords_after_edit(texts, topics, [0, 1])
    after = keywords_after_edit(texts, moved, [0, 1])
    assert not any("cycle" in k or "bike" in k for k in before[0])
    assert any("cycle" in k or "bike" in k for k in after[0])
    assert 1 not in after  # no answer left


def test_the_contrast_is_with_all_answers_unless_asked_otherwise():
    """Against every answer (the theme's own too, the default, as fits were tuned) a theme
    of 60 % of them could never use a word 1.5 times as often; against the other themes'
    answers ("others", tried and not adopted: BENCHMARKS.md "kwedit") it can."""
    present = sp.csr_matrix(np.array([[1, 1]] * 6 + [[0, 1]] * 4, dtype=float))
    labels = np.array([0] * 6 + [1] * 4)
    assert distinctive_terms(present, labels, 2)[0].tolist() == [False, False]
    assert distinctive_terms(present, labels, 2, against="others")[0].tolist() == [True, False]
    for against in ("all", "others"):  # one theme: nothing to contrast with
        assert not distinctive_terms(present, np.zeros(10, dtype=int), 1, against=against).any()


def test_a_word_vague_alone_is_dropped_and_an_empty_row_stays_empty():
    """smoke11 #15: "informed, responses" and "result, summary" were shown as a last resort
    when a theme had no other distinctive word; now it shows none ("No distinctive words").
    A run's only theme, with nothing to contrast, still shows its best words."""
    texts = ["Councils should keep us informed about how responses are used in the summary."] * 4
    tokenizer = Tokenizer(min_phrase_count=1)
    tokenizer.fit_transform(texts)
    vague = ["inform", "respons", "summari"]
    index_of = {term: i for i, term in enumerate(vague)}
    everything = np.ones(len(vague), dtype=bool)
    assert shown_keywords(vague, everything, index_of, tokenizer, texts) == []
    assert shown_keywords(vague, ~everything, index_of, tokenizer, texts) == []
    words = ["council", "inform"]
    index_of = {term: i for i, term in enumerate(words)}
    none = np.zeros(2, dtype=bool)
    assert shown_keywords(words, none, index_of, tokenizer, texts) == []
    assert shown_keywords(words, none, index_of, tokenizer, texts, alone=True) == ["councils"]


def test_at_most_ten_keywords():
    texts, topics = answers()
    rich = [
        f"{t} with {w}"
        for t, w in zip(
            texts, ["trams", "ferries", "depots", "kiosks", "ramps", "lifts"] * 8, strict=True
        )
    ]
    found = keywords_after_edit(rich, [0 if t < 2 else t for t in topics], [0, 2, 3])
    assert all(len(words) <= 10 for words in found.values())


def test_a_theme_holding_most_answers_is_contrasted_with_the_others_and_only_it(monkeypatch):
    """leftweb 4: buses, cycling and housing merged hold 75 % of the answers; against every
    answer no word could be used 1.5 times as often, so the merged theme showed "No
    distinctive words". It now shows its own words, contrasted with skills' answers only;
    skills' keywords are those of the fit's contrast, as before."""
    import analysis.edit_keywords as edit_keywords

    texts, topics = answers(20)
    merged = [0 if t in (1, 2) else t for t in topics]
    monkeypatch.setattr(edit_keywords, "LARGE_THEME_SHARE", None)
    before = keywords_after_edit(texts, merged, [0, 3])
    monkeypatch.undo()
    after = keywords_after_edit(texts, merged, [0, 3])
    assert before[0] == [] and after[0], after
    assert {"bus", "cycle", "housing"} <= set(" ".join(after[0]).split()), after[0]
    assert not any("skills" in keyword or "region" in keyword for keyword in after[0])
    assert after[3] == before[3] and after[3]
    # the other contrast is only for a theme holding at least LARGE_THEME_SHARE
    monkeypatch.setattr(edit_keywords, "LARGE_THEME_SHARE", 0.8)
    assert keywords_after_edit(texts, merged, [0])[0] == []


SPENDING = "Spending decisions must stay with elected members, not unelected business leaders."
UNIONS = [
    "Trade unions should sit on the board.",
    "Community groups should sit beside employers on the board.",
    "Trade unions and community groups need seats at the table.",
    "Sole traders and big employers both need a voice on the board.",
    "Community groups know local needs better than big employers.",
    "Trade unions speak for workers, and sole traders need a voice.",
]
BUSES = [
    "Bus fares are too high for families.",
    "Late buses would help night workers.",
    "Bus routes to the business parks are missing.",
    "Bus shelters need repair.",
    "Bus timetables change without notice.",
    "Cheaper bus fares for young people.",
]


def _second_points() -> tuple[list[str], list[int]]:
    """The demo's Q6 in small (wording28): most of the unions theme's answers add the
    spending theme's label as a second point, so its phrases set the unions theme apart too."""
    texts = [u + (f" {SPENDING}" if i % 6 else "") for i, u in enumerate(UNIONS * 3)]
    texts += [
        SPENDING if i % 5 < 2 else "Large firms would dominate any such arrangement."
        for i in range(20)
    ]
    texts += [BUSES[i % 6] for i in range(40)]
    return texts, [0] * 18 + [1] * 20 + [2] * 40


def test_a_phrase_of_another_themes_label_is_left_to_that_theme_after_an_edit():
    """tidy29 #4: keywords found again after an edit skipped the fit's keyword-owner rule
    (analysis.keyword_owners): the unions theme showed "elected members", "spending
    decisions" and "unelected business leaders", the spending theme's label's words."""
    texts, themes = _second_points()
    borrowed = {"elected members", "spending decisions", "unelected business leaders"}
    unlabelled = keywords_after_edit(texts, themes, [0, 1, 2])
    assert borrowed <= set(unlabelled[0])  # what the rule is there for
    labels = [
        "Trade unions and community groups should sit beside employers on the board",
        SPENDING[:-1],
        "Bus fares and routes",
    ]
    labelled = keywords_after_edit(texts, themes, [0, 1, 2], labels=labels)
    assert labelled[0] == [k for k in unlabelled[0] if k not in borrowed]
    assert {"trade unions", "community groups"} <= set(labelled[0])
    # the theme whose label it is, and a theme with no such phrase, are as they were
    assert labelled[1] == unlabelled[1] and labelled[2] == unlabelled[2]
    # only the targets are asked about; the others' labels are still read
    assert keywords_after_edit(texts, themes, [0], labels=labels) == {0: labelled[0]}


KEEP = "Please keep partners informed about how responses are used"


def test_an_edited_theme_of_vague_label_words_shows_them():
    """tidy30: an edited theme whose only distinctive words are its label's vague ones
    ("informed", "responses") shows them, as a fit's last resort does (kw29), once its label
    is given; without labels it still shows none."""
    openers = ["", "We ask once more: ", "Our board says: ", "Simply put, ", "Above all, "]
    openers += ["Finally, ", "As a council, ", "In short, "]
    texts = [f"{o}{KEEP.lower() if o else KEEP}." for o in openers]
    texts += [f"{o}buses should run later in the evening and on Sundays." for o in openers]
    texts += [f"{o}cycle lanes need fixing on the main roads." for o in openers]
    themes = [t for t in range(3) for _ in openers]
    labels = [KEEP, "Buses should run later", "Fix the cycle lanes"]
    without = keywords_after_edit(texts, themes, [0, 1, 2])
    given = keywords_after_edit(texts, themes, [0, 1, 2], labels=labels)
    assert without[0] == []
    assert given[0] == ["informed", "responses"]
    assert {1: given[1], 2: given[2]} == {1: without[1], 2: without[2]} and given[1]
