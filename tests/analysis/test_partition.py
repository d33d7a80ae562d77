"""The grouping alone (:meth:`analysis.ThemeModel.fit_partition`, what a reviewer's large
split makes in the web request before a worker describes the parts) is the grouping
:meth:`~analysis.ThemeModel.fit` finds on the same answers, engine, seed and count, and
predicts the themes of other answers as the fit does."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import ThemeModel
from tests.analysis.test_group import demo  # noqa: F401 - the demo fixture

pytestmark = pytest.mark.coding_encoder


@pytest.mark.parametrize("n", [2, 3])
def test_the_partition_is_the_fits(demo, engine, n):  # noqa: F811
    wording, texts, ids, agreement = demo[0]
    fitted = ThemeModel(n_themes=n, engine=engine, seed=0).fit(
        texts[:150], ids=ids[:150], agreement=agreement[:150] if agreement else None
    )
    parted = ThemeModel(n_themes=n, engine=engine, seed=0).fit_partition(
        texts[:150], ids=ids[:150], agreement=agreement[:150] if agreement else None
    )
    assert parted.n_themes_ == fitted.n_themes_ == n
    assert np.array_equal(parted.labels_, fitted.labels_)
    assert np.array_equal(parted.predict(texts[150:]), fitted.predict(texts[150:]))
    assert not hasattr(parted, "themes_")
