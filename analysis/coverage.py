"""Themes of the codebook that no person has coded a response with yet.

The coding model learns each theme from the responses people coded with it; the codebook's
own words help only a little. A theme with no coded example is, in practice, never given
(finding 12 of the third smoke walk: 60 coded rows all from one side, 6 of 10 themes never
predicted), so the command line, ``metrics.json`` and the coding pages name such themes, and
``analysis.suggest`` can ask for the responses most like each of them (``FIRST_SHARE``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .coding import CodingModel

NAMED = 8  # at most this many theme ids are named in the note; the rest are counted


def coded_counts(model: CodingModel) -> np.ndarray:
    """How many responses people coded with each theme (``theme_ids_`` order)."""
    counts = np.zeros(len(model.theme_ids_), int)
    index = {t: j for j, t in enumerate(model.theme_ids_)}
    for row in model.coded_rows_:
        for theme in model.coded_[row]:
            counts[index[theme]] += 1
    return counts


def no_example(model: CodingModel) -> list[str]:
    """The ids of the themes no coded response has and the model gave to no response, in
    codebook order: the ones it cannot give until people code one. A theme whose codebook
    entry carries examples (a run's quotes, say) can be given without a coded one, and is
    not listed: "cannot give" would be false beside the model's own counts (finding 12 of
    the fourth smoke walk). None on a cold start, when nothing is coded and every response
    is coded by similarity alone."""
    if model.cold_start_:
        return []
    counts = coded_counts(model)
    given = {
        theme
        for row, source in enumerate(model.source_)
        if source == "model"
        for theme in model.coded_[row]
    }
    return [t for t, n in zip(model.theme_ids_, counts, strict=True) if n == 0 and t not in given]


def no_example_note(
    themes: list[str], total: int, named_as: Callable[[str], str] | None = None
) -> str:
    """A sentence naming the themes with no coded example, or '' when there are none:
    "6 of 10 themes have no coded example yet: kp_0_4, ...; the model cannot give them until
    people code a response with each: find and code one for each". ``named_as`` words a theme
    id for a reader, e.g. :meth:`analysis.codebook.Codebook.named`: "xl (Leave (under MHA))"
    (smoke9 finding 22); by default the id alone."""
    if not themes:
        return ""
    named = ", ".join(map(named_as or str, themes[:NAMED]))
    if len(themes) > NAMED:
        named += f" and {len(themes) - NAMED} more"
    if len(themes) == 1:
        verb, until = "has", "it until people code a response with it: find and code one"
    else:
        verb, until = (
            "have",
            "them until people code a response with each: find and code one for each",
        )
    return (
        f"{len(themes)} of {total} theme{'' if total == 1 else 's'} {verb} no coded example "
        f"yet: {named}; the model cannot give {until}"
    )


def theme_likeness(model: CodingModel, rows: np.ndarray) -> np.ndarray:
    """How much each of ``rows`` (indices of ``model.vectors_``) looks like each theme's
    codebook entry (name, description, keywords and examples): its similarity to the
    theme plus its margin over the closest other theme, the two columns the coding model's
    classifiers read (``CodingModel._similarity_columns``)."""
    similarity, margin = model._similarity_columns(model.vectors_[rows])
    return np.asarray(similarity) + np.asarray(margin)
