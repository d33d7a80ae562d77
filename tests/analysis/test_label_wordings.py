"""A summary sentence the label's count took for its point is not listed as another point
(count30).

smoke29 read "All 45 answers mentioning it make the label's own point" beside "Other points
its answers make: Jobcentres and the combined authority should run one employment service for
young people, not two (about 22 of the 45)": the count had read that sentence as the label's
point in other words (count27's aliases), the summary still listed it. The count now says
which summary sentences it read as the label's point, and the run leaves them out.
"""

from __future__ import annotations

from analysis.label_points import (
    LABEL_WORDINGS_NOTE,
    label_point_counts,
    label_point_reading,
    without_label_wordings,
)
from tests.analysis.test_label_aliases import LABEL, RIVALS, TEXTS, embed


def test_the_reading_names_the_rival_taken_for_the_label_and_counts_as_before():
    mentions = [list(range(len(TEXTS)))]
    counts, wordings = label_point_reading([LABEL], mentions, TEXTS, embed, rivals=RIVALS)
    assert counts == label_point_counts([LABEL], mentions, TEXTS, embed, rivals=RIVALS) == [12]
    assert wordings == [["Put on extra coaches."]]  # coaches; not homes, beside buses


def test_no_wordings_without_aliases_or_rivals():
    mentions = [list(range(len(TEXTS)))]
    _, wordings = label_point_reading([LABEL], mentions, TEXTS, embed, rivals=RIVALS, aliases=False)
    assert wordings == [[]]
    assert label_point_reading([LABEL], mentions, TEXTS, embed)[1] == [[]]
    assert label_point_reading([], [], TEXTS, embed, rivals=RIVALS) == ([], [])


def test_a_rival_saying_the_label_again_is_a_wording_of_that_label_only():
    labels = [LABEL, "Fund skills courses for adults"]
    rivals = ["Run more buses please.", "Build more homes."]
    mentions = [list(range(len(TEXTS))), list(range(len(TEXTS)))]
    _, wordings = label_point_reading(labels, mentions, TEXTS, embed, rivals=rivals)
    assert wordings[0] == ["Run more buses please."]  # cosine 1 with the buses label
    assert "Run more buses please." not in wordings[1]


def test_the_summary_leaves_out_the_wordings_and_keeps_the_rest_and_the_note():
    summary = [
        {"id": "R1", "text": "Put on extra coaches.", "answers": 6},
        {"id": "R2", "text": "Build more homes.", "answers": 6},
    ]
    assert without_label_wordings(summary, ["Put on extra coaches."]) == [summary[1]]
    assert without_label_wordings(summary, []) == summary
    note = {"id": "R3", "text": "This theme makes one point only; ...", "only_point": True}
    assert without_label_wordings([note], [note["text"]]) == [note]


def test_a_reviewers_recount_leaves_the_wording_out_after_counting_it():
    """:func:`analysis.group._counted` (a merged or split theme): the label's count takes
    the coaches answers and the summary keeps only the other point, counted as before."""
    import numpy as np

    from analysis.group import _counted

    summary = [
        {"id": "R3", "text": "Put on extra coaches."},
        {"id": "R0", "text": "Build more homes."},
    ]
    ids = [f"R{i}" for i in range(len(TEXTS))]
    weight = np.ones(len(TEXTS), dtype=np.int64)
    assert _counted(LABEL, summary, list(TEXTS), ids, weight, embed) == 12
    assert [s["text"] for s in summary] == ["Build more homes."]
    assert summary[0]["answers"] == 6  # the homes answers, as counted beside the coaches


def test_whole_counts_an_answer_making_many_points_only_when_its_whole_is_close():
    """``whole`` (count30, an option, off): an answer of three points none of which makes
    the label's point, whose blended whole vector is near the label, no longer counts."""
    import numpy as np

    label = "Run more buses"
    answer = "Fund skills courses today. Build more homes now. Plant more trees here."

    def blend(texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), 5))
        for row, text in enumerate(texts):
            if text in (label, answer):
                rows[row, 0] = 1.0  # the whole answer's blend sits on the label
            else:
                rows[row, 1 + sum(map(ord, text)) % 4] = 1.0
        return rows

    counted = label_point_counts([label], [[0]], [answer], blend, rivals=["Other."])
    assert counted == [1]
    off = label_point_counts([label], [[0]], [answer], blend, rivals=["Other."], whole=(1.5, 3))
    assert off == [0]
    kept = label_point_counts([label], [[0]], [answer], blend, rivals=["Other."], whole=(1.5, 4))
    assert kept == [1]  # only answers making 4 or more points are read so


def test_alias_expected_lowers_the_evidence_an_alias_needs():
    """Independence expects 2 answers with both: too few at the default 3, enough at 2."""
    texts = TEXTS[:2] + TEXTS[3:5] + TEXTS[6:8] + TEXTS[9:11]
    mentions = [list(range(len(texts)))]
    assert label_point_counts([LABEL], mentions, texts, embed, rivals=RIVALS) == [4]
    found = label_point_counts([LABEL], mentions, texts, embed, rivals=RIVALS, alias_expected=2)
    assert found == [8]


def test_a_merged_parts_point_stays_in_the_summary_though_the_count_reads_it_as_the_label(
    monkeypatch,
):
    """review30: a merge keeps each merged part's main point in its summary
    (:func:`analysis.group._count_points`' ``points``, "kept" beyond the summary's limit;
    :func:`consult.reports.merging.describe_members`). The coaches part is never said beside
    the buses label, so the label's count reads it as its point in other words (count27); the
    recount's count30 removal then dropped the part the reviewer merged in, leaving the
    merged theme with one part's point only."""
    from analysis import group

    run = _merge_run(monkeypatch)
    theme = {"label": LABEL, "summary": [{"id": "R0", "text": "Build more homes."}]}
    parts = [LABEL, "Put on extra coaches"]
    assert group._count_points(run, theme, parts, []) == 12  # the coaches' answers, as before
    said = [s["text"] for s in theme["summary"]]
    assert "Put on extra coaches at night." in said, said
    assert "Build more homes." in said


def test_the_other_sides_point_stays_though_the_count_reads_it_as_the_label():
    # the CI failure the lead met (test_stance_summaries): "should not be subsidised", said by
    # the answers against, was left out as the label's "should be subsidised" in other words
    summary = [
        {"text": "Courses should be subsidised.", "stance": "for", "ids": ["a", "b", "c"]},
        {"text": "Courses should not be subsidised.", "stance": "against", "ids": ["d"]},
        {"text": "Subsidies help people into trades.", "stance": "for", "ids": ["e"]},
        {"text": "Some like it, some do not.", "stance": "mixed", "ids": ["f"]},
    ]
    wordings = [s["text"] for s in summary]
    kept = [s["text"] for s in without_label_wordings(summary, wordings)]
    assert kept == ["Courses should not be subsidised."]  # the label's side: by its answers
    against = without_label_wordings(summary, wordings, side="against")
    assert [s["text"] for s in against] == [
        "Courses should be subsidised.",
        "Subsidies help people into trades.",
    ]
    # without stance (or on a tie) every wording goes, as before, and the note says why (read34)
    plain = [{k: v for k, v in s.items() if k != "stance"} for s in summary]
    assert [s["text"] for s in without_label_wordings(plain, wordings)] == [LABEL_WORDINGS_NOTE]


def _stand_in_semantic_engine(monkeypatch) -> None:
    """:func:`analysis.group.count_points` with the stand-in vectors as the semantic engine's
    (MiniLM and no coding encoder)."""
    from types import SimpleNamespace

    from analysis import coding_encoder, embeddings

    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(
        embeddings, "MiniLMEmbedder", lambda threads=1: SimpleNamespace(embed=embed)
    )
    monkeypatch.setattr(coding_encoder, "encoder_embed", lambda *args, **kwargs: None)


def test_a_later_recount_of_a_merged_theme_keeps_its_parts_points(monkeypatch):
    """count31 (review30's left fault): a move or rename counts a merged theme again
    (:func:`analysis.group.count_points`) from its stored summary, without the merge's
    parts; the coaches part, read by the label's count as the buses label's point in other
    words, was then left out. The merge marks the point it added (``merged_part``), stored
    with the summary, and every later recount keeps it."""
    import json

    from analysis import group

    _stand_in_semantic_engine(monkeypatch)
    summary = [
        {"id": "R0", "text": "Build more homes."},
        {"id": "R3", "text": "Put on extra coaches at night.", group.MERGED_PART: True},
    ]
    stored = json.loads(json.dumps(summary))  # as the web app stores a theme's summary
    ids = [f"R{i}" for i in range(len(TEXTS))]
    count, after = group.count_points(LABEL, stored, list(TEXTS), ids, "semantic")
    assert count == 12  # the coaches answers counted for the label, as before
    assert sorted(s["text"] for s in after) == [
        "Build more homes.",
        "Put on extra coaches at night.",
    ]
    # the same point not marked (a summary sentence of the theme's own) leaves, as count30
    plain = [{k: v for k, v in s.items() if k != group.MERGED_PART} for s in summary]
    _, left = group.count_points(LABEL, plain, list(TEXTS), ids, "semantic")
    assert [s["text"] for s in left] == ["Build more homes."]


def test_the_merge_marks_the_parts_point_it_adds(monkeypatch):
    """What the merge stores: the part's point it added carries ``merged_part``; the theme's
    own summary sentences do not."""
    from analysis import group

    run = _merge_run(monkeypatch)
    theme = {"label": LABEL, "summary": [{"id": "R0", "text": "Build more homes."}]}
    group._count_points(run, theme, [LABEL, "Put on extra coaches"], [])
    marked = {s["text"]: bool(s.get(group.MERGED_PART)) for s in theme["summary"]}
    assert marked == {"Put on extra coaches at night.": True, "Build more homes.": False}


def _merge_run(monkeypatch):
    """A merge's fit standing in for :class:`analysis.stages.FitRun`: ``TEXTS`` as its
    distinct answers, every one in the merged theme, no stance; the stand-in vectors."""
    from types import SimpleNamespace

    import numpy as np

    from analysis import stages

    monkeypatch.setattr(stages, "_sentence_embedder", lambda representation: embed)
    monkeypatch.setattr(stages, "_label_point_embedder", lambda representation: None)
    monkeypatch.setattr(stages, "_rows_per_rep", lambda run: np.ones(len(TEXTS), dtype=int))
    return SimpleNamespace(
        representation=None,
        member=SimpleNamespace(themes=[{0}] * len(TEXTS)),
        rep_texts=list(TEXTS),
        ids=[f"R{i}" for i in range(len(TEXTS))],
        rep_rows=list(range(len(TEXTS))),
        stances=["not coded"] * len(TEXTS),
        stance_measured=False,
    )


def test_the_fast_engine_reads_an_answer_making_three_points_whole_only_when_close():
    """count32 adopted ``whole`` for the fast engine (:data:`STATIC_CHECK`, 0.65 from three
    points): the demo's Q8 catch-all "Simplify access to finance ..." counted answers making
    three other points by their blended whole vector (54 of 101, truth 38; now 36). An answer
    making one or two points is read whole as before."""
    import numpy as np

    from analysis.label_points import STATIC_CHECK

    assert STATIC_CHECK["whole"] == (0.65, 3)
    label = "Run more buses"
    # long enough that closeness alone decides (analysis.label_points.SHORT)
    skills = "Fund skills courses for adults who left school early in every town."
    homes = "Build more homes for young families near the new tram and rail lines."
    trees = "Plant more trees along the canal paths and in the older parks here."
    three, two = f"{skills} {homes} {trees}", f"{skills} {homes}"

    def blend(texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), 3))
        for row, text in enumerate(texts):
            if text == label:
                rows[row, 0] = 1.0
            elif text in (three, two):  # the whole's blend, 0.6 from the label
                rows[row] = [0.6, 0.8, 0.0]
            else:  # each point on its own: far from the label
                rows[row] = [0.1, 0.0, 0.995]
        return rows

    check = dict(STATIC_CHECK)
    found = label_point_counts([label], [[0, 1]], [three, two], blend, rivals=["Other."], **check)
    assert found == [1]  # the two-point answer; not the three-point one
    check["whole"] = None  # the count before count32
    found = label_point_counts([label], [[0, 1]], [three, two], blend, rivals=["Other."], **check)
    assert found == [2]
