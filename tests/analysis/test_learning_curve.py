"""The learning curve's points are each learned afresh from the share of coded rows they
name (rev32b traced smoke32's flat curve, F1 0.72 at 2, 5, 7 and 10 responses after 12
coded: not a reused model, the codebook's own rows dominating so few coded ones)."""

from __future__ import annotations

from analysis.agreement import coding_metrics
from analysis.coding import CodingModel
from tests.analysis.test_coding import BOOK, coded_rows


def test_each_point_learns_from_the_rows_it_names(monkeypatch):
    rows = coded_rows(40)
    labels = [r["truth"] if i < 12 else None for i, r in enumerate(rows)]
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    learned: list[int] = []
    original = CodingModel._fold_proba

    def counting(self, train, y, test):
        learned.append(len(train))
        assert len(y) == len(train)
        return original(self, train, y, test)

    monkeypatch.setattr(CodingModel, "_fold_proba", counting)
    metrics = coding_metrics(model)
    curve = metrics["learning_curve"]
    assert [point["coded"] for point in curve] == [2, 5, 7, 10]
    # five folds for the headline figure, then five for each smaller share, each learning
    # from that share of its training fold (9 or 10 rows), never fewer than 2
    assert len(learned) == 5 * len(curve)
    headline, *shares = [learned[5 * k : 5 * k + 5] for k in range(len(curve))]
    assert sorted(headline) == [9, 9, 10, 10, 10]
    assert [sorted(fold) for fold in shares] == [[2] * 5, [4, 4, 5, 5, 5], [7, 7, 8, 8, 8]]
    assert curve[-1]["sample_f1"] == metrics["sample_f1"]
