"""ship33: a semantic run's report, served by a real server process, says in its Run details
that the grouping used the learned answer projection and where it was learned, and its help
text says what the projection is (BENCHMARKS.md "ship33")."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest

from analysis.represent import semantic_available
from tests.test_browser import demo_admin_session, running_server

pytestmark = [
    pytest.mark.coding_encoder,
    pytest.mark.skipif(not semantic_available(), reason="the semantic engine is not installed"),
]

requests = pytest.importorskip("requests")


def words(page: str) -> str:
    """The page's text, tags dropped and spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_a_semantic_runs_report_says_it_used_the_learned_projection(tmp_path):
    stored = tmp_path / "answer-projection.npz"  # a stand-in for the one make install builds
    np.savez(stored, scalings=np.random.default_rng(0).normal(size=(384, 4)))
    database = f"sqlite:///{tmp_path / 'projection.sqlite'}"
    env = {
        **os.environ,
        "CONSULT_INSTANCE_PATH": str(tmp_path / "instance"),
        "CONSULT_DATABASE_URL": database,
        "CONSULT_ANSWER_PROJECTION": str(stored),
    }

    def flask(*args: str) -> str:
        command = [sys.executable, "-m", "flask", "--app", "consult", *args]
        return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout

    flask("db", "upgrade")
    flask("demo", "load", "--responses", "60")
    run = flask(
        *("reports", "run", "--consultation", "trailblazer-devolution-deal"),
        *("--question", "2", "--engine", "semantic", "--wait"),
    ).split()[-1]
    with running_server(tmp_path / "server", CONSULT_DATABASE_URL=database) as (base, link):
        session = demo_admin_session(base, link.env)
        page = session.get(f"{base}/staff/reports/runs/{run}")
    assert page.status_code == 200
    details = words(page.text.split('id="run-details"', 1)[1])
    assert (
        "Learned answer projection weight 0.15 (learned on NHS phase 1 Trust A's 9 coded "
        "themes)" in details.replace("&#39;", "'")
    )
    assert "NHS phase 1 Trust A's answers and their 9 themes" in details.replace("&#39;", "'")
