"""Labels and keywords are tidied for display (a stray capital I inside a word, a
transcriber's "<?>"), without changing what they say; quotes and summary sentences stay in
the respondent's exact words."""

from __future__ import annotations

from analysis import ThemeModel
from analysis.tidy import has_placeholder, odd_capitals, placeholders, tidy_keywords, tidy_text


def test_a_stray_capital_i_inside_a_word_is_given_in_lower_case():
    assert (
        odd_capitals("EverythIng was explaIned very well") == "Everything was explained very well"
    )
    assert (
        odd_capitals("Happy wIth all care gIven by staff") == "Happy with all care given by staff"
    )
    assert odd_capitals("sIngIng NeIl DIamond") == "singing Neil Diamond"
    # The same slip's mid-sentence "It", "Is" are mended too, not a sentence's first word.
    fixed = odd_capitals("beIng here has made It more bearable. It Is kInd")
    assert fixed == "being here has made it more bearable. It is kind"
    assert (
        odd_capitals("Could have not been In better care") == "Could have not been in better care"
    )
    assert odd_capitals("It Is good") == "It is good"


def test_other_capitals_are_left_as_written():
    for text in (
        "MRI and ICU staff, WiFi, FaceTime, McIntosh",
        "I'm happy and I've said so. It was fine",
        "In Ireland with Ian",
    ):
        assert odd_capitals(text) == text


def test_placeholders_read_as_an_editors_brackets():
    assert placeholders("my <?> machine and my Precalin<?>.") == (
        "my [unreadable] machine and my Precalin[unreadable]."
    )
    assert placeholders("<?unreadable 2 words> nurse") == "[unreadable] nurse"
    assert placeholders("a nurse <informing?> me") == "a nurse [informing?] me"
    assert placeholders("<COMMENT TRUNCATED>") == "[comment truncated]"
    assert placeholders("a < b and c > d") == "a < b and c > d"
    assert has_placeholder("my <?> machine") and not has_placeholder("a < b > c")


def test_tidy_text_is_stable_and_keywords_are_said_once():
    text = "EverythIng <?> fIne"
    assert tidy_text(text) == "Everything [unreadable] fine"
    assert tidy_text(tidy_text(text)) == tidy_text(text)
    assert tidy_keywords(["servIce", "service", "wIth staff"]) == ["service", "with staff"]


def test_themes_show_tidy_labels_and_keywords_but_verbatim_quotes():
    texts = []
    for i in range(30):
        texts.append(f"The staff were kInd and explaIned everythIng about the servIce {i}.")
        texts.append(f"Parking at the hospital costs far too much for visitors, ward {i}.")
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts)
    shown = [theme["label"] for theme in model.themes_]
    shown += [k for theme in model.themes_ for k in theme["keywords"]]
    assert not any(odd_capitals(s) != s for s in shown), shown
    assert any("explained" in s or "kind" in s or "service" in s for s in shown), shown
    for quote in (q for theme in model.themes_ for q in theme["quotes"]):
        assert quote["text"] == texts[int(quote["id"]) - 1]
    again = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts)
    assert [t["label"] for t in again.themes_] == [t["label"] for t in model.themes_]
