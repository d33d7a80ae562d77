"""Big other points named beside the theme holding them (analysis.also_points; smoke18r
finding 3)."""

from analysis.also_points import ALSO_OPENING, also_in_group, also_points


def point(text: str, answers: int | None = None, ids: int = 0) -> dict:
    found = {"id": "R1", "text": text, "ids": [f"R{i}" for i in range(ids)]}
    if answers is not None:
        found["answers"] = answers
    return found


EXPORT = "Support exporters to find new markets after the loss of European customers."


def test_a_point_made_by_many_answers_is_named_with_its_count() -> None:
    theme = {
        "label": "Use public procurement to buy from local small businesses",
        "label_point": 27,
        "summary": [point("Councils should split big contracts.", 9), point(EXPORT, 20)],
    }
    assert also_points(theme, 184) == [(EXPORT, 20)]
    assert also_in_group(theme, 184) == (
        f"{ALSO_OPENING}“Support exporters to find new markets after the loss of European "
        "customers” (about 20)."
    )


def test_a_point_about_as_common_as_the_label_is_named() -> None:
    theme = {"label_point": 10, "summary": [point("Franchise the buses across the region.", 8)]}
    assert also_points(theme, 184) == [("Franchise the buses across the region.", 8)]
    theme["label_point"] = 11  # 8 is less than 0.8 of 11 and fewer than 15
    assert also_points(theme, 184) == []


def test_uncounted_points_use_the_answers_listed_and_print_no_count() -> None:
    theme = {"label_point": None, "summary": [point(EXPORT, ids=15), point("Other.", ids=14)]}
    assert also_points(theme, 184) == [(EXPORT, None)]
    assert also_in_group(theme, 184).endswith("customers”.")


def test_notes_small_points_and_large_bases_name_nothing() -> None:
    note = point("This theme makes one point of its own ...", ids=40) | {"only_point": True}
    assert also_in_group({"summary": [note]}, 184) == ""
    assert also_in_group({"summary": [point(EXPORT, 16)]}, 5000) == ""  # under 5 % of 5,000
    assert also_in_group({"summary": []}, 184) == ""


def test_long_points_are_cut_and_at_most_three_named() -> None:
    long = " ".join(f"word{i}" for i in range(20)) + "."
    theme = {"summary": [point(long, 30), *(point(f"Point {i}.", 20 - i) for i in range(4))]}
    said = also_in_group(theme, 184)
    assert said.count("“") == 3
    assert "word13 …” (about 30)" in said
