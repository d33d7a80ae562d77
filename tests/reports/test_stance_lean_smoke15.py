"""smoke15 finding 3: the demo's largest theme of Q10 (For 56, Against 8, Neither 25) read
"Divided" in the headline table, the theme's section and the Word report, as if its answers
argued both ways, where 8 of 89 were against. A theme short of "mostly" now leans to the side
of for and against that holds three times the other ("Leaning for"), is "Divided" only when
for and against are nearer than that, and has "No clear lean" when neither has any answer.
Judged between for and against alone (fix #9), "neither" shown beside in the counts: judged
against "neither" too, For 41, Neither 40 leaned for but For 40, Neither 41 did not."""

from __future__ import annotations

import pytest

from analysis.report import stance_lean, stance_words
from consult.extensions import db
from consult.reports import documents
from consult.reports.wording import stance_glance
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.reports.test_report_glance import (
    docx_glance,
    glance_table,
    themes_of,
    why_question,
    words,
)
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

DEMO_T01 = {"for": 56, "against": 8, "mixed": 25, "unclear": 0}


def test_one_side_far_ahead_of_the_other_leans_not_divided():
    assert stance_lean(DEMO_T01) == "leaning for"
    assert stance_lean({"for": 10, "against": 30, "mixed": 12}) == "leaning against"
    # nobody against, for just ahead of neither: it leans for
    assert stance_lean({"for": 21, "mixed": 20}) == "leaning for"
    assert stance_words(DEMO_T01) == "leaning for"
    assert stance_glance(DEMO_T01, True) == "Leaning for: for 56, against 8, neither 25, unclear 0"


def test_divided_only_when_both_sides_argue():
    assert stance_lean({"for": 30, "against": 25}) == "divided"
    assert stance_lean({"for": 24, "against": 14, "mixed": 5}) == "divided"
    assert stance_lean({"for": 21, "against": 24, "mixed": 0, "unclear": 0}) == "divided"
    # no answer for or against: nothing to lean or be divided on
    assert stance_lean({"mixed": 3, "unclear": 4}) == "no clear lean"
    assert stance_lean({"mixed": 3, "unclear": 4, "for": 0, "against": 0}) == "no clear lean"
    # the two-in-three rule comes first, and nothing counted says nothing
    assert stance_lean({"for": 3, "against": 40}) == "mostly against"
    assert stance_lean({"for": 0, "against": 0}) == ""


def test_the_lean_is_judged_between_for_and_against_whatever_neither_holds():
    """fix #9: one answer moved between "for" and "neither" turned "leaning for" into "no
    clear lean" ({for 41, neither 40} against {for 40, neither 41}); 40 for and none against
    read "no clear lean". Neither's share changes the word only at "half neither" / "mostly neither"
    (half of the counted stances since smoke16 #7, more than half) and "largest group:
    neither" (more than any other stance)."""
    assert stance_lean({"for": 41, "against": 0, "mixed": 40}) == "leaning for"
    assert stance_lean({"for": 35, "against": 0, "mixed": 34}) == "leaning for"
    assert stance_lean({"for": 32, "against": 5, "mixed": 31}) == "leaning for"
    assert stance_lean({"for": 5, "against": 32, "mixed": 31, "unclear": 10}) == "leaning against"
    # for against against alone: the same word whatever neither holds, up to two in three
    for neither in range(3, 90):  # with fewer, for 15 of 20 (11 of 15) is "mostly for"
        word = stance_lean({"for": 15, "against": 5, "mixed": neither})
        lean = "largest group: neither" if neither > 15 else "leaning for"
        half = "half neither" if neither == 20 else "mostly neither"
        assert word == (half if neither >= 20 else lean), neither
        word = stance_lean({"for": 11, "against": 4, "mixed": neither})
        lean = "largest group: neither" if neither > 11 else "divided"
        half = "half neither" if neither == 15 else "mostly neither"
        assert word == (half if neither >= 15 else lean), neither


def test_leaning_on_the_page_and_in_word(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=80)
    first = themes_of(run)[0]
    first.stance = dict(DEMO_T01)
    db.session.commit()
    client = signed_in(app, "analyst")

    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    table = glance_table(page)
    rows = {words(tr.th).split(":")[0]: tr for tr in table.select("tbody tr")}
    said = "Leaning for: for 56, against 8, neither 25, unclear 0"
    assert words(rows[first.key].select("td")[-2]) == said
    # the synthetic run's other themes, for and against nearer than three to one, stay divided
    others = [words(tr.select("td")[-2]) for key, tr in rows.items() if key != first.key]
    assert any(cell.startswith("Divided: ") for cell in others)

    by_key = {row[0].split()[0]: row for row in docx_glance(documents.run_docx(run))[1:]}
    assert by_key[first.key][-2] == said
