""" "What partners said": the short summary the consultation's Word report opens with (issue 12,
smoke11 #8: the report went straight into each question's method tables).

Per free-text question, in question order: its wording; which run it comes from (the one the
consultation reports use, :func:`consult.reports.report_runs.shown_runs`: the newest reviewed
run, else the newest) and when it finished; how many answered; and its most-mentioned themes,
each as label, count and share of the answered (every share's base), with the stance of the
answers mentioning it when the run measured stance and what to check before quoting it. A
question with no run says so in one line.

Request-free: :func:`consult.reports.documents.consultation_docx` writes what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from analysis.bases import bases_sentence, other_base_share
from analysis.report import (
    flags_words,
    point_headline,
    theme_flags,
    too_few_answers,
    whole_percent,
)

from ..models import Consultation
from ..times import uk_time
from .label_check import with_label_check
from .models import AnalysisRun, RunTheme
from .nothing_said import nothing_said, nothing_said_by_run
from .pages import analysable_questions, question_title
from .pages import visible_themes as pages_visible_themes  # noqa: I001 (named apart)
from .report_runs import EDITED, ShownRun, reviewed_run_ids
from .runs import (
    mixed_keys,
    shown_stance,
    stability_measured_now,
    stance_measured,
    theme_mixed,
)
from .wording import stance_glance

HEADING = "What partners said"

# Themes listed per question: the first TOP_THEMES always, up to MORE_THEMES when such a theme
# is mentioned by at least MORE_SHARE of the answers (so a question of many small themes keeps
# to three lines and the section to about a page).
TOP_THEMES = 3
MORE_THEMES = 5
MORE_SHARE = 0.20

INTRO = (
    "The most-mentioned themes of each question, with how many of its answers mention each. "
    "An answer can mention several themes, so the counts overlap and the shares add up to "
    "more than 100%. Each question's section below gives every theme, its figures and how "
    "they were made."
)


# A run of too few answers (analysis.report.FEW_ANSWERS): no theme of it is listed here.
FEW_ANSWERS_LINE = (
    "Too few answers to find themes reliably: read them in its section below rather than "
    "quote its themes."
)


@dataclass(frozen=True)
class QuestionSummary:
    """One question's lines in the section: ``title`` (the question as reports name it),
    ``source`` (which run and when, or that none has been analysed), ``answered`` and the
    ``themes``' lines ([] when none are listed), then ``more`` (what else its section holds)."""

    title: str
    source: str
    answered: str = ""
    themes: list[str] = field(default_factory=list)
    more: str = ""


def _percent(count: int, of: int) -> str:
    """A share to a whole percent, as the reports show it ('38%')."""
    return whole_percent(count / of) if of else "–"


def run_source(run: AnalysisRun, reviewed: bool, note: str = "") -> str:
    """ "From run 12 (edited in review), finished 5 December 2026 at 3:04pm." or "From run 12
    (the newest; not edited in review), ...", with the reports' note when a newer run is left
    out (:data:`consult.reports.report_runs.EDITED`)."""
    which = EDITED if reviewed else f"the newest; not {EDITED}"
    when = uk_time(run.finished_at or run.created_at)
    newer = f"; {note.split('; ', 1)[1]}" if reviewed and "; " in note else ""
    return f"From run {run.id} ({which}{newer}), finished {when} (UK time)."


def top_themes(themes: list[RunTheme], answered: int) -> list[RunTheme]:
    """The themes the summary lists: most mentioned first (ties in the page's order), the
    first :data:`TOP_THEMES`, then up to :data:`MORE_THEMES` while each is mentioned by at
    least :data:`MORE_SHARE` of the ``answered``; themes flagged mixed
    (:func:`consult.reports.runs.mixed_keys`) after the others (smoke17s #2)."""
    last = mixed_keys(themes)
    ranked = sorted(themes, key=lambda t: (t.key in last, -(t.mentions or 0)))
    shown = ranked[:TOP_THEMES]
    for theme in ranked[TOP_THEMES:MORE_THEMES]:
        if not answered or (theme.mentions or 0) < MORE_SHARE * answered:
            break
        shown.append(theme)
    return shown


def theme_line(
    run: AnalysisRun, theme: RunTheme, answered: int, measured: bool, empty: int = 0
) -> str:
    """ "Bus reliability: mentioned by 45 of the 120 answers (38%). Mostly against: for 2,
    against 40. Check before quoting: unstable grouping." (the stance only when measured; the
    check only when the theme has a warning, as its at-a-glance row words it). Where many
    of the ``answered`` said nothing substantive (``empty``; :mod:`analysis.bases`), the
    share of those with something to say follows: "(19%; 33% of the 110 with something to
    say)" (smoke31)."""
    mentions = theme.mentions or 0
    share = _percent(mentions, answered)
    other = other_base_share(mentions, answered, empty)
    if other:
        share = f"{share}; {other}"
    line = f"{theme.label}: mentioned by {mentions:,} of the {answered:,} answers ({share})."
    headline = point_headline(mentions, theme.label_point, answered, too_few_answers(answered))
    if headline:  # fewer than half make the label's point: its count leads (smoke18r #1)
        line = f"{theme.label}: {headline[:1].lower()}{headline[1:]}."
    stance = stance_glance(shown_stance(theme), measured)
    if stance:
        line += f" {stance[:1].upper()}{stance[1:]}."
    flags = with_label_check(
        theme_flags(
            theme.stability,
            theme.mentions,
            theme.label_point,
            stability_measured_now(run, theme),
            merged=theme.origin == "merge",
            summary=theme.summary,
            mixed=theme_mixed(theme),
        ),
        theme,
    )
    if flags:
        line += f" Check before quoting: {flags_words(flags).lower()}."
    return line


def question_summary(shown: ShownRun, reviewed: bool, empty: int | None = None) -> QuestionSummary:
    """One analysed question's lines (:class:`QuestionSummary`); ``empty``, its run's answers
    that said nothing substantive where the caller counted every question's at once
    (:func:`.nothing_said.nothing_said_by_run`), else counted here."""
    run = shown.run
    answered = int(run.input_count or 0)
    summary = run.summary or {}
    submitted = max(int(summary.get("submitted") or answered), answered)
    empty = nothing_said(run) if empty is None else empty
    bases = bases_sentence(answered, empty)  # many said nothing substantive: smoke31
    lines = QuestionSummary(
        title=question_title(run.question),
        source=run_source(run, reviewed, shown.note),
        answered=" ".join(
            filter(None, [f"Answered by {answered:,} of {submitted:,} submitted responses.", bases])
        ),
    )
    themes = pages_visible_themes(run)
    if too_few_answers(answered):
        return replace(lines, more=FEW_ANSWERS_LINE)
    if not themes:
        return replace(lines, more="This analysis found no themes.")
    measured = stance_measured(run)
    listed = top_themes(themes, answered)
    left = len(themes) - len(listed)
    more = (
        f"{left} more {'theme' if left == 1 else 'themes'} in its section below."
        if left
        else "Every theme is listed."
    )
    return replace(
        lines, themes=[theme_line(run, t, answered, measured, empty) for t in listed], more=more
    )


def partners_said(consultation: Consultation, shown: dict[int, ShownRun]) -> list[QuestionSummary]:
    """Each free-text question's summary, in question order: those with a run in ``shown``
    (question id -> :class:`ShownRun`, :func:`consult.reports.report_runs.shown_runs`) and,
    in one line each, those without."""
    reviewed = reviewed_run_ids(consultation) if shown else set()
    empty = nothing_said_by_run(item.run.id for item in shown.values())
    said = []
    for question in analysable_questions(consultation):
        item = shown.get(question.id)
        if item is None:
            said.append(QuestionSummary(question_title(question), "Not analysed yet."))
        else:
            said.append(question_summary(item, item.run.id in reviewed, empty[item.run.id]))
    return said
