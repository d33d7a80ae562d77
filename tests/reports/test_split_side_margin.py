"""fix #5: splitting a theme fitted its parts with the default side margin (0.2) whatever
the run used, though each run keeps the margin it used (README, the report's help text)."""

from __future__ import annotations

import pytest

from analysis.flags import SIDE_MARGIN
from consult.extensions import db
from consult.reports import review
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.mark.parametrize("margin", [None, 0.45])
def test_a_split_fits_its_parts_with_the_runs_side_margin(app, margin):
    consultation, question = make_question()
    add_answers(consultation, question, 48)
    run = stored_run(consultation, question, n_themes=4, seed=3)
    assert review.stance_measured(run)  # a "why" question: the split moves answers for side
    run.settings = {**run.settings, "side_margin": margin}
    db.session.commit()
    model = review.split_model(run, 2)
    assert model.side_margin == margin and model.seed == 3 and model.n_themes == 2
    # a run from before margins were recorded splits with the default, as it was fitted
    older = {key: value for key, value in run.settings.items() if key != "side_margin"}
    run.settings = older
    assert review.split_model(run, 2).side_margin == SIDE_MARGIN
    run.settings = {**older, "side_margin": margin}
    db.session.commit()
    key = max(run.visible_themes, key=lambda t: t.size).key
    review.split_theme(run, key, 2, make_user("analyst"))
    db.session.expire_all()
    assert len(run.visible_themes) == 5
