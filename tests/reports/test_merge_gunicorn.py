"""A reviewer's merge through a real gunicorn process and job worker (the setup of
tests/test_gunicorn.py): the merged theme is described from its own answers
(:func:`analysis.group.describe_group`), here by the worker (``MERGE_DESCRIBE_AT_MOST`` set
low in the instance's config.py), the report saying "Describing the merged theme…" until
the page shows its new keywords and summary."""

from __future__ import annotations

import json
import time
import urllib.parse

import pytest
from sqlalchemy import select

from analysis.group import describe_group
from consult.extensions import db
from consult.reports.merging import AGREEMENT_OF_STANCE
from consult.reports.models import AnalysisRun, RunAssignment, RunTheme
from consult.reports.runs import stance_measured
from tests.staff_helpers import PASSWORD
from tests.test_gunicorn import Browser, served  # noqa: F401 - the served fixture

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _themes(app, run_id: int) -> dict[str, RunTheme]:
    with app.app_context():
        found = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id))
        themes = {t.key: t for t in found if not t.hidden}
        for theme in themes.values():
            db.session.expunge(theme)
        db.session.remove()
        return themes


@pytest.fixture
def small_merges_later(tmp_path):
    """Before the server starts: merges of more than 5 answers are described by the worker."""
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text("MERGE_DESCRIBE_AT_MOST = 5\n")


def test_a_merge_over_http_shows_the_merged_themes_own_keywords_and_summary(
    small_merges_later,
    served,  # noqa: F811
    tmp_path,
):
    base, consultation_id, question_id, email, _, app = served
    staff = Browser(base)
    assert staff.form("/staff/sign-in", {"email": email, "password": PASSWORD}).status == 302
    started = staff.form(
        f"/staff/reports/consultations/{consultation_id}/new",
        {"question": str(question_id), "engine": "fast", "themes": "4", "seed": "1"},
    )
    assert started.status == 302, started.text[:500]
    run_path = urllib.parse.urlsplit(started.headers["Location"]).path
    deadline = time.monotonic() + 240
    while not (progress := json.loads(staff.request(run_path + "/status").body))["finished"]:
        assert time.monotonic() < deadline, progress
        time.sleep(0.3)
    assert progress["status"] == "succeeded", progress
    run_id = int(run_path.rstrip("/").rsplit("/", 1)[1])
    before = _themes(app, run_id)
    first, second = sorted(before)[:2]

    merged = staff.form(run_path + "/merge", {"themes": [first, second], "label": "Merged by hand"})
    assert merged.status == 302, merged.text[:500]
    report_path = urllib.parse.urlsplit(merged.headers["Location"]).path
    page = staff.request(report_path)
    waiting = page.soup().find(id=f"theme-{first}-describing")
    # The worker may already be done; if not, the page says it is describing the theme.
    assert waiting is None or waiting.get_text() == "Describing the merged theme…"
    while page.soup().find(id=f"theme-{first}-describing") is not None:
        assert time.monotonic() < deadline + 240, "the worker never described the merge"
        time.sleep(0.5)
        page = staff.request(report_path)
    after = _themes(app, run_id)
    assert after[first].describing is None
    # Described by the worker, not in the request.
    assert "describing a merged theme of run" in (tmp_path / "worker.log").read_text()
    assert second not in after and after[first].label == "Merged by hand"
    theme = after[first]
    with app.app_context():
        run = db.session.get(AnalysisRun, run_id)
        rows = db.session.execute(
            select(RunAssignment.reference, RunAssignment.text, RunAssignment.stance)
            .where(RunAssignment.run_id == run_id, RunAssignment.theme_id == theme.id)
            .order_by(RunAssignment.id)
        ).all()
        wording = run.question.text
        measured = stance_measured(run)
        db.session.remove()
    assert measured  # the demo's "Why do you say that?" follows an agreement question
    agreement = [AGREEMENT_OF_STANCE.get(r.stance or "", "") for r in rows]
    # The merged theme says what its own answers say, not what either part said.
    described = describe_group(
        [r.text for r in rows],
        [r.reference for r in rows],
        agreement,
        wording,
        engine="fast",
        seed=1,
    )
    assert theme.keywords == described.keywords and theme.summary == described.summary
    assert theme.keywords != before[first].keywords or theme.summary != before[first].summary
    assert page.status == 200
    section = page.soup().find(id=f"theme-{first}")
    shown = section.get_text(" ", strip=True)
    assert ", ".join(theme.keywords) in shown
    assert all(" ".join(point["text"].split()) in shown for point in theme.summary)
