"""The coding encoder: all-MiniLM-L6-v2 fine-tuned on ArgKP's key points, when installed.

``make install`` builds it once (``tools/coding_encoder_build.py``, in its own build
environment) into ``<venv>/share/consult-analyse/coding-encoder/``: ``model.onnx`` (int8
weights in MiniLM's own ONNX layout, so :class:`analysis.embeddings.MiniLMEmbedder` runs it
with MiniLM's tokenizer, batching, truncation and pooling) and ``manifest.json`` (the sha256
of the model and of the training data, the settings, the versions). Only the semantic
engine's coding features use it (:class:`analysis.features.CodingFeatures`): stance, themes,
labels and sentiment keep their own encoders.

``CONSULT_CODING_ENCODER`` chooses: unset or ``auto``, the installed folder when there is one;
``minilm``, plain MiniLM always (for benches and comparison); anything else, the folder it
names. A missing folder means MiniLM, quietly; a folder that is there but incomplete or broken
(no manifest, an unreadable one, a model whose sha256 is not the manifest's) means MiniLM with
a warning saying why, never a crash.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENT = "CONSULT_CODING_ENCODER"
MINILM = "minilm"  # the name recorded when the coding features use plain MiniLM
FORMAT = 1  # the manifest layout this module reads (tools/coding_encoder_build.py's FORMAT)


@dataclass(frozen=True)
class CodingEncoder:
    """An installed, checked coding encoder: its model file, vector cache name and manifest."""

    folder: Path
    model: Path
    model_id: str  # names its vector cache file and what metrics.json records
    manifest: dict


def default_folder() -> Path:
    """Where ``make install`` puts the encoder: ``share/consult-analyse/coding-encoder`` under
    the running Python's environment (``sys.prefix``)."""
    return Path(sys.prefix) / "share" / "consult-analyse" / "coding-encoder"


def configured_folder() -> Path | None:
    """The folder ``CONSULT_CODING_ENCODER`` points at (the default one when unset or
    ``auto``), or None when it asks for plain MiniLM."""
    setting = (os.environ.get(ENVIRONMENT) or "auto").strip()
    if setting.lower() == MINILM:
        return None
    if setting.lower() == "auto":
        return default_folder()
    return Path(setting).expanduser()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.cache
def _checked(folder: str, stamp: tuple) -> CodingEncoder | str:
    """The encoder in ``folder``, or why it cannot be used (checked once a process for each
    state of the folder's files: ``stamp`` holds their sizes and modification times)."""
    path = Path(folder)
    manifest_file = path / "manifest.json"
    if not manifest_file.is_file():
        return f"{path} has no manifest.json"
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"{manifest_file} cannot be read ({error})"
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return f"{manifest_file} is not a format {FORMAT} coding encoder manifest"
    model = path / str(manifest.get("model") or "model.onnx")
    expected = str(manifest.get("model_sha256") or "")
    if not model.is_file():
        return f"{path} has no {model.name}"
    try:
        actual = _sha256(model)
    except OSError as error:
        return f"{model} cannot be read ({error})"
    if actual != expected:
        return f"{model} does not match its manifest's sha256 (a partial or changed file)"
    return CodingEncoder(path, model, f"minilm-argkp-ft-int8-{actual[:12]}", manifest)


def _stamp(folder: Path) -> tuple:
    try:
        return tuple(
            (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())
        )
    except OSError:
        return ()


@functools.cache
def _warn_once(reason: str) -> None:
    warnings.warn(
        f"the fine-tuned coding encoder is not used, plain MiniLM is: {reason}",
        RuntimeWarning,
        stacklevel=3,
    )


def find() -> CodingEncoder | None:
    """The coding encoder to use, or None for plain MiniLM: when ``CONSULT_CODING_ENCODER``
    says ``minilm``, when the folder is missing (quietly), or when it is broken (with a
    warning, once a process)."""
    folder = configured_folder()
    if folder is None or not folder.is_dir():
        return None
    found = _checked(str(folder.resolve()), _stamp(folder))
    if isinstance(found, str):
        _warn_once(found)
        return None
    return found


def trained_on(files: list[Path], encoder: CodingEncoder | None = None) -> bool:
    """True when ``encoder`` (the one :func:`find` gives by default) was trained on data
    files with these files' contents: a bench's figures on them are not held-out ones."""
    encoder = encoder if encoder is not None else find()
    if encoder is None:
        return False
    trained = set((encoder.manifest.get("data") or {}).values())
    try:
        return any(p.is_file() and _sha256(p) in trained for p in files)
    except OSError:
        return False


def encoder_embed(threads: int = 1, cache_dir: object = "default"):
    """The installed coding encoder's ``embed`` (unit vectors, one per text; its own vector
    cache), or None when :func:`find` gives plain MiniLM. What counts who makes a theme
    label's point in the semantic engine (BENCHMARKS "count27")."""
    found = find()
    if found is None:
        return None
    from .embeddings import MiniLMEmbedder

    return MiniLMEmbedder(
        threads=threads, cache_dir=cache_dir, model=found.model, model_id=found.model_id
    ).embed
