"""A reviewer's large move through a real gunicorn process and job worker (the setup of
tests/reports/test_split_gunicorn.py): the request only moves the answers
(``RECOUNT_IN_REQUEST_AT_MOST`` set low in the instance's config.py), the report says
"Counting again after the move…" on both themes until the worker has counted them again,
then shows their counts, as the move in the request would have stored them (semantic
engine, whose counts these are)."""

from __future__ import annotations

import time
import urllib.parse

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import review
from consult.reports.models import AnalysisRun, ThemeEdit
from tests.reports.test_merge_gunicorn import _themes, finished_run  # noqa: F401 - fixture
from tests.test_gunicorn import served  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


@pytest.fixture
def small_recounts_later(tmp_path):
    """Before the server starts: moves touching more than 5 answers are counted by the
    worker."""
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text("RECOUNT_IN_REQUEST_AT_MOST = 5\n")


def test_a_large_move_over_http_is_counted_by_the_worker(
    small_recounts_later,
    finished_run,  # noqa: F811
    tmp_path,
):
    from analysis.embeddings import available

    if not available():
        pytest.skip("the semantic extra is not installed")
    run = finished_run("semantic", seconds=400, poll=0.5)
    staff, run_path, run_id, before, app = run.staff, run.path, run.id, run.themes, run.app
    source, target = sorted(before, key=lambda k: -before[k].size)[:2]
    move_path = f"{run_path}/themes/{source}/move"
    boxes = staff.request(move_path).soup().find_all("input", type="checkbox")
    chosen = [box["value"] for box in boxes if box.get("name") == "responses"][:3]
    assert len(chosen) == 3

    moved = staff.form(move_path, {"responses": chosen, "target": target})
    assert moved.status == 302, moved.text[:500]
    report_path = urllib.parse.urlsplit(moved.headers["Location"]).path
    page = staff.request(report_path)
    assert "counted again" in page.soup().find(id="flash-success").get_text(" ", strip=True)
    right_away = _themes(app, run_id)
    assert right_away[source].size == before[source].size - 3
    assert right_away[target].size == before[target].size + 3
    for key in (source, target):
        # The worker may already be done; if not, the page says it is counting again.
        waiting = page.soup().find(id=f"theme-{key}-describing")
        assert waiting is None or waiting.get_text() == "Counting again after the move…"
    while any(page.soup().find(id=f"theme-{k}-describing") is not None for k in (source, target)):
        assert time.monotonic() < run.deadline + 240, "the worker never counted the move"
        time.sleep(0.5)
        page = staff.request(report_path)
    assert "counting again the themes a move changed of run" in (
        (tmp_path / "worker.log").read_text()
    )
    after = _themes(app, run_id)
    with app.app_context():
        # what the request would have stored: the same counting, done here on the same rows
        stored = db.session.get(AnalysisRun, run_id)
        edit = db.session.scalar(select(ThemeEdit).where(ThemeEdit.run_id == run_id))
        assert edit.kind == "move"
        themes = review._themes(stored)
        review._count_changed(stored, themes, {source, target})
        expected = {t.key: (t.label_point, t.summary) for t in themes if not t.hidden}
        db.session.rollback()
        db.session.remove()
    for key in (source, target):
        theme = after[key]
        assert theme.describing is None and theme.label_point is not None
        assert (theme.label_point, theme.summary) == expected[key]
        said = [point for point in theme.summary if not point.get("only_point")]
        assert said and all("answers" in point for point in said)
        section = page.soup().find(id=f"theme-{key}")
        assert ", ".join(theme.keywords) in section.get_text(" ", strip=True)
