"""smoke14's new-user walk, small findings (smallfix): the codebook check names the report's
label flags in its words (1); a merge's history line names the merged theme (2); the
duplicates sentence says "word for word or nearly", as a campaign's group holds near-copies
(4); a count equal to the whole reads "all 45", not "about 45 of the 45" (5)."""

from __future__ import annotations

import pytest

from analysis.report import (
    ABOUT_AS_COMMON_TAG,
    COMMONER_TAG,
    LABEL_FEW_TAG,
    duplicates_sentence,
    label_point_sentences,
    summary_point_words,
)
from consult.extensions import db
from consult.reports import coding, review
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


def _point(text: str, count: int) -> dict:
    return {"id": "R1", "text": text, "ids": ["R1"], "answers": count}


def test_the_codebook_check_names_every_label_flag_of_the_report(run, app):
    """Finding 1: the check named only "label made by fewer than half"; a theme whose other
    point is commoner (T05) or about as common (T01) went unnamed. Named now in the report's
    words (analysis.report's tags), with the counts."""
    few, commoner, near, plain = run.visible_themes
    for theme in run.visible_themes:
        theme.reviewed_at = coding.utcnow()
        theme.mentions, theme.label_point = 60, 60
    few.label_point = 20
    commoner.label_point, commoner.summary = 30, [_point("Another point made often.", 40)]
    near.label_point, near.summary = 30, [_point("A point nearly as often.", 33)]
    db.session.commit()
    assert [(f.key, f.reasons) for f in coding.codebook_flags(run)] == [
        (
            few.key,
            [f"{LABEL_FEW_TAG}: about 20 of the 60 answers mentioning it make the label's point"],
        ),
        (
            commoner.key,
            [
                f"{COMMONER_TAG}: about 30 of the 60 answers mentioning it make the label's "
                "point, about 40 make another (an answer can make both)"
            ],
        ),
        (
            near.key,
            [
                f"{ABOUT_AS_COMMON_TAG}: about 30 of the 60 answers mentioning it make the "
                "label's point, about 33 make another (an answer can make both)"
            ],
        ),
    ]
    client = signed_in(app, "analyst", "smallfix@example.gov.uk")
    page = soup(client.get(f"/staff/reports/runs/{run.id}/codebook/check"))
    items = [li.get_text(" ", strip=True) for li in page.find(id="codebook-flagged").find_all("li")]
    assert len(items) == 3
    assert items[1].startswith(f"{commoner.key}: {commoner.label} ({COMMONER_TAG}: about 30")
    assert items[2].startswith(f"{near.key}: {near.label} ({ABOUT_AS_COMMON_TAG}: about 30")
    assert plain.key not in " ".join(items)
    warning = page.find(id="codebook-flagged-warning").get_text(" ", strip=True)
    assert "3 of the run's 4 themes need a look first" in warning


def test_a_merge_history_line_names_the_merged_theme(run, app):
    """Finding 2: "Merged T01, T05 into T01" said nothing of the name; as the rename and
    create lines, it names it now, in the history and on the history page."""
    user = make_user("analyst", "merger@example.gov.uk")
    first, second = [t.key for t in run.visible_themes[:2]]
    review.merge_themes(run, [first, second], user, label="Buses and trams")
    edit = review.history(run, first)[0]
    assert review.describe_edit(edit) == f"Merged {first}, {second} into {first} “Buses and trams”"
    edit.payload = {k: v for k, v in edit.payload.items() if k != "label"}  # stored before
    assert review.describe_edit(edit) == f"Merged {first}, {second} into {first}"


def test_the_duplicates_sentence_counts_near_copies_truly():
    """Finding 4: a campaign's group holds signed near-copies, not word-for-word repeats."""
    said = duplicates_sentence({"D1": 30, "D2": 3}, 1)
    assert said.startswith("33 answers were repeated, word for word or nearly, in 2 duplicate")
    assert "repeated word for word," not in said
    assert duplicates_sentence({}, 0).startswith("No answer was repeated, word for word or nearly")


def test_a_count_equal_to_the_whole_reads_all():
    """Finding 5: "about 45 of the 45 answers" read oddly: "all 45 answers"."""
    assert summary_point_words(45, 45) == "all 45 answers mentioning it make this point"
    assert summary_point_words(1, 1) == "the one answer mentioning it makes this point"
    assert summary_point_words(44, 45) == "about 44 of the 45 answers mentioning it make this point"
    said = label_point_sentences(45, 30, [_point("Work with the Department.", 45)])
    assert said[1] == "All 45 make another (an answer can make both), “Work with the Department.”"
    assert not any("about 45" in s.lower() for s in said)
    said = label_point_sentences(60, 30, [_point("Work with the Department.", 45)])
    assert said[1] == "About 45 make another (an answer can make both), “Work with the Department.”"
