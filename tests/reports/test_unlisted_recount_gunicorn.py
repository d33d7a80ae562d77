"""store33 through a real gunicorn process and job worker: a semantic run of the served demo's
question, then a rename and a rename back of every theme it counted, each counted again by the
worker (``RECOUNT_IN_REQUEST_AT_MOST`` set low in the instance's config.py), leave every
label's count as the run made it, and the Excel workbook downloaded afterwards carries those
counts."""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import load_workbook

from tests.reports.test_merge_gunicorn import _themes, finished_run  # noqa: F401 - fixture
from tests.test_gunicorn import served  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


@pytest.fixture
def recounts_later(tmp_path):
    """Before the server starts: a rename of a theme of more than 1 answer is counted by
    the worker."""
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text("RECOUNT_IN_REQUEST_AT_MOST = 1\n")


def renamed(run, key: str, label: str) -> None:
    """Rename theme ``key`` over HTTP and wait for the worker to count it."""
    reply = run.staff.form(f"{run.path}/themes/{key}/rename", {"label": label, "description": ""})
    assert reply.status == 302, reply.text[:300]
    while _themes(run.app, run.id)[key].describing is not None:
        assert time.monotonic() < run.deadline + 300, "the worker never counted the rename"
        time.sleep(0.3)


def test_a_rename_and_back_over_http_keeps_the_runs_counts_and_exports_them(
    recounts_later,
    finished_run,  # noqa: F811
    tmp_path,
):
    from analysis.embeddings import available

    if not available():
        pytest.skip("the semantic extra is not installed")
    run = finished_run("semantic", seconds=400, poll=0.5)
    made = {key: t for key, t in run.themes.items() if t.label_point is not None}
    assert made
    for key, theme in made.items():
        renamed(run, key, "A name for a moment")
        renamed(run, key, theme.label)
    assert "counting again a renamed theme" in (tmp_path / "worker.log").read_text()
    after = _themes(run.app, run.id)
    assert {key: after[key].label_point for key in made} == {
        key: t.label_point for key, t in made.items()
    }
    workbook = run.staff.request(f"{run.path}/report.xlsx")
    assert workbook.status == 200 and workbook.body[:2] == b"PK"
    rows = list(load_workbook(io.BytesIO(workbook.body), read_only=True)["Themes"].values)
    column = next(i for i, name in enumerate(rows[0]) if str(name).startswith("Of them, making"))
    exported = {row[0]: row[column] for row in rows[1:] if row[0] in made}
    assert exported == {key: t.label_point for key, t in made.items()}
