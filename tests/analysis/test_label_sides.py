"""An answer on the other side from a label's never counts toward the label's point (count31).

lead30: under the label "Vocational education should be subsidised …" the label's count read
"Vocational education should not be subsidised because employers should pay for training"
(6 answers, all against) as the label's point in other words (count27's aliases) and took its
answers. With stance measured, an answer on the other side from the label's (the side its
theme's answers took, which the label speaks for) is not counted for it through an alias;
nor, with or without stance, an alias's answer whose own wording says the label's claim
negated ("should not be subsidised"). An answer saying the label's point itself counts.
"""

from __future__ import annotations

import numpy as np

from analysis import ThemeModel
from analysis.label_points import label_point_counts, label_point_reading
from analysis.label_sides import claim_words, negates, other_side
from tests.analysis.test_label_aliases import COACHES, LABEL, RIVALS, TEXTS, embed
from tests.analysis.test_stance_summaries import _data

# TEXTS: buses (the label's wording) in rows 0-2 and 6-8, coaches (its alias) in 3-5 and 9-11
COACHES_AGAINST = ["for"] * 3 + ["against"] * 3 + ["for"] * 3 + ["against"] * 3


def test_an_alias_said_by_the_other_side_no_longer_counts_for_the_label():
    mentions = [list(range(len(TEXTS)))]
    assert label_point_counts([LABEL], mentions, TEXTS, embed, rivals=RIVALS) == [12]
    counted = label_point_counts(
        [LABEL], mentions, TEXTS, embed, rivals=RIVALS, sides=COACHES_AGAINST, label_sides=["for"]
    )
    assert counted == [6]  # the coaches answers were all against
    # on the label's own side, the alias's answers count for it
    same = label_point_counts(
        [LABEL],
        mentions,
        TEXTS,
        embed,
        rivals=RIVALS,
        sides=COACHES_AGAINST,
        label_sides=["against"],
    )
    assert same == [12]
    # an answer saying the label's own point counts whatever its side (a qualified point,
    # "... as long as ...", is made by both sides): only the alias's answers are read by side
    buses_against = ["against"] * 3 + ["for"] * 3 + ["against"] * 3 + ["for"] * 3
    both = label_point_counts(
        [LABEL], mentions, TEXTS, embed, rivals=RIVALS, sides=buses_against, label_sides=["for"]
    )
    assert both == [12]


def test_no_side_for_the_label_or_no_stance_counts_as_before():
    mentions = [list(range(len(TEXTS)))]
    for sides, label_sides in ((COACHES_AGAINST, [None]), (None, ["for"]), (None, None)):
        found = label_point_counts(
            [LABEL], mentions, TEXTS, embed, rivals=RIVALS, sides=sides, label_sides=label_sides
        )
        assert found == [12], (sides, label_sides)
    # answers neither for nor against (mixed, unclear, not measured) still count
    mixed = ["mixed", "unclear", ""] * 4
    found = label_point_counts(
        [LABEL], mentions, TEXTS, embed, rivals=RIVALS, sides=mixed, label_sides=["for"]
    )
    assert found == [12]


def test_the_reading_still_names_the_alias_it_no_longer_counts_across_sides():
    mentions = [list(range(len(TEXTS)))]
    sides = ["against"] * 2 + ["for"] * 10
    # without rivals there is no alias: the side of an answer is not read
    plain = label_point_counts([LABEL], mentions, TEXTS, embed)
    assert (
        label_point_counts([LABEL], mentions, TEXTS, embed, sides=sides, label_sides=["for"])
        == plain
    )
    counts, wordings = label_point_reading(
        [LABEL], mentions, TEXTS, embed, rivals=RIVALS, sides=COACHES_AGAINST, label_sides=["for"]
    )
    assert (counts, wordings) == ([6], [["Put on extra coaches."]])


def test_an_answer_whose_own_words_negate_the_label_does_not_make_its_point():
    label = "Vocational education should be subsidised because trade jobs are in demand"
    assert negates(
        label, "Vocational education should not be subsidised because employers should pay."
    )
    assert negates(
        "We should subsidize vocational education",
        "We shouldn't subsidize vocational education for all.",
    )
    assert not negates(label, "Vocational education should be subsidised so more learn a trade.")
    # a "not" in the reason, not the claim, is no negation of the claim
    assert not negates(label, "Vocational education should be subsidised, as it is not cheap.")
    # a negated sentence beside one saying the claim as it is: the answer makes the point
    assert not negates(
        label,
        "Vocational education should be subsidised. Universities should not be subsidised more.",
    )
    assert not negates(label, "Housing costs are too high for young families.")  # another point
    assert negates("Do not cut bus routes", "Cut the bus routes now.")  # a negated label too


NEGATED = "Do not run more buses at night."


def _as_coaches(texts: list[str]) -> np.ndarray:
    """The stand-in vectors, reading the negated buses sentence as the coaches one: in
    sentence vectors "Do not run more buses" sits near the label's other wordings."""
    return embed([text.replace(NEGATED, COACHES) for text in texts])


def test_an_alias_answer_whose_words_negate_the_label_does_not_count_without_stance():
    texts = [text.replace(COACHES, NEGATED) for text in TEXTS]
    mentions = [list(range(len(texts)))]
    counts, wordings = label_point_reading([LABEL], mentions, texts, _as_coaches, rivals=RIVALS)
    assert wordings == [["Put on extra coaches."]]  # read as the label's point in other words
    assert counts == [6]  # but "Do not run more buses" is no answer making it
    mask = other_side([LABEL], texts)
    assert mask[:, 0].tolist() == [False] * 3 + [True] * 3 + [False] * 3 + [True] * 3


def test_an_answer_saying_the_label_itself_counts_whatever_its_wording_or_side():
    """Read by negation or stance in every match, ArgKP's 24 dev motions' MAE rose (3.60 ->
    3.99 semantic): arguments negate a motion's verb in many ways ("banning cloning would
    stop research"), and the demo's qualified points are made by both sides."""
    texts = ["Run more buses every hour."] * 4 + ["Do not run more buses."] * 2
    mentions = [list(range(len(texts)))]
    sides = ["for"] * 4 + ["against"] * 2
    assert label_point_counts([LABEL], mentions, texts, embed) == [6]
    found = label_point_counts(
        [LABEL],
        mentions,
        texts,
        embed,
        rivals=["Build more homes."],
        sides=sides,
        label_sides=["for"],
    )
    assert found == [6]


def test_a_fitted_themes_label_count_takes_no_answer_against_it():
    """test_stance_summaries' consultation: under the subsidy label (the "for" side's), no
    answer against is counted as making the label's point."""
    texts, ids, agreement = _data()
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts, ids=ids, agreement=agreement)
    subsidy = next(t for t in model.themes_ if "ubsidi" in t["label"])
    assert subsidy["stance"]["against"] > 0
    assert subsidy["label_point"] is not None
    # its 24 answers for make the point; the 9 against (and the housing answers) do not
    assert subsidy["label_point"] <= subsidy["stance"]["for"]


def test_a_negated_other_predicate_on_the_labels_subject_is_no_negation_of_it():
    """rev31b: sharing the label's subject ("vocational education") is not sharing its
    claim: a "for" answer negating another predicate was read as the label negated."""
    label = "Vocational education should be subsidised"
    assert not negates(label, "Vocational education is not a waste of money.")
    assert not negates(label, "Vocational education should not be cut.")
    assert not negates(label, "Vocational education cannot be left unsubsidised.")
    # the label's claim negated, with more words or fewer, still negates it
    assert negates(label, "Vocational education should not be subsidised by taxpayers.")
    assert negates(label + " by the state", "Vocational education should not be subsidised.")


def test_emphatic_and_double_negatives_and_questions_do_not_negate_the_label():
    """rev31b: "not only … but", "cannot be overstated", "nobody can deny" and a question
    say no claim negated; "I doubt that …" does."""
    label = "Vocational education should be subsidised"
    for text in (
        "Vocational education should not only be subsidised but made free.",
        "Vocational education should not just be subsidised, it should be free.",
        "That vocational education should be subsidised cannot be overstated.",
        "Nobody can deny that vocational education should be subsidised.",
        "There is no doubt that vocational education should be subsidised.",
        "Why should vocational education not be subsidised?",
        "We shouldn't just subsidise vocational education, we should make it free.",
    ):
        assert not negates(label, text), text
    assert negates(label, "I doubt that vocational education should be subsidised.")
    # a label that itself says "not": "not only" there negates nothing either
    assert negates("Smoking should not be banned", "Smoking should not only be banned but fined.")
    assert negates("Smoking should not be banned", "Smoking should never not be banned.")


def test_a_negation_after_the_sentences_opener_negates_the_label():
    """count32: the claim was read up to the first comma, so "No, …", "In our view, …" or
    "Put simply, …" was all the claim there was, and the negation after it went unread
    ("No, X should not …" was no denial of "X should …"). The opener is no claim; an
    opener denying what follows ("I disagree that …") negates it."""
    label = "Business should get a formal vote on deal spending"
    for text in (
        "No, business should not get a formal vote on deal spending.",
        "In our view, business should not get a formal vote on deal spending.",
        "Put simply, business should not get a formal vote on deal spending.",
        "We think that business should not get a formal vote on deal spending.",
        "I disagree that business should get a formal vote on deal spending.",
        "We strongly disagree that business should get a formal vote on deal spending.",
        # rev32c: a denial after another opener still denies; "I disagree," is an opener
        "In my view, I disagree that business should get a formal vote on deal spending.",
        "Honestly, we disagree that business should get a formal vote on deal spending.",
        "I disagree, business should not get a formal vote on deal spending.",
        "We disagree: business should not get a formal vote on deal spending.",
    ):
        assert negates(label, text), text
    for text in (
        "Yes, business should get a formal vote on deal spending.",
        "In our view, business should get a formal vote on deal spending, as firms pay.",
        "No, business should get a formal vote on deal spending.",  # "no" answering a question
        "I disagree that business should not get a formal vote on deal spending.",  # twice
        "I don't disagree that business should get a formal vote on deal spending.",
    ):
        assert not negates(label, text), text


def test_sides_are_read_only_for_answers_an_alias_brings(monkeypatch):
    """count32: every answer was read for its side and wording under every label, though only
    an answer an alias brings (not making the label's point itself) can be left out."""
    from analysis import label_sides

    read: list[tuple[list[str], list[str]]] = []
    original = label_sides.other_side

    def logged(labels, texts, *rest):
        read.append((list(labels), list(texts)))
        return original(labels, texts, *rest)

    monkeypatch.setattr(label_sides, "other_side", logged)
    mentions = [list(range(len(TEXTS)))]
    counted = label_point_counts(
        [LABEL], mentions, TEXTS, embed, rivals=RIVALS, sides=COACHES_AGAINST, label_sides=["for"]
    )
    assert counted == [6]  # as before
    assert read == [([LABEL], TEXTS[3:6] + TEXTS[9:12])]  # the coaches answers only
    read.clear()  # no alias: nothing is read by side
    assert label_point_counts([LABEL], mentions, TEXTS, embed, rivals=RIVALS, aliases=False)
    assert read == []


def test_an_affirming_doubt_and_an_adverbs_stance_opener_read_as_said():
    """count33: "Without doubt X should …" read "doubt" as X negated (an affirmation), and
    "We strongly disagree, X …" or "Without a doubt, X …" read the opener before the comma as
    all the claim there was, so X's own "not" went unread. A doubt that is one ("I doubt
    X", "A few doubt that X") still negates."""
    label = "Business should get a formal vote on deal spending"
    claim = "business should get a formal vote on deal spending."
    negated = "business should not get a formal vote on deal spending."
    for text in (
        f"Without doubt {claim}",
        f"Without a doubt, {claim}",
        f"Beyond any doubt {claim}",
        f"There is little doubt that {claim}",
        f"Few would doubt that {claim}",
        f"There is no doubt that {claim}",  # near misses: "no" before the doubt
        f"No doubt {claim}",
        f"We don't doubt {claim}",
        f"We do not doubt that {claim}",
        "Business should without doubt get a formal vote on deal spending.",
        f"We strongly disagree, {claim}",  # the stance an opener, as "No," (rev32c)
        f"I strongly agree, {claim}",
    ):
        assert not negates(label, text), text
    for text in (
        f"I doubt {claim}",
        f"I doubt that {claim}",
        f"A few doubt that {claim}",
        f"We have a little doubt that {claim}",
        f"We totally disagree that {claim}",
        f"We strongly disagree, {negated}",
        f"Without doubt, {negated}",
        f"Without a doubt, in our view, {negated}",
        f"Certainly, {negated}",
    ):
        assert negates(label, text), text
    assert claim_words(f"We strongly disagree, {negated}")[1] == negated
