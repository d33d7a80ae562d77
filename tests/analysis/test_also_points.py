"""Big other points named beside the theme holding them (analysis.also_points; smoke18r
finding 3)."""

from analysis.also_points import ALSO_OPENING, also_in_group, also_points, also_sides


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
    long = " ".join(f"word{i}" for i in range(21)) + "."  # 21: cut (20 are quoted whole)
    theme = {"summary": [point(long, 30), *(point(f"Point {i}.", 20 - i) for i in range(4))]}
    said = also_in_group(theme, 184)
    assert said.count("“") == 3
    assert "word13 …” (about 30)" in said


ADVISORY = "An advisory role is sensible, but final decisions should rest with elected leaders."


def test_a_point_from_answers_on_the_other_side_is_marked_as_such() -> None:
    """issue 12 (grab26): a point named beside a theme, made by answers on the side opposite
    to most of its group's, reads as the theme saying both; it says where it comes from."""
    theme = {
        "label": "A formal role would give chambers and employers a real voice",
        "label_point": 30,
        "stance": {"for": 63, "against": 7, "mixed": 14, "unclear": 0},
        "summary": [point(ADVISORY, 33) | {"stance": "against"}, point(EXPORT, 20)],
    }
    assert also_sides(theme, 184) == [(ADVISORY, 33, "against"), (EXPORT, 20, "")]
    assert also_in_group(theme, 184) == (
        f"{ALSO_OPENING}“An advisory role is sensible, but final decisions should rest with "
        "elected leaders” (about 33; from answers against, where this group leans for); "
        "“Support exporters to find new markets after the loss of European customers” "
        "(about 20)."
    )
    # uncounted (the fast engine): the mark alone
    theme["summary"][0] = point(ADVISORY, ids=16) | {"stance": "against"}
    assert "leaders” (from answers against, where this group leans for)" in (
        also_in_group(theme, 184)
    )


def test_a_point_on_the_groups_own_side_or_a_group_without_a_lean_is_not_marked() -> None:
    same = point(ADVISORY, 33) | {"stance": "for"}
    neither = point(ADVISORY, 33) | {"stance": "mixed"}
    leaning = {"for": 63, "against": 7, "mixed": 14, "unclear": 0}
    divided = {"for": 30, "against": 20, "mixed": 10, "unclear": 0}
    for summary, stance in (
        ([same], leaning),
        ([neither], leaning),
        ([point(ADVISORY, 33)], leaning),  # stance not measured: the point has none
        ([point(ADVISORY, 33) | {"stance": "against"}], divided),  # no side to oppose
        ([point(ADVISORY, 33) | {"stance": "against"}], {}),
    ):
        theme = {"label_point": 30, "stance": stance, "summary": summary}
        assert also_sides(theme, 184) == [(ADVISORY, 33, "")]
        assert also_in_group(theme, 184).endswith("leaders” (about 33).")
    against = {"for": 2, "against": 40, "mixed": 3, "unclear": 0}
    theme = {"label_point": 30, "stance": against, "summary": [same]}
    assert also_sides(theme, 184) == [(ADVISORY, 33, "for")]
