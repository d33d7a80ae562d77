"""count34: a label's point made from one side is counted across themes without the answers
on the other side by default (``analysis.stages.SPREAD_SIDES`` on, count34's rule: none of the
answers it leaves out on two demo draws makes the label's point); without stance nothing is
read."""

from __future__ import annotations

from analysis import ThemeModel, stages
from tests.analysis.fixtures import responses


def test_the_whole_question_count_reads_the_points_side_by_default(monkeypatch):
    assert stages.SPREAD_SIDES is True
    monkeypatch.setattr(stages, "FAST_ENGINE_SPREAD", True)  # the fast engine, for speed
    texts = [row["answer"] for row in responses(150)]
    agreement = ["Agree" if i % 3 else "Disagree" for i in range(len(texts))]
    measured = ThemeModel(engine="fast", seed=0).fit(texts, agreement=agreement)
    assert measured.summary_["stance_measured"] is True
    assert measured.spread_ and all("side" in entry for entry in measured.spread_)
    unmeasured = ThemeModel(engine="fast", seed=0).fit(texts)
    assert unmeasured.spread_ and all("side" not in entry for entry in unmeasured.spread_)
