"""What a report shows of an answer (label, summary point, quote) keeps the answer's own
curly quotes, en and em dashes, ellipses and pound signs, though the analysis reads plain
ones; masked personal data stays masked."""

from __future__ import annotations

from analysis import ThemeModel
from analysis.typography import own_characters


def test_a_shown_string_takes_back_its_answers_quotes_and_dashes():
    answer = "The “tap and cap” scheme – fares of £4—£5 – can’t wait… Really."
    shown = 'The "tap and cap" scheme - fares of £4-£5 - can\'t wait...'
    assert (
        own_characters(shown, [answer]) == "The “tap and cap” scheme – fares of £4—£5 – can’t wait…"
    )
    # Case and spacing stay as shown (a summary sentence starts with a capital).
    assert own_characters("Can't wait", ["we can’t\u00a0 wait"]) == "Can’t wait"


def test_a_string_no_answer_holds_is_left_as_it_was():
    assert own_characters("Buses can't run", ["Trains can’t run"]) == "Buses can't run"
    assert own_characters("Buses can't run", []) == "Buses can't run"
    assert own_characters("No quotes here", ["No quotes here"]) == "No quotes here"
    # The first answer holding it gives its characters.
    found = own_characters("It's late", ["Nothing", "It's late", "It’s late"])
    assert found == "It's late"


def test_masked_personal_data_is_never_given_back():
    answer = "Call me on 07700 900123 – I’m free after six."
    shown = "Call me on [phone] - I'm free after six."
    masks = frozenset({"[phone]"})
    assert own_characters(shown, [answer], masks) == "Call me on [phone] – I’m free after six."


def test_themes_show_the_answers_own_characters():
    texts = []
    for i in range(30):
        texts.append(f"Fares of £4–£5 a trip are too high for “ordinary” families on route {i}.")
        texts.append(f"Rural buses stop at 6pm — shift workers can’t get home from site {i}.")
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts)
    shown = [theme["label"] for theme in model.themes_]
    shown += [s["text"] for theme in model.themes_ for s in theme["summary"]]
    shown += [q["text"] for theme in model.themes_ for q in theme["quotes"]]
    said = " ".join(shown)
    assert "–" in said and "—" in said and "’" in said and "£4" in said
    assert not any(plain in said for plain in ("£4-£5", "6pm - shift", "can't"))
    for quote in (q for theme in model.themes_ for q in theme["quotes"]):
        assert quote["text"] == texts[int(quote["id"]) - 1]
    # What the analysis read is unchanged: plain characters.
    assert "can't" in model.texts_[1]
