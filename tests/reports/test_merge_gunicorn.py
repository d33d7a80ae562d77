"""A reviewer's merge through a real gunicorn process and job worker (the setup of
tests/test_gunicorn.py): the merged theme is described from its own answers
(:func:`analysis.group.describe_group`), here by the worker (``MERGE_DESCRIBE_AT_MOST`` set
low in the instance's config.py), the report saying "Describing the merged theme…" until
the page shows its new keywords and summary."""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.reports import merging
from consult.reports.edit_keywords import contrasted_keywords
from consult.reports.models import AnalysisRun, RunTheme, ThemeEdit
from consult.reports.runs import stance_measured
from tests.test_gunicorn import Browser, served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


def _themes(app, run_id: int) -> dict[str, RunTheme]:
    with app.app_context():
        found = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id))
        themes = {t.key: t for t in found if not t.hidden}
        for theme in themes.values():
            db.session.expunge(theme)
        db.session.remove()
        return themes


@dataclass
class FinishedRun:
    """A run that succeeded on the served app, and the signed-in browser that started it."""

    staff: Browser
    path: str  # the run's page
    id: int
    themes: dict[str, RunTheme]  # its shown themes when it finished
    deadline: float  # when waiting for it would have failed (time.monotonic)
    app: Flask


@pytest.fixture
def finished_run(served):  # noqa: F811
    """A function that signs the served app's admin in, starts a run of the demo's "Why do
    you say that?" with ``engine`` (four themes, seed 1) and waits for it to succeed, at most
    ``seconds``, asking every ``poll`` seconds."""
    base, consultation_id, question_id, email, _, app = served

    def start(engine: str, seconds: float, poll: float) -> FinishedRun:
        staff = signed_in_browser(base, email)
        started = staff.form(
            f"/staff/reports/consultations/{consultation_id}/new",
            {"question": str(question_id), "engine": engine, "themes": "4", "seed": "1"},
        )
        assert started.status == 302, started.text[:500]
        run_path = urllib.parse.urlsplit(started.headers["Location"]).path
        deadline = time.monotonic() + seconds
        while not (progress := json.loads(staff.request(run_path + "/status").body))["finished"]:
            assert time.monotonic() < deadline, progress
            time.sleep(poll)
        assert progress["status"] == "succeeded", progress
        run_id = int(run_path.rstrip("/").rsplit("/", 1)[1])
        return FinishedRun(staff, run_path, run_id, _themes(app, run_id), deadline, app)

    return start


@pytest.fixture
def small_merges_later(tmp_path):
    """Before the server starts: merges of more than 5 answers are described by the worker."""
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text("MERGE_DESCRIBE_AT_MOST = 5\n")


def test_a_merge_over_http_shows_the_merged_themes_own_keywords_and_summary(
    small_merges_later, finished_run, tmp_path
):
    run = finished_run("fast", seconds=240, poll=0.3)
    staff, run_path, run_id, before, app = run.staff, run.path, run.id, run.themes, run.app
    first, second = sorted(before)[:2]

    merged = staff.form(run_path + "/merge", {"themes": [first, second], "label": "Merged by hand"})
    assert merged.status == 302, merged.text[:500]
    report_path = urllib.parse.urlsplit(merged.headers["Location"]).path
    page = staff.request(report_path)
    waiting = page.soup().find(id=f"theme-{first}-describing")
    # The worker may already be done; if not, the page says it is describing the theme.
    assert waiting is None or waiting.get_text() == "Describing the merged theme…"
    while page.soup().find(id=f"theme-{first}-describing") is not None:
        assert time.monotonic() < run.deadline + 240, "the worker never described the merge"
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
        own, also = merging.mentioning(run_id, theme.id, first)
        edit = db.session.scalar(select(ThemeEdit).where(ThemeEdit.run_id == run_id))
        parts = merging.merged_parts(run, edit.payload)
        measured = stance_measured(run)
        # The merged theme says what its own answers say, under its label, keeping both
        # parts' points, as the request would have described it.
        described = merging.describe_members(run, own, theme.label, parts, also)
        # its keywords against the other themes after the merge, as a fit's (kwedit)
        keywords = contrasted_keywords(run, run.themes, [first])[first]
        db.session.remove()
    assert measured  # the demo's "Why do you say that?" follows an agreement question
    assert parts == [before[first].label, before[second].label]
    assert theme.keywords == keywords and theme.summary == described.summary
    assert theme.keywords != before[first].keywords or theme.summary != before[first].summary
    assert page.status == 200
    section = page.soup().find(id=f"theme-{first}")
    shown = section.get_text(" ", strip=True)
    assert (", ".join(theme.keywords) or "No distinctive words") in shown
    assert all(" ".join(point["text"].split()) in shown for point in theme.summary)


def _summary_items(section) -> list[str]:
    """A theme's summary points on the report page, each as its words read."""
    heading = section.find(string=lambda text: text and "Other points its answers make" in text)
    listing = heading.find_parent().find_next("ul") if heading else None
    return [li.get_text(" ", strip=True) for li in listing.find_all("li")] if listing else []


def test_a_merge_and_a_split_over_http_carry_the_runs_counts(finished_run):
    """smoke7 findings 4 and 9 on a real server, semantic engine: a merge described in the
    request and a split show the label-point line and every summary point's count on the
    report, the merged theme's first point is not its label, and the merge and split
    pages' buttons say what they are doing while the request works."""
    from analysis.describe import restated
    from analysis.embeddings import available

    if not available():
        pytest.skip("the semantic extra is not installed")
    run = finished_run("semantic", seconds=400, poll=0.5)
    staff, run_path, run_id, before, app = run.staff, run.path, run.id, run.themes, run.app
    first, second = sorted(before)[:2]

    form = staff.request(f"{run_path}/merge?key={first}").soup()
    assert form.find(id="merge-button")["data-busy"] == "Merging the themes…"
    clock = time.perf_counter()
    merged = staff.form(run_path + "/merge", {"themes": [first, second]})
    merge_seconds = time.perf_counter() - clock
    assert merged.status == 302, merged.text[:500]
    page = staff.request(urllib.parse.urlsplit(merged.headers["Location"]).path).soup()
    theme = _themes(app, run_id)[first]
    assert theme.label == before[first].label and theme.label_point is not None
    section = page.find(id=f"theme-{first}")
    if theme.label_point < theme.mentions:
        assert page.find(id=f"theme-{first}-label-point") is not None
    items = _summary_items(section)
    said = [point for point in theme.summary if not point.get("only_point")]
    assert items and len(items) == len(theme.summary)
    assert not restated(said[0]["text"], theme.label)
    assert all("answers mentioning it" in item for item in items if "Note from" not in item)

    key = _themes(app, run_id)[first].key
    form = staff.request(f"{run_path}/themes/{key}/split").soup()
    assert form.find(id="split-button")["data-busy"] == "Splitting the theme…"
    clock = time.perf_counter()
    split = staff.form(f"{run_path}/themes/{key}/split", {"n": "2"})
    split_seconds = time.perf_counter() - clock
    assert split.status == 302, split.text[:500]
    page = staff.request(urllib.parse.urlsplit(split.headers["Location"]).path).soup()
    parts = [t for k, t in _themes(app, run_id).items() if t.origin == "split"]
    assert len(parts) == 2
    for part in parts:
        assert part.label_point is not None
        items = _summary_items(page.find(id=f"theme-{part.key}"))
        assert items and all(
            "answers mentioning it" in item for item in items if "Note from" not in item
        )
    print(f"merge {merge_seconds:.2f} s, split {split_seconds:.2f} s over HTTP")
