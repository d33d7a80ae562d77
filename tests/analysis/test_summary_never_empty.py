"""read34: a theme whose every summary sentence said its label's point in other words was left
with no summary at all (the demo's semantic Q2 and Q3: two of the 214 themes bench.theme_text
read), as if its answers said nothing; :func:`analysis.label_points.without_label_wordings`
now leaves the note :data:`analysis.label_points.LABEL_WORDINGS_NOTE` (``only_point``) citing
their answers."""

from __future__ import annotations

from analysis.label_points import LABEL_WORDINGS_NOTE, without_label_wordings

SUMMARY = [
    {"id": "a", "text": "Put on extra coaches.", "ids": ["a", "b"], "stance": "for"},
    {"id": "c", "text": "More buses at night.", "ids": ["c", "b"], "stance": "for"},
]


def test_a_summary_of_label_wordings_only_becomes_the_note():
    found = without_label_wordings(SUMMARY, [s["text"] for s in SUMMARY])
    assert found == [
        {
            "id": "a",
            "text": LABEL_WORDINGS_NOTE,
            "ids": ["a", "b", "c"],
            "stance": "",
            "only_point": True,
        }
    ]


def test_the_note_only_when_every_sentence_is_left_out():
    assert without_label_wordings(SUMMARY, ["Put on extra coaches."]) == [SUMMARY[1]]
    assert without_label_wordings([], ["Put on extra coaches."]) == []
    plain = [{k: v for k, v in s.items() if k != "stance"} for s in SUMMARY]
    assert "stance" not in without_label_wordings(plain, [s["text"] for s in plain])[0]
