"""bench.label_point_rules recounts a run's label points as the run counted them (count32).

The run's label count reads every theme's summary sentences as headings, then leaves out of
each summary those it read as the label's point in other words (count30). The bench read the
summaries after that, so its recount with no option had fewer headings than the run's count
and differed from it (4 of 52 fast demo labels, 75 -> 61 and 35 -> 15): its "now" was not the
count shown. It now keeps the summary sentences as the run's count read them.
"""

from __future__ import annotations

from analysis import ThemeModel, stages
from bench import label_point_rules
from tests.analysis.test_stance_summaries import _data


def test_the_recount_reads_the_summaries_the_runs_own_count_read(monkeypatch):
    monkeypatch.setattr(stages, "label_spread", stages.label_spread)
    monkeypatch.setattr(stages, "_shown_label_points", stages._shown_label_points)
    runs = label_point_rules._capture()
    texts, ids, agreement = _data()
    ThemeModel(n_themes=3, engine="fast", seed=0).fit(texts, ids=ids, agreement=agreement)
    run = runs[-1]
    kept = label_point_rules._inputs(run)
    # every summary sentence the run shows was a heading of its count, and maybe more
    assert set(stages._summary_texts(run)) <= set(kept["rivals"])
    assert kept["rivals"] == label_point_rules._COUNTED_RIVALS[id(run)]
    assert label_point_rules.recount(kept, "fast", {}) == kept["shown"]


def test_claims_count32_reads_an_answers_claim_as_before_count33_then_as_now():
    from analysis.label_sides import negates

    label, text = "Business should get a vote", "Without doubt business should get a vote."
    with label_point_rules._claims_as_count32(True):
        assert negates(label, text)  # "doubt" read as the claim negated, as before
        assert not negates(label, "We strongly disagree, business should not get a vote.")
    assert not negates(label, text)
    assert negates(label, "We strongly disagree, business should not get a vote.")
    assert label_point_rules._value("count32") == "count32"
