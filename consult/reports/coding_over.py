"""Themes the coding model gives far more often than people did, as staff see them: the rule
is the command line's (:func:`analysis.coding_shares.over_given`, smoke12: "Couldn't be
improved" given to 76 % of the model-coded rows against 38 % of people's, many of them
complaints); this module keeps its result, with each theme's name, in an application's stored
metrics (``metrics["over_given"]``) and words it for the coding page and the Word summary, so
the sentence is the same on every reload and in every file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analysis.coding_shares import over_given
from analysis.report import whole_percent


def over_given_record(
    coded: Sequence[Sequence[str]], sources: Sequence[str], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """:func:`analysis.coding_shares.over_given` for one application of the model, each theme
    with its codebook name as it was then (``"name"``), for the stored metrics."""
    return [{**item, "name": names.get(item["theme"], "")} for item in over_given(coded, sources)]


def over_given_sentence(metrics: Mapping[str, Any] | None) -> str:
    """The warning for the stored metrics of an application: "The model gave C4 (Couldn't be
    improved) to 76% of the responses it coded, against 38% of the responses people coded:
    check …". '' when no theme is flagged, or the metrics predate the check."""
    found = (metrics or {}).get("over_given") or []
    if not found:
        return ""
    parts = []
    for item in found:
        name = item.get("name") or ""
        named = f"{item['theme']} ({name})" if name and name != item["theme"] else item["theme"]
        parts.append(
            f"{named} to {whole_percent(item['model_share'])} of the responses it coded, against "
            f"{whole_percent(item['people_share'])} of the responses people coded"
        )
    one = len(parts) == 1
    return (
        f"The model gave {'; and '.join(parts)}. It may be giving "
        f"{'this theme' if one else 'these themes'} too freely: read some of the responses it "
        f"gave {'it' if one else 'them'} to, and code any it got wrong. The agreement figures "
        "do not show this, as they are measured only on the responses people coded, which "
        "are not a random sample; this is a prompt to check, not a verdict."
    )
