"""A summary point's side tag ("For: ", "Against: ", "Neither: ") is true of the answers
counted as making it (side31): :func:`analysis.describe.counted_side`, applied where the
run, a reviewer's recount and a relabelled theme's old label count those answers."""

from __future__ import annotations

import pytest

from analysis import ThemeModel
from analysis.describe import counted_side
from analysis.embeddings import available

pytestmark = pytest.mark.coding_encoder


@pytest.mark.parametrize(
    ("side", "counts", "kept"),
    [
        # smoke31: semantic Q6 T01's point, 42 answers: 20 for, 14 neither, 8 against
        ("for", {"for": 20, "mixed": 14, "against": 8}, ""),
        ("for", {"for": 30, "mixed": 7, "against": 5}, "for"),
        ("against", {"against": 9, "for": 1}, "against"),
        ("for", {"for": 11, "against": 9}, ""),  # under 0.6 of those taking a side
        ("for", {"for": 5, "mixed": 5}, ""),  # not more than half of those counted
        ("mixed", {"mixed": 8, "for": 3, "against": 2}, "mixed"),
        ("mixed", {"mixed": 4, "for": 3, "against": 2}, ""),
        ("for", {"for": 1}, "for"),  # the quoted answer alone
        ("for", {"unclear": 4}, "for"),  # nothing to check it against
        ("unclear", {"for": 4}, "unclear"),
    ],
)
def test_a_side_is_kept_only_when_the_counted_answers_took_it(side, counts, kept):
    assert counted_side(side, counts) == kept


@pytest.fixture(scope="module")
def demo_why():
    """The demo's "Why do you say that?" after the business-role agreement (the third
    free-text question), as the workspace's analysis job reads it."""
    from bench.demo_report import demo_questions

    with demo_questions() as questions:
        wording, answers = list(questions)[2]
        yield wording, answers.texts, answers.references, answers.agreement


@pytest.mark.skipif(not available(), reason="needs the MiniLM sentence models")
def test_the_demo_point_both_sides_make_is_not_tagged_for(demo_why):
    """smoke31's walk: "For: An advisory role is sensible, but final decisions should rest
    with elected leaders" headed a point most of whose counted answers were neither or
    against; it is now untagged, and every point keeps a side only where its own answers
    (those it lists, all on one side) took it."""
    wording, texts, ids, agreement = demo_why
    model = ThemeModel(n_themes="auto", engine="semantic", seed=0)
    model.fit(texts, ids=ids, agreement=agreement, question=wording)
    side_of = dict(zip(ids, model.stance_, strict=True))
    points = [s for theme in model.themes_ for s in theme["summary"] if not s.get("only_point")]
    advisory = [s for s in points if s["text"].startswith("An advisory role is sensible")]
    assert advisory and all(s["stance"] == "" for s in advisory), advisory
    for point in points:
        if point["stance"] in ("for", "against", "mixed"):
            assert side_of[point["id"]] == point["stance"], point


def _recount(stances: list[str], stance: str) -> dict:
    """A reviewer's recount (:func:`analysis.group.count_points`) of one theme whose one other
    point, quoted from r0 with ``stance``, is said by six answers taking ``stances``."""
    from analysis.group import count_points

    said = [
        "Buses should run later at night.",
        "Buses should run later at night, after the late shifts end.",
        "Please make the buses run later at night.",
        "Buses really should run later at night.",
        "Later buses at night, please.",
        "The buses should run later into the night.",
    ]
    texts = [*said, "Cut bus fares for young people.", "Young people need cheaper fares."]
    ids = [f"r{i}" for i in range(len(texts))]
    point = {"id": "r0", "text": said[0], "ids": ["r0"], "stance": stance}
    _, summary = count_points(
        "Cut bus fares for young people",
        [point],
        texts,
        ids,
        "semantic",
        stances=[*stances, "for", "for"],
    )
    return summary[0]


@pytest.mark.skipif(not available(), reason="needs the MiniLM sentence models")
def test_a_recount_tags_a_point_by_the_answers_it_now_counts():
    """A recount reads the side of the answers it counts: a point the other side mostly
    makes loses its tag, one its own side makes keeps it, and one a recount left untagged
    takes its quoted answer's side again once its answers bear it out."""
    mostly_against = _recount(["for", "against", "against", "against", "mixed", "against"], "for")
    assert mostly_against["answers"] >= 4 and mostly_against["stance"] == ""
    assert _recount(["for"] * 5 + ["against"], "for")["stance"] == "for"
    assert _recount(["for"] * 5 + ["against"], "")["stance"] == "for"
