"""A theme whose answers make no other point of their own says so in one note, naming every
theme their other points belong to, most answers first (rev16, issue 12: the note named one,
"belong to other themes: T07", when the answers' other points belonged to several)."""

from __future__ import annotations

from collections import Counter

import pytest

from analysis import ThemeModel, describe
from analysis.other_themes import (
    NOTE_OPENING,
    OTHER_THEMES_NOTE,
    named_in,
    named_themes,
    other_themes_note,
)
from analysis.repeats import other_labels_left_out

pytestmark = pytest.mark.coding_encoder

BUS = "Staff cannot rely on buses that often do not turn up."


@pytest.mark.parametrize(
    ("ids", "names"),
    [
        ([], ""),
        (["T07"], ": T07"),
        (["T03", "T07"], ": T03 and T07"),
        (["T02", "T05", "T07"], ": T02, T05 and T07"),
        (["T10", "T02", "T05", "T07"], ": T10, T02, T05 and T07"),
    ],
)
def test_the_note_is_written_and_read_back_by_one_rule(ids, names):
    text = other_themes_note(ids)
    # wording28: "... for the other points its answers make, see T03 and T07."
    assert text == (f"{NOTE_OPENING}{names[2:]}." if ids else OTHER_THEMES_NOTE)
    assert named_in(text) == ids
    assert OTHER_THEMES_NOTE == describe.OTHER_THEMES_NOTE  # the describe stage's own note


@pytest.mark.parametrize(
    "text",
    [
        "Run more buses.",
        NOTE_OPENING,  # no names, no full stop
        NOTE_OPENING + ".",
        describe.DIVIDED_NOTE,
        "This theme makes one point only; no other is made by two or more of its answers.",
    ],
)
def test_any_other_text_is_not_the_note(text):
    assert named_in(text) is None


def test_every_theme_enough_answers_mention_is_named_most_answers_first():
    """Two of eleven answers is enough (one in twenty, two at least); one is not; a theme
    whose label a left-out sentence said is named whatever the count; ties keep the run's
    theme order."""
    order = ["T01", "T02", "T03", "T05", "T07", "T08"]
    mentioned = {"T07": 2, "T03": 2, "T01": 1, "T05": 4}
    assert named_themes({}, mentioned, 11, order) == ["T05", "T03", "T07"]
    assert named_themes({"T08": 1}, mentioned, 11, order) == ["T05", "T03", "T07", "T08"]
    assert named_themes({"T07": 3}, mentioned, 11, order) == ["T05", "T07", "T03"]
    # a large theme: one in twenty of 100 answers is five
    assert named_themes({}, {"T02": 5, "T03": 4}, 100, order) == ["T02"]
    assert named_themes({}, {}, 11, order) == []


def _data_theme(summary: list[dict]) -> dict:
    return {
        "id": "T08",
        "label": "Agree data-sharing rules once so every project does not negotiate its own",
        "size": 11,
        "summary": summary,
        "quotes": [{"id": "R1", "text": "Agree data-sharing rules once."}],
    }


def _run_themes(data: dict) -> list[dict]:
    plan = {"id": "T03", "label": "Agree one plan for transport and housing growth"}
    buses = {"id": "T07", "label": BUS.rstrip(".")}
    return [plan | {"summary": []}, buses | {"summary": []}, data]


def test_the_smoke_case_names_both_themes():
    """Demo Q2's data-sharing theme: its one summary sentence was the bus theme's label (T07),
    left out, and two of its answers also mention the plan theme (T03): both are named."""
    data = _data_theme([{"id": "R3", "text": BUS, "ids": ["R3", "R9"], "stance": "for"}])
    mentioned = [Counter(), Counter(), Counter({"T03": 2, "T07": 2, "T01": 1})]
    left_out = other_labels_left_out(_run_themes(data), mentioned)
    assert left_out == [("T08", BUS)]
    assert data["summary"] == [
        {
            "id": "R1",
            "text": NOTE_OPENING + "T03 and T07.",
            "ids": ["R1"],
            "stance": "",
            "only_point": True,
        }
    ]
    # a second pass leaves nothing out and reads the same note
    assert other_labels_left_out(_run_themes(data), mentioned) == []
    assert data["summary"][0]["text"].endswith("see T03 and T07.")


def test_the_describe_stages_note_is_named_too():
    """A summary that was the note already (sentences its answers share that are other
    themes' topics) names the themes its answers mention; with none mentioned enough, it
    stays the plain note."""
    note = {"id": "R1", "text": OTHER_THEMES_NOTE, "ids": ["R1"], "only_point": True}
    data = _data_theme([dict(note)])
    mentioned = [Counter(), Counter(), Counter({"T07": 3, "T03": 5})]
    assert other_labels_left_out(_run_themes(data), mentioned) == []
    assert data["summary"] == [note | {"text": NOTE_OPENING + "T03 and T07."}]
    alone = _data_theme([dict(note)])
    other_labels_left_out(_run_themes(alone), [Counter(), Counter(), Counter({"T07": 1})])
    assert alone["summary"] == [note]
    # other summaries are left alone
    said = {"id": "R2", "text": "Build homes near stations.", "ids": ["R2", "R4"]}
    kept = _data_theme([dict(said)])
    other_labels_left_out(_run_themes(kept), mentioned)
    assert kept["summary"] == [said]


@pytest.fixture(scope="module")
def demo_q6():
    """The demo's sixth free-text question as the workspace's analysis job reads it."""
    from bench.demo_report import demo_questions

    with demo_questions() as questions:
        wording, answers = list(questions)[5]
        yield wording, answers.texts, answers.references, answers.agreement


def test_a_fit_names_every_theme_its_answers_also_mention(demo_q6, engine):
    """A real fit of one demo question: each note names every theme that enough of its
    theme's answers also mention, as the fit's memberships say, most first, and never the
    theme itself; some note names several (with either engine on this question)."""
    wording, texts, ids, agreement = demo_q6
    model = ThemeModel(n_themes="auto", engine=engine, seed=0)
    model.fit(texts, ids=ids, agreement=agreement, question=wording)
    keys = [t["id"] for t in model.themes_]
    notes = 0
    several = 0
    for index, theme in enumerate(model.themes_):
        named = named_in(theme["summary"][0]["text"]) if len(theme["summary"]) == 1 else None
        if named is None:
            continue
        notes += 1
        several += len(named) > 1
        rows = [r for r, main in enumerate(model.labels_) if main == index]
        mentioned = Counter(
            keys[o] for r in rows for o in dict.fromkeys(model.memberships_[r]) if o != index
        )
        enough = {key for key, count in mentioned.items() if count >= max(2, len(rows) // 20)}
        assert theme["id"] not in named and set(named) <= set(keys)
        assert enough <= set(named), (theme["id"], named, mentioned)
        counts = [mentioned[key] for key in named if key in enough]
        assert counts == sorted(counts, reverse=True)
    assert notes and several, [t["summary"] for t in model.themes_]
