"""The learned answer projection (:mod:`analysis.answer_projection`, BENCHMARKS.md "proj32",
"ship33"): an option, off by default (``projection_weight=0.15`` or ``--projection`` turn it
on); on, it joins the semantic engine's vectors with their projection exactly as
``bench.learned_projection`` scored it; without an installed file it changes nothing and says so
once."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import answer_projection
from analysis.api import ThemeModel
from analysis.flags import PROJECTION_WEIGHT
from analysis.represent import semantic_available

pytestmark = pytest.mark.coding_encoder  # fits the semantic engine

TOPICS = (
    "the buses are late and the bus timetable is never kept",
    "rents are too high and housing costs keep rising",
    "the park needs more trees and cleaner paths",
    "school classes are too big for the teachers",
    "hospital waiting lists for a doctor are far too long",
    "street lights are broken and the roads are dark at night",
)
TEXTS = [f"{TOPICS[i % len(TOPICS)]}, said resident {i} of ward {i % 7}" for i in range(90)]


def test_joined_is_unit_length_and_leaves_vectors_alone_when_off():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(10, 6)).astype(np.float32)
    table = rng.normal(size=(6, 3))
    assert answer_projection.joined(vectors, 0.0, table) is vectors
    assert answer_projection.joined(vectors, 0.15, None) is vectors
    assert answer_projection.joined(vectors, 0.15, rng.normal(size=(5, 3))) is vectors
    both = answer_projection.joined(vectors, 0.15, table)
    assert both.shape == (10, 9) and both.dtype == np.float32
    assert np.allclose(np.linalg.norm(both, axis=1), 1.0, atol=1e-6)


def test_no_file_means_no_projection_and_a_reason(tmp_path, monkeypatch):
    monkeypatch.setenv(answer_projection.ENVIRONMENT, str(tmp_path / "none.npz"))
    assert answer_projection.scalings() is None
    assert "none.npz" in answer_projection.unavailable_reason()
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a numpy file")
    monkeypatch.setenv(answer_projection.ENVIRONMENT, str(broken))
    assert answer_projection.scalings() is None


def _fit(weight: float) -> ThemeModel:
    return ThemeModel(n_themes=6, engine="semantic", seed=0, projection_weight=weight).fit(TEXTS)


def test_projection_weight_is_checked():
    from analysis.errors import InputError

    with pytest.raises(InputError, match="projection_weight"):
        ThemeModel(n_themes=6, engine="semantic", projection_weight=1.5).fit(TEXTS)


@pytest.mark.skipif(not semantic_available(), reason="the semantic engine is not installed")
def test_on_groups_as_the_bench_scored_it_rerun_identical_and_off_without_a_file(
    tmp_path, monkeypatch
):
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    from analysis.embeddings import MiniLMEmbedder
    from bench import grouping_leads, learned_projection
    from bench import vector_leads as bench

    topics = [i % len(TOPICS) for i in range(len(TEXTS))]
    lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto")
    lda.fit(MiniLMEmbedder(threads=1).embed(TEXTS), topics)
    stored = tmp_path / "answer-projection.npz"
    np.savez(stored, scalings=lda.scalings_[:, : lda._max_components])
    monkeypatch.setenv(answer_projection.ENVIRONMENT, str(stored))

    run = grouping_leads.prepare(TEXTS, None, "semantic", 0)
    scored = bench.rebuilt(run, learned_projection.learned(lda, 0.5))
    shipped = bench.rebuilt(run, bench.settings(projection_weight=0.5))
    assert np.array_equal(scored.vectors, shipped.vectors)

    first, again = _fit(0.15), _fit(0.15)
    assert first.n_themes_ == 6
    assert np.array_equal(first.labels_, again.labels_)
    assert first.themes_ == again.themes_

    assert first.projection_weight_ == 0.15 and not first.projection_missing_
    off = _fit(0.0)
    assert off.projection_weight_ == 0.0 and not off.projection_missing_
    assert not np.array_equal(first.representation_.joined_, off.representation_.joined_)
    # the default is off (ship33's check of the demo failed); 0.15 is the setting to ask for
    default = ThemeModel(n_themes=6, engine="semantic", seed=0).fit(TEXTS)
    assert ThemeModel().projection_weight == 0.0 and PROJECTION_WEIGHT == 0.15
    assert np.array_equal(default.labels_, off.labels_) and default.themes_ == off.themes_
    # the table is chosen when fitting and kept: new answers are placed as the fit was
    placed = first.predict(TEXTS[:10])
    monkeypatch.setenv(answer_projection.ENVIRONMENT, str(tmp_path / "missing.npz"))
    assert np.array_equal(first.predict(TEXTS[:10]), placed)
    answer_projection.warn_unavailable.cache_clear()
    with pytest.warns(RuntimeWarning, match="not installed") as said:
        fresh_clone = _fit(0.15)  # no installed projection: exactly as off
        _fit(0.15)
    assert len([w for w in said if "answer projection" in str(w.message)]) == 1  # once
    assert fresh_clone.projection_missing_ and fresh_clone.projection_weight_ == 0.0
    assert np.array_equal(fresh_clone.labels_, off.labels_)
    assert fresh_clone.themes_ == off.themes_


def test_fast_engine_and_models_pickled_before_it_are_left_alone(tmp_path, monkeypatch):
    """The fast engine has no sentence vectors to join it to: no warning, nothing recorded."""
    import warnings

    monkeypatch.setenv(answer_projection.ENVIRONMENT, str(tmp_path / "missing.npz"))
    answer_projection.warn_unavailable.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        fast = ThemeModel(n_themes=6, engine="fast", seed=0).fit(TEXTS)
    assert fast.projection_weight_ == 0.0 and not fast.projection_missing_
    from analysis.output import projection_record

    assert projection_record(fast) is None
    older = ThemeModel(n_themes=6, engine="fast")
    del older.projection_weight  # a model pickled before the option: off
    assert older._projection_weight() == 0.0


def test_the_build_without_data_says_so_and_writes_nothing(tmp_path, monkeypatch, capsys):
    """A fresh clone without ``../shared/data``: ``make install``'s step exits 0, no file."""
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[2] / "tools" / "answer_projection_build.py"
    spec = importlib.util.spec_from_file_location("answer_projection_build", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setenv("CONSULT_DATA_DIR", str(tmp_path / "no-data"))
    out = tmp_path / "answer-projection.npz"
    assert module.main(["--out", str(out)]) == 0
    assert not out.exists()
    assert "not built" in capsys.readouterr().out
