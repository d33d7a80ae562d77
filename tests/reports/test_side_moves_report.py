"""A workspace run whose "why" question has a paired agreement question moves answers on the
other side from their theme to a theme on their own side (issue 12, ``ThemeModel``'s default
``side_margin``): its report page says how many moved, once, and the themes' stance splits
count them where they are now."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from bench.common import data_dir
from consult.extensions import db
from consult.reports import runs
from consult.reports.jobs import run_job
from consult.reports.models import AnalysisRun, RunAssignment
from tests.helpers import make_consultation, soup
from tests.reports_helpers import add_responses
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

ARGKP = data_dir() / "argkp"  # $CONSULT_DATA_DIR, or ../shared/data beside the repository


def _motion(index: int) -> tuple[str, list[str], list[str]]:
    from bench.misplaced import argkp_motions

    topic, texts, _, stance = argkp_motions()[index]
    return topic, texts, stance


@pytest.mark.skipif(not ARGKP.is_dir(), reason="needs the ArgKP data (CONSULT_DATA_DIR)")
def test_a_run_with_a_paired_agreement_question_says_how_many_moved(app):
    consultation = make_consultation()
    agree = next(q for q in consultation.questions if q.kind == "agreement")
    why = next(q for q in consultation.questions if q.explains is not None)
    _, texts, stance = _motion(0)
    add_responses(
        consultation,
        [
            {agree: "agree" if side == "1" else "disagree", why: text}
            for text, side in zip(texts, stance, strict=True)
        ],
    )
    run = runs.start_run(consultation, why, {"engine": "fast", "seed": 0})
    assert run_job(run.id) == "succeeded"
    run = db.session.get(AnalysisRun, run.id)
    moved = run.summary["moved_for_side"]
    assert moved > 0

    rows = db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id)).all()
    for theme in run.themes:  # the stance split counts the answers where they are now
        mentioning = [r for r in rows if any(key == theme.key for key, _ in r.themes)]
        assert sum(theme.stance.values()) == len(mentioning)
        assert theme.stance == {
            **{side: 0 for side in theme.stance},
            **Counter(r.stance for r in mentioning),
        }
    assert sum(t.size for t in run.themes) == sum(r.theme_id is not None for r in rows)

    page = signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}")
    assert page.status_code == 200
    said = soup(page).find_all(id="side-moves")
    assert len(said) == 1
    assert " ".join(said[0].get_text().split()).startswith(
        f"{moved} answers moved to a theme on their own side"
    )


def test_a_run_where_nothing_moved_says_nothing_of_it(app):
    from tests.reports.stored_runs import store_synthetic_run

    consultation = make_consultation()
    why = next(q for q in consultation.questions if q.explains is not None)
    stored = store_synthetic_run(consultation, why, responses=40)
    assert "moved_for_side" not in (stored.summary or {})
    page = signed_in(app, "analyst").get(f"/staff/reports/runs/{stored.id}")
    assert page.status_code == 200 and soup(page).find(id="side-moves") is None
