"""A reviewer's large split through a real gunicorn process and job worker (the setup of
tests/reports/test_merge_gunicorn.py): the request only partitions the theme
(``SPLIT_DESCRIBE_AT_MOST`` set low in the instance's config.py), the report says
"Describing this part of the split theme…" on each part until the worker has described
them, then shows the parts' own labels, keywords and summaries, as the split in the request
would have given them."""

from __future__ import annotations

import time
import urllib.parse

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports.models import ThemeEdit
from tests.reports.test_merge_gunicorn import _themes, finished_run  # noqa: F401 - fixture
from tests.test_gunicorn import served  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


@pytest.fixture
def small_splits_later(tmp_path):
    """Before the server starts: splits of more than 5 answers are described by the worker."""
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text("SPLIT_DESCRIBE_AT_MOST = 5\n")


def test_a_large_split_over_http_is_described_by_the_worker(
    small_splits_later,
    finished_run,  # noqa: F811
    tmp_path,
):
    run = finished_run("fast", seconds=240, poll=0.3)
    staff, run_path, run_id, before, app = run.staff, run.path, run.id, run.themes, run.app
    key = max(before.values(), key=lambda t: t.size).key

    split = staff.form(f"{run_path}/themes/{key}/split", {"n": "2"})
    assert split.status == 302, split.text[:500]
    report_path = urllib.parse.urlsplit(split.headers["Location"]).path
    page = staff.request(report_path)
    assert "being found" in page.soup().find(id="flash-success").get_text(" ", strip=True)
    parts = sorted(k for k, t in _themes(app, run_id).items() if t.origin == "split")
    assert len(parts) == 2 and key not in _themes(app, run_id)
    for part in parts:
        # The worker may already be done; if not, the page says it is describing the part.
        waiting = page.soup().find(id=f"theme-{part}-describing")
        assert waiting is None or waiting.get_text() == "Describing this part of the split theme…"
    while any(page.soup().find(id=f"theme-{p}-describing") is not None for p in parts):
        assert time.monotonic() < run.deadline + 240, "the worker never described the split"
        time.sleep(0.5)
        page = staff.request(report_path)
    after = _themes(app, run_id)
    assert "describing the parts of a split theme of run" in (tmp_path / "worker.log").read_text()
    with app.app_context():
        edit = db.session.scalar(select(ThemeEdit).where(ThemeEdit.run_id == run_id))
        recorded = dict(edit.payload["labels"])
        db.session.remove()
    stand_in = {f"{before[key].label} (1)", f"{before[key].label} (2)"}
    for part in parts:
        theme = after[part]
        # a part's keywords may be none when it holds most of the run's answers (kwedit:
        # contrasted with every answer); the page then says so
        assert theme.describing is None and theme.summary and theme.quotes
        assert theme.label not in stand_in and recorded[part]["label"] == theme.label
        section = page.soup().find(id=f"theme-{part}")
        shown = section.get_text(" ", strip=True)
        assert theme.label in shown
        assert (", ".join(theme.keywords) if theme.keywords else "No distinctive words") in shown
