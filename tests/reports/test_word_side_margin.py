"""Review note: the Word report's "Analysis" line gave the engine and seed but not the side
margin the run used, which Run details, the runs list and the audit give."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.reports.documents import headline
from tests.reports.review_helpers import add_answers, make_question, stored_run

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.mark.parametrize(("margin", "words"), [(None, "off"), (0.45, "0.45")])
def test_the_word_reports_analysis_line_gives_the_side_margin(app, margin, words):
    consultation, question = make_question()
    add_answers(consultation, question, 24)
    run = stored_run(consultation, question, n_themes=3)
    run.settings = {**run.settings, "side_margin": margin}
    db.session.commit()
    analysis = dict(headline(run))["Analysis"]
    assert f"seed 0, side margin {words}, " in analysis
    older = {key: value for key, value in run.settings.items() if key != "side_margin"}
    run.settings = older
    assert "side margin not recorded" in dict(headline(run))["Analysis"]
