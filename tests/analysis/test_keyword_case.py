"""Keywords in the case the answers write them (analysis.keyword_case)."""

from analysis.keyword_case import as_written, keywords_as_written


def test_places_bodies_and_acronyms_take_the_answers_case():
    texts = [
        "Too much research money goes to Oxford, Cambridge and London.",
        "Hold a cross-party meeting of the region's MPs every term.",
        "Our officers spend months each year writing bids to Whitehall.",
        "Businesses create the jobs, so the Regional Business Council should shape spending.",
        "Invest around Coventry and London.",
    ]
    assert keywords_as_written(
        ["london", "mps", "whitehall", "regional business council", "coventry"], texts
    ) == ["London", "MPs", "Whitehall", "Regional Business Council", "Coventry"]


def test_a_capital_at_the_start_of_a_sentence_says_nothing():
    texts = [
        "Housing affordability is the biggest issue. Housing costs too much.",
        "We think: Housing matters.",
        "Buses are late; Buses are full.",
    ]
    assert as_written("housing", texts) == "housing"
    assert as_written("buses", texts) == "buses"


def test_lower_case_wins_a_tie_and_answers_in_capitals_do_not_count():
    texts = [
        "the staff were kind and the Staff were quick",
        "THE STAFF AT THE WARD WERE RUDE TO MY MOTHER",
        "I thank the STAFF for their help.",
    ]
    assert as_written("staff", texts) == "staff"
    assert as_written("ward", texts) == "ward"


def test_curly_apostrophes_hyphens_and_missing_keywords():
    texts = ["We need the Black Country’s firms at the table and more start-ups in Walsall."]
    assert as_written("black country's", texts) == "Black Country's"
    assert as_written("start-ups", texts) == "start-ups"
    assert as_written("gigafactory", texts) == "gigafactory"
    assert as_written("walsall", []) == "walsall"


def test_a_part_of_a_longer_name_is_shown_as_that_name_once():
    texts = [
        "Work with the Department for Work and Pensions on employment support.",
        "Above all, work with the Department for Work and Pensions on jobs.",
        "Department for Work and Pensions staff should sit with ours.",
        "Too much research money goes to Oxford, Cambridge and London.",
        "Research money goes to Oxford, Cambridge and London, not here.",
    ]
    shown = keywords_as_written(
        ["employment support", "work", "department", "pensions", "london", "cambridge"], texts
    )
    # one name, where its first part stood; "work" and "pensions" are inside it
    assert shown == [
        "employment support",
        "Department for Work and Pensions",
        "London",
        "Cambridge",
    ]


def test_a_name_used_alone_as_often_stays_as_it_is():
    texts = [
        "The Council should publish its plans.",
        "We asked the Council to meet the Council Leader.",
        "Ask the Council first.",
    ]
    assert keywords_as_written(["council"], texts) == ["Council"]
