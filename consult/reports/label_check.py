"""Whether a theme's label was checked against its answers, for the reports' "Check before
quoting" words.

The semantic engine counts how many of a theme's mentions make its label's own point
(``RunTheme.label_point``) and the reports flag a label made by few of them. The fast
engine counts it too since count18 (its static word-piece vectors); a fast run stored before
that, or made without those vectors, has no count, and its themes had "Nothing flagged",
which reads as checked and fine (smoke16 finding 3). One rule here for
the report page, the consultation overview, the Word report and the Excel workbook.
"""

from __future__ import annotations

from analysis.report import FEW_ANSWERS_TAG, flags_words, theme_flags, too_few_answers

from .models import RunTheme

# The tag beside the others in a theme's "Check before quoting" cell.
FAST_UNCHECKED_TAG = "label not checked (fast engine)"
# The sentence where the label's count would stand in the theme's Size paragraph.
FAST_UNCHECKED_SENTENCE = (
    "Label not checked (fast engine): this run did not count how many of these answers make "
    "the label's own point. Read its answers before quoting the label."
)


def label_unchecked(theme: RunTheme) -> bool:
    """Whether the theme has mentions whose share making the label's point the fast engine
    did not measure (a reviewer's edit of a semantic run's theme is not this case)."""
    run = theme.run
    return (
        theme.label_point is None
        and int(theme.mentions or 0) > 0
        and run is not None
        and run.engine_used == "fast"
    )


def with_label_check(flags: list[str], theme: RunTheme) -> list[str]:
    """``flags`` (:func:`analysis.report.theme_flags`) with :data:`FAST_UNCHECKED_TAG` last
    when :func:`label_unchecked`; unchanged for a run of too few answers, whose one flag
    already says not to quote it."""
    if FEW_ANSWERS_TAG in flags or not label_unchecked(theme):
        return flags
    return [*flags, FAST_UNCHECKED_TAG]


def unchecked_sentence(theme: RunTheme, total: int | None = None) -> str:
    """:data:`FAST_UNCHECKED_SENTENCE` when :func:`label_unchecked`, else '' (and in a run of
    ``total`` answers too few to count, whose figures are not to be quoted at all:
    :func:`analysis.report.too_few_answers`)."""
    if total is not None and too_few_answers(int(total)):
        return ""
    return FAST_UNCHECKED_SENTENCE if label_unchecked(theme) else ""


def check_words(flags: list[str], theme: RunTheme) -> str:
    """The theme's "Check before quoting" cell in words, the label check included."""
    return flags_words(with_label_check(flags, theme))


def quoting_flags(theme: RunTheme, answered: int | None = None) -> list[str]:
    """The theme's "Check before quoting" warnings as its run's report page gives them
    (:func:`analysis.report.theme_flags` and :func:`with_label_check`), for a page that
    names the theme away from that table; ``answered``: the run's base (its input count
    when not given)."""
    from .runs import stability_measured_now, theme_mixed

    run = theme.run
    total = int(answered if answered is not None else (run.input_count or 0))
    return with_label_check(
        theme_flags(
            theme.stability,
            theme.mentions,
            theme.label_point,
            stability_measured_now(run, theme),
            few=too_few_answers(total),
            merged=theme.origin == "merge",
            summary=theme.summary,
            mixed=theme_mixed(theme),
        ),
        theme,
    )
