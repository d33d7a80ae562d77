"""smoke27 finding: "Also in this group" cut each point to 14 words, so a point of 15 to 18
words lost a word or a few and its sense with them: the demo's Q6 (fast) read “Firms that pay
business rates should have a say in how the growth money …” (two words short of "… is
invested") and “Charities and social enterprises deliver many of the services this money pays
for and …” (five short of "… should be at the table"). A cut now leaves out at least seven
words: a point of up to 20 words is quoted whole; a longer one is cut to 14 as before."""

from analysis.also_points import also_sentence

FIRMS = "Firms that pay business rates should have a say in how the growth money is invested."
CHARITIES = (
    "Charities and social enterprises deliver many of the services this money pays for and "
    "should be at the table."
)


def test_a_point_a_few_words_over_is_quoted_whole():
    assert also_sentence([(FIRMS, None)]) == (
        "Also in this group: “Firms that pay business rates should have a say in how the growth "
        "money is invested”."
    )
    assert also_sentence([(CHARITIES, 12)]) == (
        "Also in this group: “Charities and social enterprises deliver many of the services this "
        "money pays for and should be at the table” (about 12)."
    )


def test_a_long_point_is_still_cut_to_fourteen_words():
    twenty = " ".join(f"word{i}" for i in range(20)) + "."
    assert also_sentence([(twenty, 3)]) == (
        "Also in this group: “" + " ".join(f"word{i}" for i in range(20)) + "” (about 3)."
    )
    twenty_one = " ".join(f"word{i}" for i in range(21)) + "."
    assert also_sentence([(twenty_one, 3)]) == (
        "Also in this group: “" + " ".join(f"word{i}" for i in range(14)) + " …” (about 3)."
    )
