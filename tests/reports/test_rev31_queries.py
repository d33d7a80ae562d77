"""rev31: the overview and the consultation Word report count each question's answers that
said nothing substantive (smoke31's second base) in one query, not one per question (they
were batched before: runs, themes, run counts). Through the test client on stored runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import event

from consult.extensions import db
from consult.reports.partners_said import partners_said
from consult.reports.report_runs import shown_runs
from tests.helpers import make_consultation
from tests.reports.stored_runs import store_synthetic_run
from tests.reports.test_two_bases import empty_answers
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def nothing_said_counts(call: Callable[[], object]) -> int:
    """The statements counting a run's answers in no theme while ``call`` runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return sum(
        "run_assignment" in s and "count(" in s.lower() and "theme_id IS NULL" in s
        for s in statements
    )


def test_the_overview_counts_those_who_said_nothing_in_one_query(app):
    consultation = make_consultation()
    texts = [q for q in consultation.questions if q.kind in ("long_text", "short_text")]
    assert len(texts) >= 2
    runs = [store_synthetic_run(consultation, q, responses=40, seed=i) for i, q in enumerate(texts)]
    empty_answers(runs[0], 12)  # many said nothing on the first question: both bases there
    client = signed_in(app, "analyst")
    url = f"/staff/reports/consultations/{consultation.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'id="overview-bases-{runs[0].question_id}"' in page
    assert f'id="overview-bases-{runs[1].question_id}"' not in page
    assert nothing_said_counts(lambda: client.get(url)) <= 1
    # the Word report's "What partners said" (its per-question sections count their own, as
    # the run's Word report does)
    shown = shown_runs(consultation)
    assert nothing_said_counts(lambda: partners_said(consultation, shown)) <= 1
