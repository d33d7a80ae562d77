"""How warmly answers speak, taken out of the grouping vectors (``ThemeModel(tone_weight=)``,
:mod:`analysis.tone`, BENCHMARKS "nmi29"): the sentiment probes' directions span the tone;
with the option on the grouping vectors have none of it left, while labels, quotes and
sentiment read the vectors as they were; off (the default) changes nothing; reruns are
byte-identical; a bad weight gets a clear message."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from analysis.api import ThemeModel
from analysis.cli import main
from analysis.embeddings import available as semantic_available
from analysis.errors import InputError
from analysis.sentiment_probe import PROBE_FILE, STATIC_PROBE_FILE, load_probe
from analysis.static_vectors import unavailable_reason
from analysis.tone import check_tone_weight, fitted_axis, tone_basis, without_tone
from tests.analysis.fixtures import responses, write_csv
from tests.analysis.test_theme_encoder import _outputs

pytestmark = pytest.mark.coding_encoder

needs_semantic = pytest.mark.skipif(
    not semantic_available(), reason="the semantic extra is not installed"
)
needs_static = pytest.mark.skipif(
    unavailable_reason() is not None, reason="the MiniLM packages are missing"
)


@pytest.fixture
def texts() -> list[str]:
    return [row["answer"] for row in responses(60)]


@pytest.mark.parametrize(("space", "dims"), [("minilm", 384), ("static", 128)])
def test_the_basis_spans_the_probes_heads(space, dims):
    basis = tone_basis(space)
    assert basis.shape == (2, dims)  # the general and the praise heads
    np.testing.assert_allclose(basis @ basis.T, np.eye(2), atol=1e-5)
    # the general head's weight vector lies in the span (nothing of it is left outside)
    probe = load_probe(STATIC_PROBE_FILE if space == "static" else PROBE_FILE)
    general = probe.heads["general"].coef
    inside = basis.T @ (basis @ general)
    np.testing.assert_allclose(inside, general, atol=1e-4 * np.linalg.norm(general))
    assert tone_basis(space, "probe:general").shape == (1, dims)
    assert tone_basis(space, "probe:nothing") is None


def test_an_unknown_space_or_source_is_refused():
    with pytest.raises(ValueError, match="unknown vector space 'e5'"):
        tone_basis("e5")
    with pytest.raises(ValueError, match="unknown tone source 'warmth'"):
        tone_basis("static", "warmth")


@pytest.mark.parametrize(("space", "dims"), [("minilm", 384), ("static", 128)])
def test_the_dev_directions_are_read_in_order(space, dims):
    """bench/tone_directions.py's file: the top N praise-minus-complaint directions."""
    one, four = tone_basis(space, "dev:1"), tone_basis(space, "dev:4")
    assert one.shape == (1, dims) and four.shape == (4, dims)
    np.testing.assert_allclose(four @ four.T, np.eye(4), atol=1e-5)
    np.testing.assert_allclose(np.abs(four[0] @ one[0]), 1.0, atol=1e-5)


def test_the_fitted_axis_finds_the_direction_the_reading_follows():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(400, 12))
    planted = np.zeros(12)
    planted[4] = 1.0
    reading = vectors @ planted + 0.05 * rng.normal(size=400)
    axis = fitted_axis(vectors, reading)
    assert abs(float(axis @ planted)) > 0.99
    assert fitted_axis(vectors, np.ones(400)) is None  # a reading that does not vary
    assert fitted_axis(vectors[:2], reading[:2]) is None


def test_without_tone_removes_the_projection_by_its_weight():
    basis = tone_basis("static")
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(20, 128)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors += 2 * basis[0]  # every vector leans the same warm way
    full = without_tone(vectors, basis, 1.0)
    assert np.abs(full @ basis.T).max() < 1e-5  # no tone left
    np.testing.assert_allclose(np.linalg.norm(full, axis=1), 1.0, atol=1e-5)
    half = without_tone(vectors, basis, 0.5)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    # half the projection out: less tone than before, more than none
    assert (np.abs(half @ basis[0]) < np.abs(unit @ basis[0])).all()
    assert (np.abs(half @ basis[0]) > 1e-3).all()
    assert without_tone(vectors, basis, 0.0) is vectors
    assert without_tone(vectors, None, 1.0) is vectors
    other = rng.normal(size=(3, 384)).astype(np.float32)
    assert without_tone(other, basis, 1.0) is other  # another model's vectors: untouched


@pytest.mark.parametrize("bad", [-0.1, 1.5, "warm", None])
def test_a_bad_weight_is_refused(bad):
    with pytest.raises(ValueError, match="tone_weight must be"):
        check_tone_weight(bad)


def test_a_bad_weight_is_a_clear_input_error(texts):
    with pytest.raises(InputError, match="tone_weight must be from 0 to 1, not 2"):
        ThemeModel(n_themes=3, engine="fast", tone_weight=2).fit(texts)


@needs_static
def test_praise_sits_with_its_subject_once_the_tone_is_out():
    """ "Lovely staff." is nearer "Lovely food." than "The staff were rude." in the static
    vectors; with the tone out, the two answers about the staff come closer."""
    from analysis.static_vectors import StaticVectors

    static = StaticVectors()
    vectors = static.fit_transform(
        ["Lovely staff, so kind.", "Lovely food, so tasty.", "The staff were rude and unkind."]
    )
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    plain = vectors @ vectors.T
    less = without_tone(vectors, tone_basis("static"), 1.0)
    toned = less @ less.T
    assert toned[0, 2] - toned[0, 1] > plain[0, 2] - plain[0, 1]


@needs_static
def test_the_fast_engine_groups_without_the_tone_and_describes_as_before(texts):
    plain = ThemeModel(n_themes=3, engine="fast", seed=0).fit(texts)
    assert plain.representation_.tone_weight == 0.0
    model = ThemeModel(n_themes=3, engine="fast", seed=0, tone_weight=1.0).fit(texts)
    representation = model.representation_
    assert representation.tone_weight == 1.0
    static = representation.static_.transform(texts[:8])
    joined = representation._join_static(np.zeros((8, 0), dtype=np.float32), static)
    assert np.abs(joined @ tone_basis("static").T).max() < 1e-5  # the static view: no tone
    # the sentiment read is the answers' own, not the grouping vectors'
    assert model.sentiment_.tolist() == plain.sentiment_.tolist()
    again = ThemeModel(n_themes=3, engine="fast", seed=0, tone_weight=1.0).fit(texts)
    assert _outputs(again) == _outputs(model)  # reruns byte-identical
    copy = pickle.loads(pickle.dumps(model))
    assert copy.predict(texts[:10]).tolist() == model.predict(texts[:10]).tolist()


def test_the_words_say_the_fast_engine_describes_with_the_reduced_vectors(texts, capsys):
    """The fast engine's descriptions (labels, label-point counts, summaries, quotes) embed
    sentences through ``representation.transform``, which takes the tone out, and quote
    pools are ranked on the run's (reduced) vectors: the option's help says so, not that
    labels and quotes read the vectors as they were (fixa29)."""
    model = ThemeModel(n_themes=3, engine="fast", seed=0, tone_weight=1.0).fit(texts)
    representation = model.representation_
    tokens = model.tokenizer_.transform(texts[:8])
    reduced = representation.transform(texts[:8], tokens)
    as_they_were = pickle.loads(pickle.dumps(representation))
    as_they_were.tone_weight = 0.0
    assert not np.allclose(reduced, as_they_were.transform(texts[:8], tokens))
    with pytest.raises(SystemExit):
        main(["themes", "--help"])
    words = " ".join(capsys.readouterr().out.split())
    assert "quote pools are ranked on them in both engines" in words
    assert "labels, quotes and sentiment read the vectors as they were" not in words


@needs_semantic
def test_the_semantic_engine_takes_the_tone_out_of_minilm(texts):
    model = ThemeModel(n_themes=3, engine="semantic", seed=0, tone_weight=1.0)
    model.fit(texts, question="Why?")
    vectors = model.representation_._embed(texts[:8])
    assert np.abs(vectors @ tone_basis("minilm").T).max() < 1e-5
    plain = ThemeModel(n_themes=3, engine="semantic", seed=0).fit(texts, question="Why?")
    before = plain.representation_._embed(texts[:8])
    assert np.abs(before @ tone_basis("minilm").T).max() > 1e-3
    assert model.sentiment_.tolist() == plain.sentiment_.tolist()
    again = ThemeModel(n_themes=3, engine="semantic", seed=0, tone_weight=1.0)
    assert _outputs(again.fit(texts, question="Why?")) == _outputs(model)


def test_the_command_line_takes_and_records_the_weight(tmp_path):
    survey = write_csv(tmp_path / "s.csv", responses(60))
    out = tmp_path / "out"
    code = main(
        ["themes", str(survey), "--text-column", "answer", "--themes", "3", "--engine", "fast"]
        + ["--tone-weight", "0.5", "--quiet", "--out", str(out)]
    )
    assert code == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["settings"]["tone_weight"] == 0.5


def test_the_command_line_refuses_a_bad_weight(tmp_path, capsys):
    survey = write_csv(tmp_path / "s.csv", responses(20))
    with pytest.raises(SystemExit) as stopped:
        main(
            ["themes", str(survey), "--text-column", "answer", "--tone-weight", "warm"]
            + ["--out", str(tmp_path / "out")]
        )
    assert stopped.value.code == 2
    assert "--tone-weight must be a number from 0 to 1, not 'warm'" in capsys.readouterr().err


@needs_static
def test_the_fitted_source_takes_one_axis_out_of_the_fast_views(texts, monkeypatch):
    """TONE_SOURCE "fit": the fast views lose the one axis that predicts the static probe's
    reading of the answers fitted; new texts lose the same axis; off, no axis is kept."""
    import analysis.tone as tone

    monkeypatch.setattr(tone, "TONE_SOURCE", "fit")
    model = ThemeModel(n_themes=3, engine="fast", seed=0, tone_weight=1.0).fit_partition(texts)
    representation = model.representation_
    axis = representation.tone_axis_
    assert axis is not None and abs(float(np.linalg.norm(axis)) - 1.0) < 1e-5
    views = representation._views(texts[:8], model.tokenizer_.transform(texts[:8]))
    assert np.abs(views @ axis).max() < 1e-5
    again = ThemeModel(n_themes=3, engine="fast", seed=0, tone_weight=1.0).fit_partition(texts)
    assert again.labels_.tolist() == model.labels_.tolist()
    off = ThemeModel(n_themes=3, engine="fast", seed=0).fit_partition(texts)
    assert off.representation_.tone_axis_ is None
