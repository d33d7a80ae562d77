"""The size breakdown's "Not given" split (not asked / a business that did not say) is
counted in one pass over the run's answers, every theme at once (left26 #4: the join of
every theme with every answer took 9 s at 100,000 answers on SQLite; bench.size_split), with
the same counts as reading the rows."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import event, select

from consult.extensions import db
from consult.reports import pages
from consult.reports.models import RunAssignment, RunTheme
from tests.helpers import make_consultation
from tests.reports.stored_runs import store_synthetic_run

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_the_split_is_one_query_with_the_counts_of_the_rows(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.is_text)
    run = store_synthetic_run(
        consultation,
        question,
        responses=120,
        segments=("partner_type", "size_band"),
        size_of_businesses_only=True,
    )
    rows = db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id)).all()
    rows[0].segments = {**rows[0].segments, "size_band": ""}  # blank, as not given
    hidden = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id)).first()
    hidden.hidden = True  # a merged-away theme's mentions are counted too
    db.session.commit()
    of: Counter[str] = Counter()
    hits: dict[str, Counter[str]] = {}
    for row in rows:
        if row.segments.get("size_band") not in ("", "not_given", None):
            continue
        kind = "business_not_given" if row.segments["partner_type"] == "business" else "not_asked"
        of[kind] += 1
        for key, _ in row.themes:
            hits.setdefault(key, Counter())[kind] += 1
    assert of["business_not_given"] and of["not_asked"]
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    db.session.expire_all()
    run = db.session.get(type(run), run.id)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        found = pages._size_not_given(run)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert found == {"of": of, "hits": hits}
    scans = [s for s in statements if "FROM run_assignment" in s]
    assert len(scans) == 1, scans  # one pass over the answers, every theme at once
    assert " JOIN " not in scans[0].upper()
