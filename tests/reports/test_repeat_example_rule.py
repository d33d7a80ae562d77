"""The run page quotes the same example of repeated answers as the command line's report
(review fixr2 #1): one rule, :func:`analysis.report.largest_repeat`, picks the largest group
that is not a campaign, ties going to the group with the lowest number ("D9" before "D10",
not the group's name as text), and quotes that group's first answer (not the smallest text).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from analysis.report import largest_repeat as repeat_of_rows
from consult.extensions import db
from consult.reports.models import AnalysisRun, RunAssignment
from consult.reports.pages import largest_repeat
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CAMPAIGN = "The combined authority must publish every decision in full " * 3
# (group, flags, text) for the first rows of the run, in row order: D3 is a campaign and the
# largest; D9 and D10 tie; D9's first answer sorts after its second.
REPEATS = [
    ("D3", ["duplicate", "campaign"], CAMPAIGN),
    ("D3", ["duplicate", "campaign"], CAMPAIGN),
    ("D3", ["duplicate", "campaign"], CAMPAIGN),
    ("D10", ["duplicate"], "Ten: fix the buses."),
    ("D9", ["duplicate"], "Nine: more trams please"),
    ("D10", ["duplicate"], "Ten: fix the buses."),
    ("D9", ["duplicate"], "nine: more trams please"),
]


def _run() -> AnalysisRun:
    """A stored run whose first answers are the repeats of :data:`REPEATS` (the others are
    not repeated)."""
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    run = store_synthetic_run(consultation, question, responses=30, themes=3)
    rows = db.session.scalars(
        select(RunAssignment).where(RunAssignment.run_id == run.id).order_by(RunAssignment.id)
    ).all()
    for row in rows:
        row.duplicate_group, row.flags = None, []
    for row, (group, flags, text) in zip(rows, REPEATS, strict=False):
        row.duplicate_group, row.flags, row.text = group, flags, text
    db.session.commit()
    return run


def test_the_page_quotes_the_repeat_the_command_line_would(app):
    run = _run()
    as_cli = repeat_of_rows(
        [{"duplicate_group": group, "flags": ";".join(flags)} for group, flags, _ in REPEATS],
        [text for _, _, text in REPEATS],
    )
    assert as_cli == "Nine: more trams please"
    assert largest_repeat(run) == as_cli
    page = soup(signed_in(app, "viewer").get(f"/staff/reports/runs/{run.id}"))
    said = " ".join(page.find(id="duplicates").get_text().split())
    assert "grouped as duplicates, such as “Nine: more trams please”" in said
    assert ": 1 of them is a campaign and 2 are other repeats." in said


def test_a_run_whose_repeats_are_all_campaigns_quotes_none(app):
    run = _run()
    for row in db.session.scalars(
        select(RunAssignment).where(RunAssignment.duplicate_group.in_(["D9", "D10"]))
    ):
        row.duplicate_group, row.flags = None, []
    db.session.commit()
    assert largest_repeat(run) == ""
    page = soup(signed_in(app, "viewer").get(f"/staff/reports/runs/{run.id}"))
    said = " ".join(page.find(id="duplicates").get_text().split())
    assert "in 1 duplicate group: it is a campaign." in said
    assert "such as" not in said
