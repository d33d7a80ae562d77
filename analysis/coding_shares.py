"""Themes the coding model gives far more often than people did (smoke12: "Couldn't be improved"
given to 76 % of the model-coded rows against 37 % of the rows people coded, many of them
complaints). A share is a plain count over rows; people's sample may not be random (active
learning picks doubtful rows), so the result is a prompt to check, not a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# flag a theme when the model's share is at least this many times people's ...
RATIO = 1.5
# ... at least this share of the model-coded rows ...
MIN_SHARE = 0.3
# ... at least this many points above people's share ...
MIN_GAP = 0.15
# ... and people have coded at least this many rows
MIN_PEOPLE = 20


def over_given(coded: Sequence[Sequence[str]], sources: Sequence[str]) -> list[dict[str, Any]]:
    """The themes given to a much larger share of the model-coded rows than of the rows people
    coded, commonest first: ``{"theme", "model_share", "people_share", "model_rows",
    "people_rows"}`` (shares rounded to 3 places). Empty when people coded fewer than
    :data:`MIN_PEOPLE` rows or the model coded none."""
    people = [
        set(themes) for themes, source in zip(coded, sources, strict=True) if source == "human"
    ]
    model = [
        set(themes) for themes, source in zip(coded, sources, strict=True) if source == "model"
    ]
    if len(people) < MIN_PEOPLE or not model:
        return []
    found = []
    for theme in sorted(set().union(*model)):
        model_rows = sum(theme in row for row in model)
        people_rows = sum(theme in row for row in people)
        model_share = model_rows / len(model)
        people_share = people_rows / len(people)
        if (
            model_share >= MIN_SHARE
            and model_share >= RATIO * people_share
            and model_share - people_share >= MIN_GAP
        ):
            found.append(
                {
                    "theme": theme,
                    "model_share": round(model_share, 3),
                    "people_share": round(people_share, 3),
                    "model_rows": model_rows,
                    "people_rows": people_rows,
                }
            )
    return sorted(found, key=lambda item: -item["model_share"])


def over_given_words(found: list[dict[str, Any]], names: dict[str, str]) -> str:
    """One clause for the command line's summary: "C4 “Couldn't be improved” given to 76 % of
    model-coded rows against 37 % of people's: check it"; "" when none is."""
    parts = []
    for item in found:
        name = names.get(item["theme"], "")
        named = f"{item['theme']} “{name}”" if name and name != item["theme"] else item["theme"]
        parts.append(
            f"{named} given to {round(100 * item['model_share'])} % of model-coded rows "
            f"against {round(100 * item['people_share'])} % of people's"
        )
    if not parts:
        return ""
    return "; ".join(parts) + (": check it" if len(parts) == 1 else ": check them")
