"""Themes that look alike (the engine's ``alike`` hints, :mod:`analysis.alike`), as a run
stores them and as its pages show them: "Looks like T06 ‘…’: Merge these themes".

A run keeps the hints in its summary (``summary["alike"]``: stored theme key -> [{"key",
"similarity"}]), under the stable keys its themes were stored with. A hint is shown only
while both themes are still shown: after a reviewer merges or splits one, it is not offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import AnalysisRun, RunTheme


@dataclass
class AlikeHint:
    """Another theme that seems to make this theme's point, with the labels' cosine (0-1)."""

    theme: RunTheme
    similarity: float


def stored_hints(themes: list[dict[str, Any]], keys: dict[str, str]) -> dict[str, list[dict]]:
    """The engine's per-theme ``alike`` lists under the themes' stored keys (``keys``: engine
    id -> stored key); themes without a hint are left out."""
    found: dict[str, list[dict]] = {}
    for theme in themes:
        hints = [
            {"key": keys[hint["id"]], "similarity": float(hint["similarity"])}
            for hint in theme.get("alike", [])
            if hint.get("id") in keys
        ]
        if hints and theme["id"] in keys:
            found[keys[theme["id"]]] = hints
    return found


def hints_for(run: AnalysisRun, theme: RunTheme) -> list[AlikeHint]:
    """The shown themes that look like ``theme``, most alike first ([] for a hidden theme)."""
    stored = (run.summary or {}).get("alike") or {}
    if theme.hidden or not stored.get(theme.key):
        return []
    shown = {t.key: t for t in run.themes if not t.hidden}
    return [
        AlikeHint(shown[hint["key"]], float(hint.get("similarity", 0.0)))
        for hint in stored[theme.key]
        if hint.get("key") in shown and hint["key"] != theme.key
    ]


def looks_like_words(run: AnalysisRun, theme: RunTheme) -> str:
    """The hints in words for a download's theme row ('' when none): "Looks like T06 ‘…’"."""
    return "; ".join(
        f"Looks like {hint.theme.key} ‘{hint.theme.label}’" for hint in hints_for(run, theme)
    )


def read_alike_words(run: AnalysisRun, theme: RunTheme) -> str:
    """The hints as a finding, for the Word report that is handed on ('' when none): "T01 and
    T05 ‘…’ read alike." or "T01 reads like T05 ‘…’ and T07 ‘…’." Not the workspace's
    prompt ("a reviewer may merge them"), which is no use to the report's readers."""
    others = [f"{hint.theme.key} ‘{hint.theme.label}’" for hint in hints_for(run, theme)]
    if not others:
        return ""
    if len(others) == 1:
        return f"{theme.key} and {others[0]} read alike."
    return f"{theme.key} reads like {', '.join(others[:-1])} and {others[-1]}."
