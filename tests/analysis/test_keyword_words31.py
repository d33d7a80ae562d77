"""words31 #3: the demo's fast Q8 T01 "Simplify access to finance for start-ups and small
businesses" (97 answers, a catch-all) showed "No distinctive words": none of its candidate
terms passes the distinctiveness test (other themes use its words as much), so kw29's last
resort, which read only the distinctive terms, had nothing to read. With no distinctive term
it reads the theme's candidates, by the same rule: its label's single words that most answers
making the label's point use, at most two, so the fast catch-all test reads it as before."""

from __future__ import annotations

import numpy as np

from analysis.keyword_fallback import LABEL_BLAND_MAX
from analysis.mixed import FEW_KEYWORDS
from analysis.stages import shown_keywords
from analysis.tokens import PHRASE_JOINER, Tokenizer

J = PHRASE_JOINER
LABEL = "Simplify access to finance for start-ups and small businesses"
POINT = "Simplify access to finance for start-ups and small businesses."
# A catch-all's answers: some make the label's point, the rest several others.
ANSWERS = [
    POINT,
    f"{POINT} Buses to the business parks stop too early.",
    f"Our members say: {POINT[0].lower()}{POINT[1:]}",
    f"Energy bills are crippling small firms. {POINT}",
    "Public authorities should buy from local small firms.",
    "Help exporters with advice on customs and paperwork.",
    "The combined authority should support staff training in energy efficiency.",
    "Bus links to the industrial estates would help staff without a car.",
    "Ask customers what they need before funding another scheme.",
    "Regional energy schemes should include small workshops.",
    "Public land could host new workshops for growing firms.",
]
# its candidate terms in c-TF-IDF order (the demo's, cut down); none sets it apart
CANDIDATES = ["small", "busi", f"small{J}busi", "start", f"start{J}up", "up", "access"]
CANDIDATES += [f"access{J}financ", "financ", "simplifi", "firm", "public", "energi", "staff"]


def _shown(label: str, fallback: bool = False) -> list[str]:
    tokenizer = Tokenizer().fit(ANSWERS)
    index_of = {term: i for i, term in enumerate(CANDIDATES)}
    distinctive = np.zeros(len(CANDIDATES), dtype=bool)
    return shown_keywords(
        CANDIDATES, distinctive, index_of, tokenizer, ANSWERS, label=label, fallback=fallback
    )


def test_a_catch_all_with_no_distinctive_word_shows_its_labels_words() -> None:
    shown = _shown(LABEL)
    assert shown == ["access", "finance"]
    assert len(shown) <= min(LABEL_BLAND_MAX, FEW_KEYWORDS)  # its catch-all flag as before
    assert _shown(LABEL, fallback=True)  # the semantic engine's path shows some too


def test_without_a_label_it_still_shows_none() -> None:
    assert _shown("") == []
