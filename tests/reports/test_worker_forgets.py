"""review20: a job worker lives on after each run; the analysis's per-text caches (up to
tens of millions of characters each, enough for a 100,000-answer run) are emptied once it
has no job left, so the process does not keep every earlier run's answers."""

from __future__ import annotations

from analysis import remembered, statements
from consult.reports.worker import Worker


def test_the_worker_empties_the_text_caches_when_its_last_job_ends(app):
    worker = Worker(app, workers=2)
    first, second = (app.extensions["huey_analyse"].s(run_id) for run_id in (5, 6))
    worker._started(None, first)
    worker._started(None, second)
    statements.sentences("Buses are late. Trams are fine.")
    worker._ended(None, first)  # another job still runs: its texts are kept
    assert statements._sentences.cache_info().currsize > 0
    worker._ended(None, second)
    assert all(cached.cache_info().currsize == 0 for cached in remembered.caches())
    assert worker.busy == set()


def test_a_report_request_leaves_the_text_caches_empty(app):
    """A web process lives on too: each report request empties them when it ends."""
    from tests.staff_helpers import signed_in

    statements.sentences("Buses are late. Trams are fine.")
    assert statements._sentences.cache_info().currsize > 0
    page = signed_in(app, "analyst").get("/staff/reports/runs/999")  # a report page
    assert page.status_code == 404
    assert all(cached.cache_info().currsize == 0 for cached in remembered.caches())
