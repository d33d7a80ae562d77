"""store33 (issue 12): a reviewer's recount of a semantic-engine theme read the theme's stored
summary, which had lost the sentences the run's count read as its label's point in other
words (count30), so a rename and a rename back, nothing changed, could count the label
differently from the run. The run now stores them with the theme (``unlisted_points``) and
every recount reads them as the run's count did; a theme stored before (None) is recounted
from its summary alone, as then."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import review, runs
from consult.reports.jobs import run_job
from consult.reports.models import AnalysisRun, RunTheme
from tests.reports_helpers import demo, question_numbered

pytestmark = pytest.mark.coding_encoder

# The demo's question whose semantic run (300 responses, seed 0) has a theme whose recount
# differed from the run's count before store33 (BENCHMARKS "store33").
QUESTION = "Why do you say that?"


def counted_themes(run_id: int) -> dict[str, RunTheme]:
    found = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id))
    return {t.key: t for t in found if not t.hidden and t.label_point is not None}


@pytest.fixture
def semantic_run(app):
    from analysis.embeddings import available

    if not available():
        pytest.skip("the semantic extra is not installed")
    consultation = demo(300)
    _, question = question_numbered(consultation, QUESTION)
    run = runs.start_run(consultation, question, {"engine": "semantic", "seed": 0}, actor="test")
    run_id = run.id
    assert run_job(run_id) == "succeeded"
    db.session.remove()
    return run_id


def rename_and_back(run_id: int, key: str) -> None:
    run = db.session.get(AnalysisRun, run_id)
    label = counted_themes(run_id)[key].label
    review.rename_theme(run, key, "A name for a moment", None)
    db.session.commit()
    review.rename_theme(db.session.get(AnalysisRun, run_id), key, label, None)
    db.session.commit()
    db.session.expire_all()


def test_a_rename_and_back_counts_every_label_as_the_run_did(app, semantic_run):
    made = {
        key: (t.label_point, list(t.summary)) for key, t in counted_themes(semantic_run).items()
    }
    assert made
    for key in made:
        rename_and_back(semantic_run, key)
    after = counted_themes(semantic_run)
    assert {key: t.label_point for key, t in after.items()} == {
        key: count for key, (count, _) in made.items()
    }
    # the sentences the run's count read that the summaries no longer list, kept
    assert any(t.unlisted_points for t in after.values())


def test_a_theme_stored_before_is_recounted_from_its_summary_alone(app, semantic_run):
    """Old rows (no ``unlisted_points``): the recount reads the summary only, as before
    store33, and says nothing of it (the count is the recount's, the summary the stored)."""
    for theme in counted_themes(semantic_run).values():
        theme.unlisted_points = None
    db.session.commit()
    key = next(iter(counted_themes(semantic_run)))
    rename_and_back(semantic_run, key)
    theme = counted_themes(semantic_run)[key]
    assert isinstance(theme.label_point, int) and theme.label_point <= theme.mentions
