"""Cleaning: normalising, masking personal data, non-substantive answers, duplicates."""

from __future__ import annotations

import random

import numpy as np
import pytest

from analysis.clean import (
    clean_texts,
    find_duplicates,
    is_non_substantive,
    is_sign_off,
    mask_personal_data,
    near_duplicate_pairs,
    normalise,
)


def test_normalise_unicode_and_whitespace():
    assert normalise("  Caf\u00e9\u00a0 \u201cquoted\u201d\n\n text\u200b ") == 'Café "quoted" text'
    assert normalise(None) == ""


@pytest.mark.parametrize(
    "text",
    [
        "می\u200cخواهم",  # Persian: "I want", its prefix held apart by a non-joiner
        "👨\u200d👩\u200d👧 family",  # one emoji, a family, joined by two joiners
        "🏳\ufe0f\u200d🌈",  # a flag: after an emoji's variation selector
        "👩🏽\u200d💻",  # after a skin tone
        "क्\u200dष",  # Devanagari: after a virama
    ],
)
def test_normalise_keeps_joiners_inside_words_and_emoji(text):
    assert normalise(text) == text


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("\u200dstart end\u200c", "start end"),  # at either edge
        ("a \u200d b", "a b"),  # beside spaces
        ("word\u200c. next", "word. next"),  # before punctuation
        ("a\u200c\u200cb", "ab"),  # two in a row join nothing
        # Between Latin letters or digits a joiner joins nothing: a hidden mark in a word
        # (a campaign's watermarked copy) must not make it another word.
        ("Stop the clo\u200dsure of Ward 7", "Stop the closure of Ward 7"),
        ("caf\u00e9\u200cs and 7\u200d8", "caf\u00e9s and 78"),
        # Direction controls still go, beside a joiner too: it is then left joining nothing.
        ("Fares\u202e eert\u202c are\u2066 high\u2069", "Fares eert are high"),
        ("a\u200d\u202eb", "ab"),
    ],
)
def test_normalise_drops_joiners_that_join_nothing(text, normalised):
    assert normalise(text) == normalised


@pytest.mark.parametrize(
    ("text", "masked", "kind"),
    [
        ("Write to jo.bloggs@example.co.uk today", "Write to [email] today", "email"),
        ("Call 0121 496 0000 please", "Call [phone] please", "phone"),
        ("Mobile +44 7700 900123.", "Mobile [phone].", "phone"),
        ("We are at B1 1AA in town", "We are at [postcode] in town", "postcode"),
        ("See https://example.org/plan.", "See [url].", "url"),
        ("My name is Jane Smith and I run a shop", "My name is [name] and I run a shop", "name"),
        (
            "Thanks for asking. Kind regards, John Smith",
            "Thanks for asking. Kind regards, [name]",
            "name",
        ),
        ("Speak to Cllr Patel about it", "Speak to [name] about it", "name"),
    ],
)
def test_personal_data_is_masked_and_counted(text, masked, kind):
    result, counts = mask_personal_data(text)
    assert result == masked
    assert counts[kind] >= 1


def test_ordinary_text_is_left_alone():
    text = "The bus service at 8am costs 2 pounds and runs 10 times a day."
    assert mask_personal_data(text) == (text, {})


@pytest.mark.parametrize(
    "text",
    [
        "",
        "n/a",
        "N/A",
        "No comment",
        "no comments.",
        "Nothing",
        "nothing at all",
        "See above",
        "as above",
        "-",
        "...",
        "Can't think of anything",
        "no, nothing really",
    ],
)
def test_non_substantive(text):
    assert is_non_substantive(text)


@pytest.mark.parametrize(
    "text", ["Buses are late", "Nothing works on the trains", "No more road closures please"]
)
def test_substantive(text):
    assert not is_non_substantive(text)


@pytest.mark.parametrize(
    "text",
    [
        "Overall, no further comments in Coventry.",
        "We think n/a for our members.",
        "Honestly, thank you for the chance to respond in Walsall.",
        "In our view, no further comments across the Black Country.",
        "As a partner, we believe n/a in Birmingham and Solihull.",
        "Our members feel that no further comments for young people in particular.",
        "Nothing further to add at this stage.",
        "Thank you for the opportunity to comment.",
        "Overall, n/a over the next five years. Honestly, thank you for the chance to respond.",
    ],
)
def test_filler_in_a_sentence_is_not_substantive(text):
    """A policy officer reads these as 'nothing to say': they must not form a theme."""
    assert is_non_substantive(text)


@pytest.mark.parametrize(
    "text",
    [
        "No comment on fares, but buses are late",
        "No further comments. Buses are late.",
        "From our experience, n/a for young people in particular. Buses are late.",
        "N/A for housing but we need more buses",
        "Buses are late in Coventry",
        "Thank you for listening to businesses on energy costs",
        "No comment on HS2 but the trams must run later",
        "We think the deal should invest in Coventry",
        "No, thank you to all staff on B3.",
    ],
)
def test_filler_beside_a_point_is_substantive(text):
    assert not is_non_substantive(text)


def test_exact_and_near_duplicates_make_campaigns():
    template = (
        "As members of the Chamber we ask that the Regional Business Council is given "
        "a formal role in deciding how funding is spent"
    )
    texts = [
        template,
        template + ".",
        template.replace("funding", "deal funding"),
        "Good",
        "good!",
        "Something quite different about housing costs",
    ]
    found = find_duplicates(texts)
    assert found.group[0] == found.group[1] == found.group[2] >= 0
    assert found.campaign[:3] == [True, True, True]
    assert found.group[3] == found.group[4] >= 0 and not found.campaign[3]
    assert found.group[5] == -1
    assert found.campaign_count == 1 and found.campaign_responses == 3


def test_clean_texts_reports_counts():
    cleaned = clean_texts(["Email me: a@b.org", "n/a", "Buses"])
    assert cleaned.texts[0] == "Email me: [email]"
    assert cleaned.pii_counts["email"] == 1 and cleaned.pii_rows[0] == ["email"]
    assert cleaned.non_substantive == [False, True, False]


@pytest.mark.parametrize(
    "text",
    [
        "Signed on behalf of Dudley Chamber of Commerce.",
        "Submitted on behalf of the Black Country Consortium",
        "Kind regards, Jo Bloggs",
        "Yours sincerely",
    ],
)
def test_a_sign_off_says_nothing_to_theme(text):
    assert is_sign_off(text)
    assert is_non_substantive(text)


@pytest.mark.parametrize(
    "text",
    [
        "On behalf of our members, we think buses should be cheaper.",
        "On behalf of our members we want cheaper buses",
        "On behalf of our members, we urge the council to fund buses.",
        "Buses are late. Signed on behalf of Walsall Council.",
    ],
)
def test_a_statement_made_on_behalf_of_others_is_kept(text):
    assert not is_non_substantive(text)


def test_a_forms_field_and_its_yes_or_no_is_a_note_not_a_point():
    """smoke9 finding 14: "Rang pt before vIsIt: Yes" was shown as a summary point."""
    from analysis.clean import is_form_note
    from analysis.describe import _summary_candidates

    assert is_form_note("Rang pt before vIsIt: Yes")
    assert is_form_note("Consent given - N/A.")
    assert is_form_note("Leaflet given: no")
    assert not is_form_note("Yes: the staff were kind.")
    assert not is_form_note("Staff were kind: yes they were.")
    assert not is_form_note("Would be more motivated to carry on exercises.")
    texts = ["Rang pt before visit: Yes. The physio was very helpful with my knee."]
    found = _summary_candidates([0], np.ones(1), texts, ["a"], 5)
    assert [sentence for _, sentence in found] == ["The physio was very helpful with my knee."]


def test_a_campaigns_copies_with_their_own_signature_line_are_all_found():
    # smoke14: the demo chamber's campaign, 14 copies each signed by a different member, was
    # reported as 12: MinHash's linear hash let one small shingle win most permutations, so
    # two copies 85% alike agreed on a fifth of their signatures and were never compared.
    text = (
        "As members of the Black Country Chamber we ask that the Regional Business Council "
        "is given a formal role in deciding how deal funding is spent, and that small firms "
        "get help with energy costs and business rates."
    )
    signers = [
        "Arden Creative LLP",
        "Arden Digital Ltd",
        "Birmingham Retail Association",
        "Brindley Build Ltd",
        "Brindley Creative Ltd",
        "Dudley Chamber of Commerce",
        "Severn Foods LLP",
        "Tame Care plc",
    ]
    texts = [text, *(f"{text} Signed on behalf of {signer}." for signer in signers)]
    found = find_duplicates([*texts, "Buses are late in Coventry"])
    assert found.campaign == [True] * len(texts) + [False]
    assert found.campaign_count == 1


def test_near_duplicate_pairs_find_pairs_as_alike_as_their_jaccard_says():
    # Random 40-word texts, each with a copy two words apart (3-shingle Jaccard 0.73 or
    # more): the banding makes such a pair a candidate nearly always (P > 0.99 at 0.73).
    rng = random.Random(3)
    vocabulary = [f"word{i}" for i in range(500)]
    keys, pairs = [], 0
    for _ in range(40):
        words = [rng.choice(vocabulary) for _ in range(40)]
        changed = list(words)
        for position in rng.sample(range(40), 2):
            changed[position] = rng.choice(vocabulary)
        keys += [" ".join(words), " ".join(changed)]
        pairs += 1
    found = set(near_duplicate_pairs(keys))
    assert sum((i, i + 1) in found for i in range(0, len(keys), 2)) >= pairs - 1
