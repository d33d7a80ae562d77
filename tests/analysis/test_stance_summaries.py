"""With stance measured, a theme's label speaks for the side most of its answers took, and its
summary says whose each point is, hears both sides, and never counts an answer on one side
as making the other side's point."""

from __future__ import annotations

from analysis import ThemeModel

FOR = [
    "Vocational education should be subsidised because trade jobs are in demand.",
    "Subsidising vocational education helps people who cannot afford college.",
    "Vocational education should be subsidised so more young people learn a trade.",
    "Subsidised vocational courses fill the skills gaps employers have.",
]
AGAINST = [
    "Vocational education should not be subsidised because employers should pay for training.",
    "Subsidising vocational education wastes public money that schools need.",
]
HOUSING = [
    "Build more affordable homes near the new rail stations.",
    "Housing costs are too high for young families in the region.",
    "Affordable housing should come before new office blocks.",
]


def _data() -> tuple[list[str], list[str], list[str]]:
    texts, agreement = [], []
    for round_ in range(6):
        for text in FOR:
            texts.append(f"{text} We said so in round {round_}.")
            agreement.append("agree")
        for text in AGAINST[: 1 + round_ % 2]:
            texts.append(f"{text} We said so in round {round_}.")
            agreement.append("disagree")
        for text in HOUSING:
            texts.append(f"{text} We said so in round {round_}.")
            agreement.append("neither")
    ids = [f"r{i}" for i in range(len(texts))]
    return texts, ids, agreement


def test_summary_sentences_say_whose_point_and_hear_both_sides():
    texts, ids, agreement = _data()
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts, ids=ids, agreement=agreement)
    side_of = {
        i: "for" if a == "agree" else "against" if a == "disagree" else "mixed"
        for i, a in zip(ids, agreement, strict=True)
    }
    assert model.summary_["stance_measured"]
    subsidy = next(t for t in model.themes_ if "ubsidi" in t["label"])
    sides = {s["stance"] for s in subsidy["summary"]}
    assert {"for", "against"} <= sides, subsidy["summary"]
    for sentence in subsidy["summary"]:
        # every answer a sentence stands for took the sentence's side
        assert {side_of[i] for i in sentence["ids"]} == {sentence["stance"]}, sentence
    # the label speaks for the side most of the theme's answers took
    assert "not" not in subsidy["label"].lower() and "wastes" not in subsidy["label"].lower()


def test_without_stance_summaries_carry_no_stance():
    texts, ids, _ = _data()
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts, ids=ids)
    assert not model.summary_["stance_measured"]
    assert all("stance" not in s for t in model.themes_ for s in t["summary"])


def test_cli_report_marks_every_side_as_the_workspace_does():
    """The CLI report writes "Neither:" before a mixed-stance point, as the workspace does
    (it wrote only "For:" and "Against:", so a mixed point looked like nobody's)."""
    from bs4 import BeautifulSoup

    from analysis.output import themes_document
    from analysis.report import render_report
    from consult.reports.wording import stance_label

    texts, ids, agreement = _data()
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts, ids=ids, agreement=agreement)
    document = themes_document(model)
    points = [point for theme in document["themes"] for point in theme["summary"]]
    for point, side in zip(points, ["for", "against", "mixed"] * len(points), strict=False):
        point["stance"] = side
    summaries = [
        " ".join(h3.find_next("ul").get_text(" ").split())
        for h3 in BeautifulSoup(render_report(document), "html.parser").find_all("h3")
        if h3.get_text() == "Other points its answers make"
    ]
    marks = {side: f"{stance_label(side)}: " for side in ("for", "against", "mixed")}
    assert marks["mixed"] == "Neither: "
    written = " ".join(summaries)
    for point in points:
        assert f"{marks[point['stance']]}{point['text']}" in written
