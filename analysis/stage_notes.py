"""What each of the engine's stages found, in counts, for the progress lines the command line
writes to stderr when it is not a terminal (``ThemeModel(verbose=2)``; smoke9 finding 15: a
scripted run on 10,334 answers was silent for 16 minutes)."""

from __future__ import annotations

from .stages import FitRun

# the stages as a person reads them in a progress line (analysis.api.STAGE_NAMES)
STAGE_WORDS = {
    "cleaning": "cleaning",
    "representation": "vectors",
    "themes": "grouping",
    "stability": "stability",
    "sentiment and stance": "sentiment and stance",
    "description": "describing",
    "segments": "segments",
}


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def stage_note(stage: str, run: FitRun) -> str:
    """Counts for the line saying ``stage`` is done: "10,334 rows read, 9,234 answered, 1,100
    with no substantive answer, 8,120 distinct" after cleaning; "" for a stage with none."""
    if stage == "cleaning":
        empty = int((run.answered & ~run.substantive).sum())
        return (
            f"{_count(run.count, 'row')} read, {run.answered_count:,} answered, "
            f"{empty:,} with no substantive answer, "
            f"{len(run.rep_rows):,} distinct"
        )
    if stage == "representation" and run.representation is not None:
        engine = run.representation.name
        return f"{_count(len(run.rep_rows), 'distinct answer')}, {engine} engine"
    if stage == "themes" and run.clustering is not None:
        return _count(run.k, "theme")
    if stage == "stability" and run.clustering is not None:
        return f"{_count(run.k, 'theme')} re-clustered on samples"
    if stage == "sentiment and stance":
        return "stance from the agreement answers" if run.stance_measured else "stance not measured"
    if stage == "description":
        return f"{_count(len(run.themes), 'theme')} labelled and summarised{_changes(run)}"
    if stage == "segments":
        return _count(len(run.segments), "segment column") if run.segments else "no segment column"
    return ""


def _changes(run: FitRun) -> str:
    """Why the describing stage has another number of themes than grouping made (smoke12: "15
    themes" then "14 themes" without a word): themes saying one point joined."""
    if run.clustering is None or len(run.themes) == run.k:
        return ""
    parts = [f"{run.k:,} grouped"]
    if run.merged:
        pairs = _count(len(run.merged), "pair")
        parts.append(f"{pairs} of themes saying one point joined")
    return f" ({'; '.join(parts)})"
