"""bench.dup_themes' truth and tallies (dup32): two themes make one point when the point most
of each one's members make is the same; a run's own hints are counted once per pair; the
switch on and off must leave the grouping as it was."""

import json

import numpy as np

from analysis.alike import label_similarity
from bench.dup_themes import (
    centroid_hints,
    centroid_table,
    compare,
    hinted_pairs,
    label_side_hints,
    label_side_table,
    mutual_nearest,
    pair_counts,
    run_nmi,
    theme_point,
)


def _record(alike_first: list[dict], members=None) -> dict:
    return {
        "run": "r",
        "members": members or [[0, 1], [2, 3], [4, 5]],
        "truth": [["a"], ["a", "b"], ["a"], ["a"], ["c"], ["b"]],
        "themes": [
            {"id": "T01", "label": "One", "alike": alike_first},
            {"id": "T02", "label": "Two", "alike": [{"id": "T01", "similarity": 0.7}]},
            {"id": "T03", "label": "Three", "alike": []},
        ],
    }


def test_a_themes_point_is_the_one_most_of_its_members_make():
    assert theme_point([["a"], ["a", "b"], ["b"], ["a"]]) == ("a", 0.75)
    assert theme_point([["b"], ["a"]]) == ("a", 0.5)  # a tie goes to the first by name
    assert theme_point([[], []]) == (None, 0.0)


def test_hinted_pairs_are_counted_once_and_judged_by_the_members():
    record = _record([{"id": "T02", "similarity": 0.7}, {"id": "T03", "similarity": 0.5}])
    # T01 and T02 both make "a" (caught); T01 and T03 do not (T03: "b" against "c", a tie)
    assert hinted_pairs(record) == {"hinted": 2, "caught": 1, "false": 1}


def test_compare_says_when_the_grouping_moved(tmp_path):
    off, on, moved = tmp_path / "off.json", tmp_path / "on.json", tmp_path / "moved.json"
    off.write_text(json.dumps([_record([])]))
    on.write_text(json.dumps([_record([{"id": "T02", "similarity": 0.7}])]))
    moved.write_text(json.dumps([_record([], [[0], [1, 2, 3], [4, 5]])]))
    found = compare(str(off), str(on))
    assert found["same_grouping"] is True
    assert found["off"] == {"hinted": 1, "caught": 1, "false": 0}
    assert compare(str(off), str(moved))["same_grouping"] is False


def test_mutual_nearest_marks_labels_each_the_others_nearest():
    rows = [
        {"run": "r", "a": "T01", "b": "T02", "minilm_cosine": 0.8},
        {"run": "r", "a": "T01", "b": "T03", "minilm_cosine": 0.3},
        {"run": "r", "a": "T02", "b": "T03", "minilm_cosine": 0.5},
    ]
    mutual_nearest(rows)
    assert [row["mutual"] for row in rows] == [True, False, False]


def _centred_record() -> dict:
    """Four themes of two rows each; T01 and T03 make one point ("a"); centroids put T01
    and T02 together (a false pair) far more than any other pair."""
    labels = np.eye(4).tolist()
    centres = np.eye(4)
    centres[1] = centres[0] + 0.05 * centres[1]
    return {
        "run": "r",
        "members": [[0, 1], [2, 3], [4, 5], [6, 7]],
        "truth": [["a"], ["a"], ["b"], ["b"], ["a"], ["a"], ["c"], ["c"]],
        "themes": [{"id": f"T0{i}", "label": str(i), "alike": []} for i in range(1, 5)],
        "label_vectors": labels,
        "sides": ["", "", "", ""],
        "centroids": centres.tolist(),
        "centroid_z": label_similarity(centres)[1].tolist(),
        "hints_off": [[], [], [], []],
    }


def test_centroid_hints_replay_the_library_and_are_judged_by_the_members(tmp_path):
    record = _centred_record()
    assert centroid_hints(record, None) == [[], [], [], []]
    hints = centroid_hints(record, 1.0)
    assert hints == [["T02"], ["T01"], [], []]
    record["hints_off"] = [[{"id": "T03"}], [], [{"id": "T01"}], []]  # today's hints stay
    assert centroid_hints(record, 1.0)[0] == ["T02", "T03"]
    record["sides"] = ["for", "against", "", ""]  # never across sides
    assert centroid_hints(record, 1.0)[:2] == [["T03"], []]
    record = _centred_record()
    assert pair_counts(record, hints) == {"hinted": 1, "caught": 0, "false": 1}
    path = tmp_path / "set.json"
    path.write_text(json.dumps([record]))
    table = centroid_table([str(path)], [None, 1.0])
    assert "| set | off | 0 | 0 | 0 | - |" in table
    assert "| set | 1.0 | 1 | 0 | 1 | 100 % |" in table
    assert "replayed hints equal the runs' own at the fit's z (None): True" in table


def test_run_nmi_reads_rows_with_one_known_point():
    record = _centred_record()
    # themes T01/T03 share "a": NMI below 100
    assert 0 < run_nmi(record) < 100
    record["truth"] = [[] for _ in record["truth"]]
    assert run_nmi(record) is None


def test_label_side_hints_keep_opposite_labels_apart_only_without_sides(tmp_path):
    """hint33: T01 and T02's labels stand out as alike but say one claim both ways."""
    record = _centred_record()
    vectors = np.eye(4)
    vectors[1] = vectors[0] + 0.05 * vectors[1]
    record["label_vectors"] = vectors.tolist()
    record["themes"][0]["label"] = "Assisted suicide shouldn't be a criminal offence"
    record["themes"][1]["label"] = "Assisted suicide should be a criminal offence"
    record["hints_off"] = [[{"id": "T02"}], [{"id": "T01"}], [], []]
    assert label_side_hints(record, False) == [["T02"], ["T01"], [], []]
    assert label_side_hints(record, True) == [[], [], [], []]
    record["sides"] = ["", "", "for", ""]  # a side: stance measured, labels not read
    assert label_side_hints(record, True) == [["T02"], ["T01"], [], []]
    record["sides"] = ["", "", "", ""]
    path = tmp_path / "set.json"
    path.write_text(json.dumps([record]))
    table = label_side_table([str(path)])
    assert "| set | replay off | 1 | 0 | 1 | 100 % |" in table
    assert "| set | replay on | 0 | 0 | 0 | - |" in table
    assert "replay off equals the runs' own hints in 1" in table


def test_label_side_table_replays_the_words_before_count34(tmp_path):
    """count34: "legalised" / "legalize" read as one claim now; as count33, two claims."""
    record = _centred_record()
    vectors = np.eye(4)
    vectors[1] = vectors[0] + 0.05 * vectors[1]
    record["label_vectors"] = vectors.tolist()
    record["themes"][0]["label"] = "Sex selection should be legalised"
    record["themes"][1]["label"] = "We should not legalize sex selection"
    record["hints_off"] = [[{"id": "T02"}], [{"id": "T01"}], [], []]
    record["sides"] = ["", "", "", ""]
    path = tmp_path / "set.json"
    path.write_text(json.dumps([record]))
    table = label_side_table([str(path)])
    assert "| set | replay on, words as count33 | 1 | 0 | 1 | 100 % |" in table
    assert "| set | replay on | 0 | 0 | 0 | - |" in table
