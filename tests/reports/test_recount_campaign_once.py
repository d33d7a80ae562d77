"""A review recount's segment tests count a campaign once, in the Tarone screen too, as the
engine does (:func:`analysis.segments.segment_breakdown` with ``tested``): a value given by
one campaign's copies and one other answer is "too few to tell", not "no clear difference"
(left26 #1, after seg18)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from analysis.segments import segment_breakdown
from consult.extensions import db
from consult.reports import review
from consult.reports.models import RunAssignment, RunTheme
from tests.reports.review_helpers import add_answers, make_question, stored_run

pytestmark = pytest.mark.backends("sqlite", "postgresql")
COPIES = 12


def _campaign_run():
    """A stored run in which one theme's first ``COPIES`` members are copies of one campaign,
    all given as the partner type "trade_body", with one other answer of that type, and one
    answer that gave no partner type."""
    consultation, question = make_question("recount-campaign")
    add_answers(consultation, question, 80)
    run = stored_run(consultation, question, n_themes=4)
    theme = max(run.visible_themes, key=lambda t: t.size)
    members = list(
        db.session.scalars(
            select(RunAssignment)
            .where(RunAssignment.run_id == run.id, RunAssignment.theme_id == theme.id)
            .order_by(RunAssignment.id)
        )
    )
    assert len(members) > COPIES
    for row in members[:COPIES]:
        row.flags = [*(row.flags or []), "campaign"]
        row.duplicate_group = "g-left26"
        row.segments = {**(row.segments or {}), "partner_type": "trade_body"}
    other, blank = db.session.scalars(
        select(RunAssignment)
        .where(RunAssignment.run_id == run.id, RunAssignment.theme_id != theme.id)
        .order_by(RunAssignment.id)
        .limit(2)
    )
    other.segments = {**(other.segments or {}), "partner_type": "trade_body"}
    blank.segments = {**(blank.segments or {}), "partner_type": ""}  # counted, not compared
    db.session.commit()
    return run


def _engine_cells(run, keys):
    """The engine's breakdown of the run's stored rows, each campaign counted once."""
    rows = list(
        db.session.execute(
            select(
                RunAssignment.themes,
                RunAssignment.segments,
                RunAssignment.flags,
                RunAssignment.duplicate_group,
            )
            .where(RunAssignment.run_id == run.id)
            .order_by(RunAssignment.id)
        )
    )
    seen, tested = set(), []
    for _, _, flags, group in rows:
        tested.append(not ("campaign" in (flags or []) and group in seen))
        if "campaign" in (flags or []):
            seen.add(group)
    theme_rows = [{keys.index(e[0]) for e in themes or [] if e[0] in keys} for themes, *_ in rows]
    values = [str((s or {}).get("partner_type") or "not_given") for _, s, _, _ in rows]
    return segment_breakdown(theme_rows, values, len(keys), tested=tested)


def test_a_recount_screens_and_tests_each_campaign_once_as_the_engine_does(app):
    run = _campaign_run()
    themes = list(
        db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.id))
    )
    review.recompute(run, themes, review._rows(run))
    keys = [t.key for t in themes if not t.hidden]
    engine = _engine_cells(run, keys)
    fields = ("count", "of", "test", "p_value", "p_adjusted", "verdict", "campaign_copies")
    for theme, expected in zip([t for t in themes if not t.hidden], engine, strict=True):
        got = theme.segments["partner_type"]
        assert set(got) == set(expected)
        for value, cell in expected.items():
            assert {f: got[value].get(f) for f in fields} == {f: cell.get(f) for f in fields}, (
                theme.key,
                value,
            )
    # the campaign's value: counted 13 times, tested as 2 answers, which cannot tell
    trade = max(themes, key=lambda t: t.segments["partner_type"]["trade_body"]["count"])
    cell = trade.segments["partner_type"]["trade_body"]
    assert cell["count"] >= COPIES and cell["campaign_copies"] == COPIES - 1
    assert cell["verdict"] == "too few to tell"
    blank = [t.segments["partner_type"].get("not_given") for t in themes if not t.hidden]
    assert {cell["verdict"] for cell in blank if cell} == {"not compared"}
