"""What each report page shows, read from the stored run tables; request-free.

Views in :mod:`consult.reports.views` call these and render the result. Nothing here reads a
request or renders a page. The report page reads its themes (a few dozen rows) and aggregate
counts only; per-response rows are read a page at a time, so a run of 10,000 responses
renders as fast as one of 100.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import String, case, cast, func, or_, select

from analysis.also_points import also_in_group
from analysis.bases import bases_sentence, other_base_share
from analysis.cells import shown_hidden
from analysis.flags import FIT_FLAG
from analysis.mixed import CATCH_ALLS_LAST
from analysis.report import (
    campaign_counts,
    campaign_sentence,
    campaigns_sentence,
    duplicates_sentence,
    flags_words,
    is_unstable,
    largest_group,
    mostly_mixed_sentence,
    nothing_to_change_sentence,
    same_note,
    side_moves_sentence,
    theme_flags,
    whole_percent,
)
from analysis.segments import wilson
from analysis.spread_points import across_sentence, current_points

from ..extensions import db
from ..filters import contains
from ..models import Answer, Consultation, Question, Response, as_utc
from ..reference import AGREEMENT_SCALE, AREA_LABELS, PARTNER_TYPE_LABELS, SIZE_BAND_LABELS
from ..staff.figures import Chart
from ..survey.review import display_value
from ..times import uk_time
from .fit import PoorFit, counts_by_theme, fit_sentence, poor_fits, theme_fit_words
from .label_check import quoting_flags, with_label_check
from .models import AnalysisRun, RunAssignment, RunTheme
from .nothing_said import nothing_said, nothing_said_by_run, overview_bases, theme_bases
from .report_runs import shown_runs
from .runs import (
    NOT_GIVEN,
    catch_alls_last,
    key_number,
    mixed_keys,
    number_label,
    question_number,
    shown_stance,
    side_margin_words,
    stability_measured_now,
    stance_measured,
    theme_mixed,
    unclear_impossible,
    worker_status,
)
from .theme_numbers import carried_note, lineage_row
from .wording import (
    FEW_ANSWERS,
    MERGED_STABILITY,
    SPLIT_STABILITY,
    STANCE_WORDS,
    earlier_measure_note,
    few_answers_warning,
    sentiment_words,
    stability_words,
    stance_basis,
    stance_glance,
    stance_label,
    started_by_words,
    too_few_answers,
    unstable_note,
)

PAGE_SIZE = 50
CAMPAIGNS_LISTED = 20  # the largest campaigns, in the report page's Campaigns part
TYPICAL_COUNT = 5
TOP_THEMES = 5
NON_SUBSTANTIVE = "NS"
WORKER_COMMAND = "flask --app consult worker"
NO_WORKER_MESSAGE = (
    "No analysis worker is running. Ask your administrator to start one: " + WORKER_COMMAND
)

# Segment name -> (heading, code -> label, how to name a value's responses, the rest).
SEGMENTS: dict[str, tuple[str, dict[str, str], str, str]] = {
    "partner_type": ("Partner type", PARTNER_TYPE_LABELS, "{} partners", "other partners"),
    "area": ("Area", AREA_LABELS, "partners in {}", "partners in other areas"),
    "size_band": (
        "Organisation size",
        SIZE_BAND_LABELS,
        "{} organisations",
        "organisations of other sizes",
    ),
}
STANCE_LABELS = STANCE_WORDS
PII_LABELS = {
    "email": "email addresses",
    "phone": "phone numbers",
    "postcode": "postcodes",
    "url": "web addresses",
    "name": "names",
}


# --- questions ------------------------------------------------------------------------------


def question_label(question: Question) -> str:
    """The question's short name, 'Q4', as every report and coding page gives it."""
    return number_label(question_number(question))


def question_title(question: Question) -> str:
    """The question as reports name it, e.g. 'Q4: Why do you say that? (about Q3: ...)'."""
    title = f"{question_label(question)}: {question.text}"
    explains = question.explains
    if explains is not None and explains.kind == "agreement":
        title += f" (about {question_label(explains)}: {explains.text})"
    return title


def analysable_questions(consultation: Consultation) -> list[Question]:
    """The free-text questions a run can analyse, "why" texts included, in page order."""
    return [question for question in consultation.questions if question.is_text]


def segment_heading(name: str) -> str:
    """The heading of a segment: 'Partner type' for 'partner_type'."""
    return SEGMENTS.get(name, (name.replace("_", " ").capitalize(), {}, "{}", "others"))[0]


# A business alone is asked its size, so the size breakdown's "Not given" lumped together
# everyone never asked (136 organisations of the demo) and businesses that did not say
# (smoke17 #8): shown apart, from the run's own rows (:func:`theme_cells`).
NOT_ASKED = "not_asked"
BUSINESS_NOT_GIVEN = "business_not_given"
SPLIT_LABELS = {
    NOT_ASKED: "Not asked (not a business)",
    BUSINESS_NOT_GIVEN: "Not given (a business that did not say)",
}


def segment_label(name: str, value: str | None) -> str:
    """The display label of a segment code ('university' -> 'University')."""
    if value in SPLIT_LABELS:
        return SPLIT_LABELS[value]
    if not value or value == "not_given":
        return "Not given"
    return SEGMENTS.get(name, ("", {}, "", ""))[1].get(value, value)


# --- progress -------------------------------------------------------------------------------


def worker_alive() -> bool:
    """Whether a background worker has been seen lately."""
    return bool(worker_status().alive)


# A run's status as its tag says it (templates/reports/_macros.html status_tag says the same).
STATUS_TEXT = {
    "succeeded": "Finished",
    "failed": "Failed",
    "running": "Running",
    "queued": "Queued",
}


@dataclass
class Progress:
    """A run's progress as the page and its JSON endpoint show it."""

    status: str
    stage: str
    done: int
    total: int
    percent: int
    text: str
    message: str
    worker: bool
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed")

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "status_text": STATUS_TEXT.get(self.status, self.status),
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "text": self.text,
            "message": self.message,
            "worker": self.worker,
            "finished": self.finished,
        }


# The analysis stages (consult.reports.jobs.JOB_STAGES) in words for a policy officer: the
# engine's own names ("representation", "description") are its developers' terms.
STAGE_WORDS = {
    "reading answers": "reading the answers",
    "cleaning": "tidying the answers",
    "representation": "comparing what the answers say",
    "themes": "grouping the answers into themes",
    "stability": "checking the themes hold",
    "sentiment and stance": "measuring tone and stance",
    "description": "naming and summarising the themes",
    "segments": "breaking the themes down by group",
    "saving": "saving the report",
}


def stage_words(stage: str) -> str:
    """A stage's name in plain words ('representation' -> 'comparing what the answers
    say'); a name not listed as it is."""
    return STAGE_WORDS.get(stage, stage)


def progress(run: AnalysisRun, worker: bool) -> Progress:
    """The run's progress, e.g. 'Stage 3 of 9: grouping the answers into themes', from its
    stage fields (:data:`STAGE_WORDS`); says plainly
    when no worker is running."""
    total = max(run.stage_total or 0, 0)
    done = min(max(run.stage_done or 0, 0), total) if total else 0
    stage = run.stage or ""
    if run.status == "succeeded":
        done = total
        text, message = "Finished", "The analysis has finished."
    elif run.status == "failed":
        text = "Stopped"
        message = run.error or "The analysis failed."
    elif run.status == "queued":
        text = "Waiting to start"
        message = "Waiting for a worker to start this analysis."
    else:
        current = min(done + 1, total) if total else done + 1
        words = stage_words(stage)
        text = f"Stage {current} of {total}: {words}" if total else f"Working: {words}"
        message = "The analysis is running."
    if not worker and run.status in ("queued", "running"):
        message = NO_WORKER_MESSAGE
    return Progress(
        status=run.status,
        stage=stage,
        done=done,
        total=total,
        percent=round(100 * done / total) if total else 0,
        text=text,
        message=message,
        worker=worker,
        error=run.error if run.status == "failed" else None,
    )


# --- run details ----------------------------------------------------------------------------


def _when(moment) -> str:
    return uk_time(moment, "datetime", empty="not yet")  # as every other page says a time


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def side_margin_detail(run: AnalysisRun) -> str:
    """The run's side margin (``ThemeModel(side_margin=...)``) and what it did: answers move
    for their side only when the question's "why" answers have an agreement answer paired."""
    settings = run.settings or {}
    if "side_margin" not in settings:
        return "not recorded (the run is older than the setting)"
    words = side_margin_words(settings)
    if settings["side_margin"] is None:
        return f"{words}: every answer stays in its nearest theme"
    if run.stance_question_id is None:
        return f"{words} (no agreement answers paired, so no answer moves for its side)"
    return words


def run_details(run: AnalysisRun) -> list[tuple[str, str]]:
    """(label, value) rows: settings, engine, seed, counts, who and when, and timings."""
    settings = run.settings or {}
    timings = run.timings or {}
    started, finished = as_utc(run.started_at), as_utc(run.finished_at)
    rows = [
        ("Run", f"{run.id} ({STATUS_TEXT.get(run.status, run.status).lower()})"),
        (
            "Engine",
            f"{run.engine_used or 'not chosen yet'} (asked for {settings.get('engine', 'auto')})",
        ),
        ("Themes asked for", str(settings.get("n_themes", "auto"))),
        ("Seed", str(settings.get("seed", 0))),
        (
            "Segments",
            ", ".join(segment_heading(name) for name in settings.get("segments", [])) or "none",
        ),
        ("Side margin", side_margin_detail(run)),
        ("Answers analysed", "not yet" if run.input_count is None else f"{run.input_count:,}"),
        ("Started by", started_by_words(run.started_by_email)),
        ("Queued", _when(run.created_at)),
        ("Started", _when(started)),
        ("Finished", _when(finished)),
        ("Attempts", str(run.attempts or 0)),
    ]
    if started and finished:
        rows.append(("Took", _seconds((finished - started).total_seconds())))
    if timings:
        rows.append(
            (
                "Time per stage",
                "; ".join(
                    f"{stage_words(name)} {_seconds(float(s))}" for name, s in timings.items()
                ),
            )
        )
    if run.versions:
        rows.append(("Library versions", ", ".join(f"{k} {v}" for k, v in run.versions.items())))
    if run.input_sha256:
        rows.append(("Input hash (SHA-256)", run.input_sha256))
    lineage = lineage_row(run)  # "Reran" only when it repeated that run (smoke16 #5)
    if lineage is not None:
        rows.append(lineage)
    return rows


def runs_of(question: Question) -> list[AnalysisRun]:
    """Every stored run of the question, newest first."""
    return list(
        db.session.scalars(
            select(AnalysisRun)
            .where(AnalysisRun.question_id == question.id)
            .order_by(AnalysisRun.id.desc())
        )
    )


# --- the report page ------------------------------------------------------------------------


@dataclass
class Quote:
    """A quoted answer and the response it came from (``response_id`` None when removed)."""

    reference: str
    text: str
    response_id: int | None
    side: str = ""  # a summary point's side ("For", "Against") when stance was measured
    # The tool's own statement, not an answer's words ("This theme makes one point only"):
    # shown as a note, with no response reference.
    note: bool = False
    # For a summary point: how many of the theme's answers make it (None: not counted).
    answers: int | None = None
    # For a quote: how many other answers of the theme say the same words, openers aside.
    same: int = 0


@dataclass
class SegmentRow:
    """One segment value's cell for a theme, as stored by the engine."""

    label: str
    count: int
    of: int
    share: float
    low: float
    high: float
    rest_share: float
    significant: bool
    p_adjusted: float | None
    test: str
    words: list[str]
    sentence: str
    verdict: str = "no clear difference"
    p_value: float | None = None  # before the correction for the number of comparisons
    comparisons: int = 0  # how many comparisons the correction ran over (this segment)

    @property
    def too_few(self) -> bool:
        """Too few answers for any difference to be told from chance."""
        return self.verdict == "too few to tell"

    @property
    def chance_gap(self) -> str:
        """For a row whose gap is large (at least :data:`LARGE_GAP`) and would count on its
        own (p below 0.05) but not after the correction: '65% against 42%: a large gap, but
        with 27 comparisons it could be chance'; '' otherwise."""
        if self.verdict != "no clear difference" or self.p_value is None:
            return ""
        if abs(self.share - self.rest_share) < LARGE_GAP or self.p_value >= 0.05:
            return ""
        return (
            f"{whole_percent(self.share)} against {whole_percent(self.rest_share)}: a large "
            f"gap, but with {self.comparisons} comparisons it could be chance"
        )


# A gap between a group and everyone else this large (in share) is worth a word on its row
# even when the correction for many comparisons leaves it not significant.
LARGE_GAP = 0.10
TESTED = ("higher", "lower", "no clear difference")


def comparison_count(run: AnalysisRun | None, name: str) -> int:
    """How many comparisons the engine's correction ran over for segment ``name``: every
    tested cell of the run's themes (not "too few to tell", not "not compared")."""
    if run is None:
        return 0
    return sum(
        1
        for theme in run.visible_themes
        for value, cell in ((theme.segments or {}).get(name) or {}).items()
        if cell_verdict(value, cell) in TESTED
    )


@dataclass
class Mentions:
    """How many answers mention a theme (as main theme or not) of how many, with the share's
    Wilson 95% interval: the basis of every breakdown by segment."""

    count: int
    of: int

    @property
    def share(self) -> float:
        return self.count / self.of if self.of else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.count, self.of) if self.of else (0.0, 0.0)


@dataclass
class SegmentTable:
    """A theme's breakdown by one segment: chart rows, table rows and the differences.
    Every figure counts answers mentioning the theme; ``everyone`` is all the rows together
    (the theme's mentions of all the answers), so the values reconcile with it."""

    name: str
    heading: str
    chart: Chart
    rows: list[SegmentRow]
    differences: list[str]
    everyone: Mentions = field(default_factory=lambda: Mentions(0, 0))

    @property
    def too_few(self) -> bool:
        """Whether no value of this segment had enough answers to tell anything (those
        that did not give the segment are never compared, so they do not count)."""
        compared = [row for row in self.rows if row.verdict != NOT_COMPARED]
        return bool(compared) and all(row.too_few for row in compared)


@dataclass
class ThemeCampaign:
    """How many of a theme's answers are copies of one campaign's text: a reader must not
    take them as so many separate views."""

    number: int  # as the Campaigns part numbers it
    size: int  # the campaign's responses
    main: int  # of them, those whose main theme is this theme
    mentions: int  # of them, those mentioning this theme (as main theme or not)

    def counts(self, theme_size: int, theme_mentions: int) -> str:
        """ "12 of the 46 answers with this as main theme (12 of the 109 that mention it)",
        or "3 of the 20 answers that mention it" when none has it as main theme."""
        return campaign_counts(self.main, theme_size, self.mentions, theme_mentions)

    def sentence(self, theme_size: int, theme_mentions: int) -> str:
        """The whole finding in words, for documents: its counts, which campaign, and how to
        read them (:func:`analysis.report.campaign_sentence`, as every surface says it)."""
        return campaign_sentence(self.counts(theme_size, theme_mentions), self.number, self.size)

    def note(self, theme_size: int, theme_mentions: int, href: str = "") -> Markup:
        """The same sentence for a page, "campaign N" a link to ``href`` when given."""
        name = (
            Markup('<a class="govuk-link" href="{}">campaign {}</a>').format(href, self.number)
            if href
            else ""
        )
        counts = str(escape(self.counts(theme_size, theme_mentions)))
        return Markup(campaign_sentence(counts, self.number, self.size, name))


@dataclass
class ThemeView:
    """Everything the report page shows for one theme."""

    theme: RunTheme
    quotes: list[Quote]
    summary: list[Quote]
    stance: list[tuple[str, int]]  # empty when the run did not measure stance
    sentiment: str
    stability: str
    segments: list[SegmentTable]
    mentioned: Mentions = field(default_factory=lambda: Mentions(0, 0))
    campaigns: list[ThemeCampaign] = field(default_factory=list)
    # Its big other points, named in the table of themes ("Also in this group: ...";
    # analysis.also_points; '' when none).
    also: str = ""
    unstable: bool = False  # stability below STABLE_ENOUGH: tagged, explained once at the top
    earlier_measure: bool = False  # a figure of the earlier stability measure: not judged
    # The at-a-glance table's stance ('Mostly against: for 0, against 55'; '' when not
    # measured) and the theme's warnings in words ('unstable grouping', ...).
    glance_stance: str = ""
    flags: list[str] = field(default_factory=list)
    # A reviewer merged themes into it: its stability is the lowest of theirs, said so
    # beside an unstable tag (MERGED_STABILITY); a part of a theme a reviewer split: the
    # figure of that theme (SPLIT_STABILITY, as Word says it: smoke11 finding 5); ''
    # otherwise.
    merged_stability: str = ""
    # How many of its main-theme answers fit no theme well (consult.reports.fit).
    poor_fit: int = 0

    @property
    def poor_fit_text(self) -> str:
        """ "2 of its 38 answers fit no theme well (listed under …)" ('' when none)."""
        return theme_fit_words(self.poor_fit, int(self.theme.size or 0))


@dataclass
class Report:
    """The report page of one run."""

    run: AnalysisRun
    themes: list[ThemeView]
    total: int
    non_substantive: int
    non_substantive_examples: list[str]
    campaigns: list[dict[str, Any]]
    campaign_summary: dict[str, Any]
    masked: list[tuple[str, int]]
    agreement: dict[str, Any] | None
    details: list[tuple[str, str]] = field(default_factory=list)
    submitted: int = 0  # submitted responses; those not in ``total`` left the question blank
    stance_measured: bool = True
    duplicates_text: str = ""  # repeated answers told apart from campaigns
    # Responses submitted since the run read the answers (0 when the run did not record
    # how many there were then).
    submitted_since: int = 0
    # Every answer, when there are too few to theme (fewer than FEW_ANSWERS): read them.
    few_answers: list[Quote] = field(default_factory=list)
    # Answers unlike the other answers, counted in their nearest theme (consult.reports.fit):
    # how many, and the first fit.LISTED of them.
    poor_fit_total: int = 0
    poor_fits: list[PoorFit] = field(default_factory=list)
    # The themes saying at more length what a bare "Nothing" says (nothing_to_change_text).
    nothing_to_change: str = ""
    # Answers the engine moved to a theme on their own side (summary "moved_for_side").
    side_moved: int = 0
    # Points raised across themes, each counted once over the whole question (summary
    # "points_across_themes", analysis.spread_points; those still true after review edits).
    points_across: list[dict[str, Any]] = field(default_factory=list)

    @property
    def points_across_items(self) -> list[Markup]:
        """Each point raised across themes in the CLI's and Word's words
        (:func:`analysis.spread_points.across_sentence`), its label and theme a link to the
        theme."""
        items = []
        for point in self.points_across:
            sentence = across_sentence(point)
            head = f"“{point['label']}” ({point['theme']})"
            items.append(
                Markup('<a class="govuk-link" href="#theme-{}">{}</a>{}').format(
                    point["theme"], head, sentence[len(head) :]
                )
            )
        return items

    @property
    def side_moves_text(self) -> str:
        """The one sentence on answers moved to a theme on their own side ('' when none)."""
        return side_moves_sentence(self.side_moved)

    @property
    def poor_fit_text(self) -> str:
        """The one sentence on answers that fit no theme well ('' when there are none)."""
        return fit_sentence(self.poor_fit_total, self.total)

    @property
    def few_answers_text(self) -> str:
        """The warning that there are too few answers to theme ('' when there are enough)."""
        return few_answers_warning(self.total)

    @property
    def stance_basis(self) -> str:
        """Where the stance counts come from ('' when the run did not measure stance)."""
        if not self.stance_measured:
            return ""
        stance_question = self.run.stance_question
        return stance_basis(
            question_number(stance_question) if stance_question else None,
            unclear_impossible(self.run),
        )

    @property
    def unstable_text(self) -> str:
        """The one explanation of the themes tagged "unstable grouping" ('' if none is)."""
        return unstable_note(sum(view.unstable for view in self.themes), len(self.themes))

    @property
    def mixed_labels_text(self) -> str:
        """The one caution when most themes' labels are made by fewer than half of the answers
        mentioning them (:func:`analysis.report.mostly_mixed_sentence`; '' otherwise)."""
        return mostly_mixed_sentence([view.flags for view in self.themes])

    @property
    def catch_alls_last_text(self) -> str:
        """Why a theme flagged mixed is listed after smaller ones
        (:data:`analysis.mixed.CATCH_ALLS_LAST`, :func:`consult.reports.runs.catch_alls_last`;
        '' when the themes are in size order)."""
        sizes = [int(view.theme.size or 0) for view in self.themes]
        return CATCH_ALLS_LAST if sizes != sorted(sizes, reverse=True) else ""

    @property
    def earlier_measure_text(self) -> str:
        """The one explanation of stability figures of the earlier measure ('' if none)."""
        earlier = sum(view.earlier_measure for view in self.themes)
        return earlier_measure_note(earlier, len(self.themes))

    @property
    def campaigns_text(self) -> str:
        """ "12 responses from 1 campaign" (see :func:`analysis.report.campaigns_sentence`)."""
        return campaigns_sentence(self.campaign_summary) if self.campaign_summary else ""

    @property
    def not_answered(self) -> int:
        """Submitted responses that left this question blank (in no theme, not in shares)."""
        return max(0, self.submitted - self.total)

    @property
    def bases_text(self) -> str:
        """The sentence saying shares are also of the answers with something to say, where
        many said nothing substantive (:func:`analysis.bases.bases_sentence`; '' otherwise)."""
        return bases_sentence(self.total, self.non_substantive)

    def other_base(self, count: int) -> str:
        """ "26% of the 110 with something to say" for ``count`` answers, where many said
        nothing substantive (:func:`analysis.bases.other_base_share`; '' otherwise)."""
        return other_base_share(int(count or 0), self.total, self.non_substantive)


def _ratio_words(ratio: float) -> str:
    return f"{ratio:.1f}".rstrip("0").rstrip(".")


def difference_sentence(name: str, label: str, cell: dict[str, Any]) -> str:
    """A significant difference in words: "University partners mention this 2.4 times as
    often as other partners (40% against 17%)"."""
    noun, rest = SEGMENTS.get(name, ("", {}, "{}", "the rest"))[2:]
    who = noun.format(label)
    who = who[0].upper() + who[1:]
    share, rest_share = float(cell.get("share", 0)), float(cell.get("rest_share", 0))
    figures = f"({whole_percent(share)} against {whole_percent(rest_share)})"
    if rest_share == 0:
        return f"Only {noun.format(label)} mention this theme {figures}."
    if share == 0:
        against = whole_percent(rest_share)
        return f"No {noun.format(label)} mention this theme, against {against} of {rest}."
    ratio = share / rest_share
    if ratio >= 1:
        return f"{who} mention this {_ratio_words(ratio)} times as often as {rest} {figures}."
    less = _ratio_words(1 / ratio)
    return (
        f"{who} mention this less often than {rest} {figures}; "
        f"{rest} mention it {less} times as often."
    )


NOT_COMPARED = "not compared"


def cell_verdict(value: str, cell: dict[str, Any]) -> str:
    """A stored cell's verdict: "higher", "lower", "no clear difference", "too few to tell",
    or "not compared" for the responses that did not give the segment (a size band is given
    by businesses only, so "not given" is everyone else: no finding about a group of that
    kind means anything). Cells stored before verdicts: from ``significant``."""
    if value == NOT_GIVEN or value in SPLIT_LABELS:
        return NOT_COMPARED
    if cell.get("verdict"):
        return str(cell["verdict"])
    if cell.get("significant"):
        return "higher" if cell.get("share", 0) > cell.get("rest_share", 0) else "lower"
    return "no clear difference"


def _size_not_given(run: AnalysisRun) -> dict[str, Any]:
    """For the run's answers that gave no size: how many were never asked (not a business)
    and how many were (a business), and of each, how many mention each theme. Counted by the
    database (review fixr17b #3: every answer of the run was read and decoded on each view),
    in one pass over the run's answers with a count per theme (left26: a join of every theme
    with every answer took 9 s at 100,000 answers on SQLite, bench.size_split), once per run
    and session."""
    cached = getattr(run, "_size_not_given", None)
    if cached is not None:
        return cached
    size = func.coalesce(RunAssignment.segments["size_band"].as_string(), "")
    kind = case(
        (RunAssignment.segments["partner_type"].as_string() == "business", BUSINESS_NOT_GIVEN),
        else_=NOT_ASKED,
    )
    keys = list(db.session.scalars(select(RunTheme.key).where(RunTheme.run_id == run.id)))
    coded = cast(RunAssignment.themes, String)
    mentions = [func.sum(case((coded.like(f'%"{key}"%'), 1), else_=0)) for key in keys]
    of: Counter[str] = Counter()
    hits: dict[str, Counter[str]] = {}
    for name, count, *by_theme in db.session.execute(
        select(kind, func.count(RunAssignment.id), *mentions)
        .where(RunAssignment.run_id == run.id, or_(size == "", size == NOT_GIVEN))
        .group_by(kind)
    ):
        of[str(name)] = int(count)
        for key, found in zip(keys, by_theme, strict=True):
            if found:
                hits.setdefault(str(key), Counter())[str(name)] = int(found)
    cached = {"of": of, "hits": hits}
    run._size_not_given = cached
    return cached


def theme_cells(theme: RunTheme, name: str) -> dict[str, dict[str, Any]]:
    """The theme's stored cells by segment ``name``; for organisation size, its "Not given"
    cell split into those never asked and the businesses that did not say, when the run's
    rows add up to it (else as stored)."""
    cells = dict((theme.segments or {}).get(name) or {})
    stored = cells.get(NOT_GIVEN)
    if name != "size_band" or stored is None:
        return cells
    split = _size_not_given(theme.run)
    of = split["of"]
    hits = split["hits"].get(theme.key, Counter())
    if sum(of.values()) != int(stored.get("of", 0)) or sum(hits.values()) != int(
        stored.get("count", 0)
    ):
        return cells
    del cells[NOT_GIVEN]
    for kind in SPLIT_LABELS:
        if of[kind]:
            low, high = wilson(hits[kind], of[kind])
            cells[kind] = {
                "count": hits[kind],
                "of": of[kind],
                "share": hits[kind] / of[kind],
                "ci95": [low, high],
                "verdict": NOT_COMPARED,
            }
    return cells


def segment_table(theme: RunTheme, name: str) -> SegmentTable | None:
    """The theme's stored breakdown by segment ``name`` (None when the run has none)."""
    cells = theme_cells(theme, name)
    if not cells:
        return None
    heading = segment_heading(name)
    rows: list[SegmentRow] = []
    comparisons = comparison_count(theme.run, name)
    for value, cell in cells.items():
        label = segment_label(name, value)
        low, high = (list(cell.get("ci95") or [0.0, 0.0]) + [0.0, 0.0])[:2]
        verdict = cell_verdict(value, cell)
        significant = verdict in ("higher", "lower")
        rows.append(
            SegmentRow(
                label=label,
                count=int(cell.get("count", 0)),
                of=int(cell.get("of", 0)),
                share=float(cell.get("share", 0.0)),
                low=float(low),
                high=float(high),
                rest_share=float(cell.get("rest_share", 0.0)),
                significant=significant,
                p_adjusted=cell.get("p_adjusted") if significant else None,
                test=str(cell.get("test", "")),
                # Words only beside a real difference (runs stored before the engine said
                # so kept words on every row: chance, taken as the reason for a difference)
                words=list(cell.get("distinctive_words", [])) if significant else [],
                sentence=difference_sentence(name, label, cell) if significant else "",
                verdict=verdict,
                p_value=cell.get("p_value"),
                comparisons=comparisons,
            )
        )
    rows.sort(key=lambda row: (-row.share, row.label))
    chart = Chart(
        title=f"{theme.key} {theme.label}: share of each {heading.lower()}'s answers mentioning it",
        rows=[(row.label, row.count) for row in rows],
        base=sum(row.count for row in rows),
        label_heading=heading,
        count_heading="Answers mentioning this theme",
        share_heading=f"Share of the {heading.lower()}'s answers",
        row_bases=[row.of for row in rows],
    )
    return SegmentTable(
        name=name,
        heading=heading,
        chart=chart,
        rows=rows,
        differences=[row.sentence for row in rows if row.sentence],
        everyone=Mentions(sum(row.count for row in rows), sum(row.of for row in rows)),
    )


def _response_ids(references: set[str]) -> dict[str, int]:
    if not references:
        return {}
    rows = db.session.execute(
        select(Response.reference, Response.id).where(Response.reference.in_(sorted(references)))
    ).all()
    return dict(rows)


def _quotes(entries: list[dict[str, Any]] | None, ids: dict[str, int]) -> list[Quote]:
    return [
        Quote(
            str(entry.get("id", "")),
            str(entry.get("text", "")),
            ids.get(str(entry.get("id"))),
            point_side(entry),
            bool(entry.get("only_point")),
            stored_count(entry.get("answers")),
            stored_count(entry.get("same")) or 0,
        )
        for entry in entries or []
    ]


def stored_count(value: Any) -> int | None:
    """A stored count as a whole number, None when absent or not a number."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def point_side(entry: dict[str, Any]) -> str:
    """ "For", "Against" or "Neither" for a summary point whose answers took that stance
    (the engine says so when stance was measured), else ""."""
    side = str(entry.get("stance") or "")
    return stance_label(side) if side in ("for", "against", "mixed") else ""


def visible_themes(run: AnalysisRun) -> list[RunTheme]:
    """The run's themes not merged or split away, largest first (by their size now, after
    any merge or split), then in the engine's order, those flagged mixed last
    (:func:`consult.reports.runs.catch_alls_last`)."""
    return catch_alls_last(
        list(
            db.session.scalars(
                select(RunTheme)
                .where(RunTheme.run_id == run.id, RunTheme.hidden.is_(False))
                .order_by(RunTheme.size.desc(), RunTheme.position, RunTheme.id)
            )
        )
    )


def stance_in_order(stance: dict[str, int]) -> list[tuple[str, int]]:
    """A theme's stance counts as reports show them: For, Against, Neither, Unclear, then any
    other side, each with its count (zeros kept)."""
    return [
        (stance_label(name), int(stance[name]))
        for name in [
            *(n for n in STANCE_LABELS if n in stance),
            *(n for n in stance if n not in STANCE_LABELS),
        ]
    ]


def theme_view(
    theme: RunTheme,
    segments: list[str],
    ids: dict[str, int],
    measured: bool = True,
    total: int = 0,
) -> ThemeView:
    """One theme's figures, quotes and breakdowns for the report page (no stance counts
    when the run did not measure stance: ``measured`` False); ``total``: the answers in the
    run's base, of which ``mentioned`` counts those mentioning the theme."""
    stance = shown_stance(theme) if measured else {}
    tables = [segment_table(theme, name) for name in segments]
    current = stability_measured_now(theme.run, theme)
    # A run of too few answers: no theme's figures mean anything, and each theme says so.
    few, merged = too_few_answers(int(total)), theme.origin == "merge"
    return ThemeView(
        theme=theme,
        also=also_in_group(
            {
                "label_point": theme.label_point,
                "summary": theme.summary or [],
                "stance": theme.stance,
            },
            int(total),
        ),
        quotes=_quotes(theme.quotes, ids),
        summary=_quotes(theme.summary, ids),
        stance=stance_in_order(stance),
        sentiment=sentiment_words(theme.sentiment),
        stability=stability_words(
            theme.stability, current, few=few, merged=merged, split=theme.origin == "split"
        ),
        segments=[table for table in tables if table is not None],
        mentioned=Mentions(int(theme.mentions or 0), int(total)),
        unstable=not few and is_unstable(theme.stability, current),
        earlier_measure=not current and theme.stability is not None,
        glance_stance=stance_glance(shown_stance(theme), measured),
        flags=with_label_check(
            theme_flags(
                theme.stability,
                theme.mentions,
                theme.label_point,
                current,
                few=few,
                merged=merged,
                summary=theme.summary,
                mixed=theme_mixed(theme),
            ),
            theme,
        ),
        merged_stability=(
            ""
            if theme.stability is None
            else MERGED_STABILITY
            if merged
            else SPLIT_STABILITY
            if theme.origin == "split"
            else ""
        ),
    )


def run_segments(run: AnalysisRun, themes: list[RunTheme]) -> list[str]:
    """The segments the run broke themes down by (its settings, else what was stored)."""
    chosen = list((run.settings or {}).get("segments") or [])
    stored = [name for theme in themes for name in (theme.segments or {})]
    return list(dict.fromkeys(chosen + stored))


def duplicate_groups(run: AnalysisRun) -> dict[str, int]:
    """Answers per duplicate group of the run (every answer repeated word for word, short
    ones too, as the coding download's ``duplicate_group`` column names them)."""
    rows = db.session.execute(
        select(RunAssignment.duplicate_group, func.count(RunAssignment.id))
        .where(RunAssignment.run_id == run.id, RunAssignment.duplicate_group.is_not(None))
        .group_by(RunAssignment.duplicate_group)
    ).all()
    return {group: int(n) for group, n in rows if group}


def largest_repeat(run: AnalysisRun) -> str:
    """The text of the run's largest duplicate group that is not a campaign ('' for none):
    what :func:`analysis.report.duplicates_sentence` quotes as what the repeats are, chosen
    by the command line's rule (:func:`analysis.report.largest_group`: ties to the group with
    the lowest number; the group's first answer) so that both quote the same one. One
    aggregate query, a row per group, never every assignment."""
    grouped = (
        select(
            RunAssignment.duplicate_group.label("group"),
            func.count(RunAssignment.id).label("answers"),
            func.min(RunAssignment.id).label("first_id"),
        )
        .where(
            RunAssignment.run_id == run.id,
            RunAssignment.duplicate_group.is_not(None),
            or_(RunAssignment.flags.is_(None), ~_is_campaign()),
        )
        .group_by(RunAssignment.duplicate_group)
        .subquery()
    )
    found = db.session.execute(
        select(grouped.c.group, grouped.c.answers, RunAssignment.text).join(
            RunAssignment, RunAssignment.id == grouped.c.first_id
        )
    ).all()
    group = largest_group({name: answers for name, answers, _ in found})
    return next((str(text or "") for name, _, text in found if name == group), "")


def _is_campaign():
    return cast(RunAssignment.flags, String).like('%"campaign"%')


def campaigns(run: AnalysisRun, limit: int | None = 20) -> list[dict[str, Any]]:
    """The run's campaigns (long copied texts), largest first: ``number`` (1, 2, 3... as
    shown), ``group`` (the engine's duplicate group, as the coding download names it: groups
    are numbered over every repeated answer, short ones too, so campaigns' groups skip),
    count, the text and ``themes``: the keys of the themes its copies have as main theme,
    with how many ((key, count), largest first). ``limit`` None: all of them."""
    count = func.count(RunAssignment.id)
    rows = db.session.execute(
        select(RunAssignment.duplicate_group, count, func.min(RunAssignment.text))
        .where(
            RunAssignment.run_id == run.id,
            RunAssignment.duplicate_group.is_not(None),
            _is_campaign(),
        )
        .group_by(RunAssignment.duplicate_group)
        .order_by(count.desc(), RunAssignment.duplicate_group)
        .limit(limit)
    ).all()
    found = [
        {"number": number, "group": group, "count": n, "text": text, "themes": []}
        for number, (group, n, text) in enumerate(rows, start=1)
    ]
    by_group = {campaign["group"]: campaign for campaign in found}
    for group, key, n in db.session.execute(
        select(RunAssignment.duplicate_group, RunTheme.key, func.count(RunAssignment.id))
        .outerjoin(RunTheme, RunTheme.id == RunAssignment.theme_id)
        .where(
            RunAssignment.run_id == run.id,
            RunAssignment.duplicate_group.in_(list(by_group)),
            _is_campaign(),
        )
        .group_by(RunAssignment.duplicate_group, RunTheme.key)
    ):
        by_group[group]["themes"].append((key or NON_SUBSTANTIVE, int(n)))
    for campaign in found:
        campaign["themes"].sort(key=lambda item: (-item[1], item[0]))
    return found


def theme_campaigns(
    run: AnalysisRun, numbered: list[dict[str, Any]]
) -> dict[str, list[ThemeCampaign]]:
    """Theme key -> the campaigns (:func:`campaigns`, numbered) whose copies it holds, with
    how many of them have it as main theme and how many mention it. One aggregate query
    over the campaigns' copies (whose themes are alike: a campaign is one text)."""
    if not numbered:
        return {}
    by_group = {campaign["group"]: campaign for campaign in numbered}
    tally: dict[tuple[str, str], list[int]] = {}
    for group, key, themes, n in db.session.execute(
        select(
            RunAssignment.duplicate_group,
            RunTheme.key,
            cast(RunAssignment.themes, String),
            func.count(RunAssignment.id),
        )
        .outerjoin(RunTheme, RunTheme.id == RunAssignment.theme_id)
        .where(
            RunAssignment.run_id == run.id,
            RunAssignment.duplicate_group.in_(list(by_group)),
            _is_campaign(),
        )
        .group_by(RunAssignment.duplicate_group, RunTheme.key, cast(RunAssignment.themes, String))
    ):
        mentioned = {str(entry[0]) for entry in json.loads(themes or "[]") if entry}
        if key:
            mentioned.add(key)
            tally.setdefault((key, group), [0, 0])[0] += int(n)
        for other in mentioned:
            tally.setdefault((other, group), [0, 0])[1] += int(n)
    result: dict[str, list[ThemeCampaign]] = {}
    for (key, group), (main, mentions) in tally.items():
        campaign = by_group[group]
        result.setdefault(key, []).append(
            ThemeCampaign(campaign["number"], int(campaign["count"]), main, mentions)
        )
    for found in result.values():
        found.sort(key=lambda item: item.number)
    return result


def agreement_breakdown(run: AnalysisRun, themes: list[RunTheme]) -> dict[str, Any] | None:
    """For a "why" text: what the run's respondents answered to the agreement question, in
    all and by main theme (one aggregate query). None for other questions."""
    question = run.stance_question
    if question is None:
        return None
    cross = db.session.execute(
        select(RunAssignment.theme_id, Answer.value, func.count())
        .join(
            Answer,
            (Answer.response_id == RunAssignment.response_id) & (Answer.question_id == question.id),
        )
        .where(RunAssignment.run_id == run.id)
        .group_by(RunAssignment.theme_id, Answer.value)
    ).all()
    by_theme: dict[int | None, Counter[str]] = {}
    overall: Counter[str] = Counter()
    for theme_id, value, n in cross:
        by_theme.setdefault(theme_id, Counter())[value] += n
        overall[value] += n
    scale = list(AGREEMENT_SCALE)
    rows = [(label, int(overall.get(value, 0))) for value, label in scale]
    table = [
        (theme, [by_theme.get(theme.id, Counter()).get(value, 0) for value, _ in scale])
        for theme in themes
    ]
    return {
        "question": question,
        "number": question_number(question),
        "title": question_title(question),
        "chart": Chart(
            title=f"Answers to {question_label(question)} in the responses analysed",
            rows=rows,
            base=sum(n for _, n in rows),
        ),
        "scale": [label for _, label in scale],
        "themes": table,
        "non_substantive": [by_theme.get(None, Counter()).get(value, 0) for value, _ in scale],
    }


def report(run: AnalysisRun) -> Report:
    """The report page of a finished run, from its stored themes and aggregate counts."""
    themes = visible_themes(run)
    segments = run_segments(run, themes)
    references = {
        str(entry.get("id"))
        for theme in themes
        for entry in [*(theme.quotes or []), *(theme.summary or [])]
    }
    ids = _response_ids(references)
    bucket = nothing_said(run)
    total = run.input_count
    if total is None:
        total = db.session.scalar(
            select(func.count(RunAssignment.id)).where(RunAssignment.run_id == run.id)
        )
    summary = run.summary or {}
    duplicates = dict(summary.get("duplicates") or {})
    stored_bucket = summary.get("non_substantive_bucket")
    examples = list(stored_bucket.get("examples", [])) if isinstance(stored_bucket, dict) else []
    masked = summary.get("personal_data_masked") or {}
    measured = stance_measured(run)
    numbered = campaigns(run, limit=None) if duplicates.get("campaigns", 1) else []
    copies = theme_campaigns(run, numbered)
    views = [theme_view(theme, segments, ids, measured, int(total or 0)) for theme in themes]
    misfits = counts_by_theme(run)
    for view in views:
        view.campaigns = copies.get(view.theme.key, [])
        view.poor_fit = misfits.get(view.theme.key, 0)
    return Report(
        run=run,
        themes=views,
        total=int(total or 0),
        non_substantive=int(bucket or 0),
        non_substantive_examples=examples,
        campaigns=numbered[:CAMPAIGNS_LISTED],
        campaign_summary=duplicates,
        duplicates_text=duplicates_sentence(
            duplicate_groups(run), len(numbered), example=largest_repeat(run)
        ),
        masked=[
            (PII_LABELS.get(kind, kind.replace("_", " ")), int(n)) for kind, n in masked.items()
        ],
        agreement=agreement_breakdown(run, themes),
        details=run_details(run),
        submitted=int(summary.get("submitted") or total or 0),
        stance_measured=measured,
        submitted_since=submitted_since(run),
        few_answers=all_answers(run) if few_answers_warning(int(total or 0)) else [],
        poor_fit_total=sum(misfits.values()),
        poor_fits=poor_fits(run) if misfits else [],
        nothing_to_change=nothing_to_change_text(themes),
        side_moved=int(summary.get("moved_for_side") or 0),
        points_across=run_points_across(run, themes),
    )


def run_points_across(run: AnalysisRun, themes: list[RunTheme]) -> list[dict[str, Any]]:
    """The run's points raised across themes (:mod:`analysis.spread_points`) that still read
    true for the ``themes`` shown: a point whose theme a reviewer relabelled, merged or split
    away is left out, and so is any theme no longer shown (the counts are the run's)."""
    return current_points(
        (run.summary or {}).get("points_across_themes"), {t.key: t.label for t in themes}
    )


def nothing_to_change_text(themes: list[RunTheme]) -> str:
    """The no-substantive section's naming of the themes whose label says nothing needs to
    change ("Nothing could have been done better": smoke9 finding 12), as the CLI's report
    names them (:func:`analysis.report.nothing_to_change_sentence`, one rule), with each
    theme's label and counts now (after any review edit); "" when no label says so."""
    return nothing_to_change_sentence(
        [
            {"id": t.key, "label": t.label, "size": t.size, "label_point": t.label_point}
            for t in themes
        ]
    )


def all_answers(run: AnalysisRun) -> list[Quote]:
    """Every answer the run read, in the order it read them, as quotes (for a run of too few
    answers to theme: the report lists them; no more than :data:`FEW_ANSWERS`)."""
    rows = db.session.execute(
        select(RunAssignment.reference, RunAssignment.text, RunAssignment.response_id)
        .where(RunAssignment.run_id == run.id)
        .order_by(RunAssignment.id)
        .limit(FEW_ANSWERS)
    ).all()
    return [Quote(str(reference), text or "", response_id) for reference, text, response_id in rows]


def submitted_since(run: AnalysisRun) -> int:
    """How many more submitted responses the consultation has now than when the run read
    its answers (0 for a run that did not record the number)."""
    if (run.summary or {}).get("submitted") is None:
        return 0
    return _since(run, _submitted_count(run.consultation_id))


def _submitted_count(consultation_id: int) -> int:
    """The consultation's submitted responses, now."""
    return int(
        db.session.scalar(
            select(func.count(Response.id)).where(
                Response.consultation_id == consultation_id, Response.status == "submitted"
            )
        )
        or 0
    )


# --- one theme: explain it, and every response in it ----------------------------------------


@dataclass
class Coded:
    """A response's coding in the run, for lists of responses."""

    assignment: RunAssignment
    response_id: int
    others: list[tuple[str, str]]


@dataclass
class ThemePage:
    """A theme's explanation and a page of its responses (``theme`` None: the bucket)."""

    run: AnalysisRun
    key: str
    theme: RunTheme | None
    label: str
    typical: list[RunAssignment]
    atypical: list[RunAssignment]
    responses: list[Coded]
    total: int
    page: int
    pages: int
    query: str
    scope: str
    segments: list[SegmentTable]
    campaigns: list[ThemeCampaign] = field(default_factory=list)
    # When no answer has a confidence (a theme made from examples, or every answer moved by
    # hand): its first answers, so "Most typical responses" is not a heading over nothing.
    placed: list[RunAssignment] = field(default_factory=list)
    # assignment id -> "; 2 other answers say the same", for the least typical answers others
    # of the theme say in other framing (:func:`least_typical`)
    atypical_same: dict[int, str] = field(default_factory=dict)
    non_substantive: int = 0  # the run's answers in no theme (said nothing substantive)

    @property
    def bases_text(self) -> str:
        """The theme's shares of those with something to say, where many said nothing
        substantive (smoke31; :func:`.nothing_said.theme_bases`); '' otherwise."""
        if self.theme is None:
            return ""
        answered = int(self.run.input_count or 0)
        return theme_bases(
            int(self.theme.size or 0), int(self.theme.mentions or 0), answered, self.non_substantive
        )


def theme_labels(run: AnalysisRun) -> dict[str, str]:
    """Every theme key of the run (hidden ones too) -> its label."""
    return dict(
        db.session.execute(
            select(RunTheme.key, RunTheme.label).where(RunTheme.run_id == run.id)
        ).all()
    )


def find_theme(run: AnalysisRun, key: str) -> RunTheme | None:
    """The run's theme with this key."""
    return db.session.scalar(select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == key))


def theme_page(
    run: AnalysisRun, key: str, query: str = "", page: int = 1, scope: str = "main"
) -> ThemePage | None:
    """The theme's defining words, its most and least typical responses (by confidence),
    and one page of its responses, searchable, each with its other themes. ``scope`` is
    'main' (responses whose main theme it is) or 'any' (every response coded to it).
    None when the run has no such theme."""
    scope = scope if scope in ("main", "any") else "main"
    query = (query or "").strip()[:200]
    labels = theme_labels(run)
    if key == NON_SUBSTANTIVE:
        theme, label = None, "No substantive answer"
        member = RunAssignment.theme_id.is_(None)
    else:
        theme = find_theme(run, key)
        if theme is None:
            return None
        label = theme.label
        member = RunAssignment.theme_id == theme.id
    base = select(RunAssignment).where(RunAssignment.run_id == run.id)
    typical: list[RunAssignment] = []
    atypical: list[RunAssignment] = []
    atypical_same: dict[int, str] = {}
    if theme is not None:
        scored = base.where(member, RunAssignment.confidence.is_not(None))
        typical = list(
            db.session.scalars(
                scored.order_by(RunAssignment.confidence.desc(), RunAssignment.id).limit(
                    TYPICAL_COUNT
                )
            )
        )
        seen = {item.id for item in typical}
        atypical, atypical_same = least_typical(
            [
                item
                for item in db.session.scalars(
                    scored.order_by(RunAssignment.confidence.asc(), RunAssignment.id).limit(
                        TYPICAL_COUNT * ATYPICAL_POOL
                    )
                )
                if item.id not in seen
            ],
            db.session.execute(
                select(RunAssignment.id, RunAssignment.text).where(
                    RunAssignment.run_id == run.id, member
                )
            ).all(),
        )
    placed: list[RunAssignment] = []
    if theme is not None and not typical:
        placed = list(
            db.session.scalars(base.where(member).order_by(RunAssignment.id).limit(TYPICAL_COUNT))
        )
    listing = base
    if scope == "any" and theme is not None:
        listing = listing.where(
            member | cast(RunAssignment.themes, String).like(f'%"{theme.key}"%')
        )
    else:
        listing = listing.where(member)
    if query:
        listing = listing.where(
            contains(RunAssignment.text, query) | contains(RunAssignment.reference, query)
        )
    total = db.session.scalar(select(func.count()).select_from(listing.subquery())) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = db.session.scalars(
        listing.order_by(RunAssignment.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    responses = [
        Coded(
            assignment=row,
            response_id=row.response_id,
            others=[(k, labels.get(k, k)) for k in row.theme_keys if k != key],
        )
        for row in rows
    ]
    tables = []
    copies: list[ThemeCampaign] = []
    if theme is not None:
        if ((run.summary or {}).get("duplicates") or {}).get("campaigns", 1):
            copies = theme_campaigns(run, campaigns(run, limit=None)).get(theme.key, [])
        for name in run_segments(run, [theme]):
            table = segment_table(theme, name)
            if table is not None:
                tables.append(table)
    return ThemePage(
        run=run,
        key=key,
        theme=theme,
        label=label,
        typical=typical,
        atypical=atypical,
        responses=responses,
        total=total,
        page=page,
        pages=pages,
        query=query,
        scope=scope,
        segments=tables,
        campaigns=copies,
        placed=placed,
        atypical_same=atypical_same,
        non_substantive=nothing_said(run) if theme is not None else 0,
    )


# How many of a theme's least confident answers are read to find its TYPICAL_COUNT least
# typical ones once answers saying the same are taken as one (:func:`least_typical`).
ATYPICAL_POOL = 10


def least_typical(
    candidates: list[RunAssignment], members: Sequence[tuple[int, str]]
) -> tuple[list[RunAssignment], dict[int, str]]:
    """The theme page's "Least typical responses": the first :data:`TYPICAL_COUNT` of
    ``candidates`` (least confident first) with answers saying the same taken as one, as the
    report's quotes take them (:func:`analysis.quote_points.same_quote`: the same sentences up
    to an opener, a place or a framing phrase), and for each one kept the words said after
    its response ("; 2 other answers say the same", :func:`analysis.report.same_note`)
    counting the theme's ``members`` (assignment id, text) that say it (smoke30b #4: the
    demo's fast Q2 T02 listed the label's own sentence twice, two identical answers)."""
    from analysis.quote_points import quote_sentences, same_quote

    kept: list[RunAssignment] = []
    parts: list[tuple] = []
    for item in candidates:
        said = quote_sentences(item.text or "")
        if said and any(same_quote(said, other) for other in parts):
            continue
        kept.append(item)
        parts.append(said)
        if len(kept) == TYPICAL_COUNT:
            break
    same: dict[int, str] = {}
    for item, said in zip(kept, parts, strict=True):
        if not said:
            continue
        count = sum(
            1
            for member_id, text in members
            if member_id != item.id and same_quote(said, quote_sentences(text or ""))
        )
        if count:
            same[item.id] = same_note({"same": count})
    return kept, same


# --- across the consultation ----------------------------------------------------------------


@dataclass
class OverviewRow:
    """One theme on the overview: the share of all answers mentioning it and of each partner
    type's answers (None where the type has no cell), all on the one basis (mentions)."""

    theme: RunTheme
    everyone: Mentions
    shares: list[float | None]
    stance: str = ""  # as the report's at-a-glance table says it ('' when not measured)
    flags: list[str] = field(default_factory=list)


@dataclass
class QuestionOverview:
    """A free-text question on the overview: its latest run's top themes by partner type.
    Every share counts the answers *mentioning* a theme (as main theme or not), as the
    breakdowns by segment do, so "All" is the partner types' counts added up."""

    question: Question
    title: str
    number: int
    run: AnalysisRun | None
    runs: int
    active: AnalysisRun | None
    themes: list[RunTheme]
    partner_types: list[tuple[str, str, int]]
    shares: list[OverviewRow]
    answered: int = 0  # the base of "All": the answers the run read
    stance_measured: bool = False  # whether the latest run measured stance
    submitted_since: int = 0  # responses submitted since the run read its answers
    run_note: str = ""  # why the run shown is not the newest (report_runs.run_note)
    theme_count: int = 0  # the run's themes, of which ``themes`` are the most mentioned
    mixed_last: bool = False  # a theme flagged mixed is listed after less mentioned ones
    # themes flagged mixed that more answers mention than a theme shown, left out of the top
    # rows because they are listed last (smoke30 #2)
    mixed_left_out: list[OverviewRow] = field(default_factory=list)
    non_substantive: int = 0  # answers in no theme (said nothing substantive)

    @property
    def bases_text(self) -> str:
        """Where many said nothing substantive, that "All" also gives each share of those
        with something to say (smoke31; :func:`.nothing_said.overview_bases`); else ''."""
        return overview_bases(self.answered, self.non_substantive)

    def other_base(self, count: int) -> str:
        """ "33% of the 110 with something to say" for ``count`` answers mentioning a theme,
        where many said nothing substantive (:func:`analysis.bases.other_base_share`)."""
        return other_base_share(int(count or 0), self.answered, self.non_substantive)

    @property
    def order_note(self) -> str:
        """Why the numbers are out of order, when they are (smoke17 #9: "T01, T02, T04,
        T03, T06" with nothing to say why), and why a theme flagged mixed comes after less
        mentioned ones when one does (:data:`analysis.mixed.CATCH_ALLS_LAST`), naming any
        it leaves out of the table (:func:`left_out_words`); '' when they are in order."""
        numbers = [key_number(theme.key) for theme in self.themes]
        carried = carried_note(self.run) if numbers != sorted(numbers) else ""
        if carried:  # which run they come from, and why they are kept (smoke34)
            notes = [f"{OVERVIEW_ORDER_NOTE.split('. ', 1)[0]}. {carried}"]
        else:
            notes = [] if numbers == sorted(numbers) else [OVERVIEW_ORDER_NOTE]
        if self.mixed_last:
            notes.append(f"{CATCH_ALLS_LAST}.")
        if self.mixed_left_out:
            notes.append(left_out_words(self.mixed_left_out, len(self.themes)))
        return " ".join(notes)


def left_out_words(rows: list[OverviewRow], shown: int) -> str:
    """The themes flagged mixed that a question's top ``shown`` rows leave out although more
    answers mention them, each with its mention count, in one sentence (smoke30 #2: the
    demo's fast Q3 overview listed five themes of 8% to 15% and said mixed themes are "listed
    after" them; its T01, mentioned by 46% of the answers, was in no row at all)."""
    named = "; ".join(
        f"{row.theme.key} ‘{row.theme.label}’, mentioned by {row.everyone.count} of the "
        f"{row.everyone.of} answers ({whole_percent(row.everyone.share)})"
        for row in rows
    )
    them = "it is" if len(rows) == 1 else "they are"
    return f"Left out of these top {shown} because {them} flagged mixed: {named}."


# Said under an overview table whose theme numbers are out of order.
OVERVIEW_ORDER_NOTE = (
    "The themes are in order of how many answers mention them. Their numbers were given in "
    "order of main-theme size when the analysis ran, or come from an earlier run, so they can "
    "be out of order here."
)


def _partner_sizes(themes: list[RunTheme]) -> list[tuple[str, str, int]]:
    """(code, label, responses) for each partner type, from the stored cells' totals."""
    sizes: dict[str, int] = {}
    for theme in themes:
        for value, cell in ((theme.segments or {}).get("partner_type") or {}).items():
            sizes[value] = int(cell.get("of", 0))
    ordered = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))
    return [(code, segment_label("partner_type", code), n) for code, n in ordered]


def overview_row(
    theme: RunTheme, partners: list[tuple[str, str, int]], answered: int, measured: bool = False
) -> OverviewRow:
    """A theme's overview row: of all the answers (its partner-type cells added up, so the
    figures reconcile; its stored mentions of ``answered`` when it has no such cells) and of
    each partner type's, the share mentioning it."""
    cells = (theme.segments or {}).get("partner_type") or {}
    if cells:
        everyone = Mentions(
            sum(int(cell.get("count", 0)) for cell in cells.values()),
            sum(int(cell.get("of", 0)) for cell in cells.values()),
        )
    else:
        everyone = Mentions(int(theme.mentions or 0), answered)
    return OverviewRow(
        theme=theme,
        everyone=everyone,
        shares=[cells.get(code, {}).get("share") for code, _, _ in partners],
        stance=stance_glance(shown_stance(theme), measured),
        flags=with_label_check(
            theme_flags(
                theme.stability,
                theme.mentions,
                theme.label_point,
                stability_measured_now(theme.run, theme),
                few=too_few_answers(answered),
                merged=theme.origin == "merge",
                summary=theme.summary,
                mixed=theme_mixed(theme),
            ),
            theme,
        ),
    )


def overview(consultation: Consultation) -> list[QuestionOverview]:
    """For each free-text question: its run's top themes (its newest reviewed run, else its
    newest: :func:`consult.reports.report_runs.shown_runs`) and the share of all answers and
    of each partner type's answers mentioning each theme; plus how many runs it has."""
    shown = shown_runs(consultation)  # the newest reviewed run, else the newest
    latest = {question_id: item.run for question_id, item in shown.items()}
    questions = analysable_questions(consultation)
    run_counts = dict(
        db.session.execute(
            select(AnalysisRun.question_id, func.count(AnalysisRun.id))
            .where(AnalysisRun.consultation_id == consultation.id)
            .group_by(AnalysisRun.question_id)
        ).all()
    )
    active = {
        run.question_id: run
        for run in db.session.scalars(
            select(AnalysisRun)
            .where(
                AnalysisRun.consultation_id == consultation.id,
                AnalysisRun.status.in_(("queued", "running")),
            )
            .order_by(AnalysisRun.id)
        )
    }
    themes_by_run: dict[int, list[RunTheme]] = {}
    if latest:
        for theme in db.session.scalars(
            select(RunTheme)
            .where(
                RunTheme.run_id.in_([run.id for run in latest.values()]),
                RunTheme.hidden.is_(False),
            )
            .order_by(RunTheme.size.desc(), RunTheme.position)
        ):
            themes_by_run.setdefault(theme.run_id, []).append(theme)
    submitted_now = _submitted_count(consultation.id)
    said_nothing = nothing_said_by_run(run.id for run in latest.values())
    result = []
    for question in questions:
        run = latest.get(question.id)
        themes = themes_by_run.get(run.id, []) if run else []
        partners = _partner_sizes(themes)
        answered = int(run.input_count or 0) if run else 0
        if partners:
            answered = sum(n for _, _, n in partners)
        measured = bool(run) and stance_measured(run)
        rows = [overview_row(theme, partners, answered, measured) for theme in themes]
        mixed = mixed_keys(themes)
        shares = most_mentioned(rows, last=mixed)
        top = [row.theme for row in shares]
        # a catch-all listed after themes fewer answers mention (smoke17s #2): said why
        mixed_last = top != [row.theme for row in most_mentioned(rows)]
        least = min((row.everyone.count for row in shares), default=0)
        left_out = [
            row
            for row in most_mentioned(rows, top=len(rows))
            if row.theme.key in mixed and row.theme not in top and row.everyone.count > least
        ]
        result.append(
            QuestionOverview(
                question=question,
                title=question_title(question),
                number=question_number(question),
                run=run,
                runs=int(run_counts.get(question.id, 0)),
                active=active.get(question.id),
                themes=top,
                partner_types=partners,
                shares=shares,
                answered=answered,
                stance_measured=measured,
                submitted_since=_since(run, submitted_now) if run else 0,
                run_note=shown[question.id].note if run else "",
                theme_count=len(themes),
                mixed_last=mixed_last,
                mixed_left_out=left_out,
                non_substantive=said_nothing.get(run.id, 0) if run else 0,
            )
        )
    return result


def most_mentioned(
    rows: list[OverviewRow], top: int = TOP_THEMES, last: set[str] | frozenset[str] = frozenset()
) -> list[OverviewRow]:
    """The ``top`` rows whose themes the most answers mention, most first (ties: the run's
    order): the table shows mention shares, so it is ordered by them too (smoke10 finding
    22: ordered by main-theme size, a 17% theme was listed below a 15% one); themes whose
    keys are in ``last`` (flagged mixed: :func:`consult.reports.runs.mixed_keys`) after the
    others (smoke17s #2: a catch-all's label led as the top finding)."""
    order = sorted(
        range(len(rows)),
        key=lambda i: (rows[i].theme.key in last, -rows[i].everyone.count, i),
    )
    return [rows[i] for i in order[:top]]


def _since(run: AnalysisRun, submitted_now: int) -> int:
    then = (run.summary or {}).get("submitted")
    return 0 if then is None else max(0, submitted_now - int(then))


@dataclass
class RespondentAnswer:
    """One answer of a response, with its themes from the question's run as the reports use
    it (:func:`consult.reports.report_runs.shown_runs`)."""

    question: Question
    title: str
    answer: str
    run: AnalysisRun | None
    themes: list[tuple[str, str]]
    main: str | None
    # (key, "Unstable grouping; mixed: ...") for each of its themes the run's report flags
    checks: list[tuple[str, str]] = field(default_factory=list)
    run_note: str = ""  # why the run shown is not the newest (report_runs.run_note)
    # The answer was among the run's input (a blank or later one is not: smoke13 finding 13).
    in_run: bool = False
    # The engine flagged it as fitting no theme well (smoke13 finding 17).
    fits_no_theme: bool = False


def respondent(response: Response) -> list[RespondentAnswer]:
    """All of one response's answers, each text answer with its themes in the run the
    reports use for its question: the newest reviewed run, else the newest
    (:func:`consult.reports.report_runs.shown_runs`), with the note saying why when a newer
    run is left out."""
    consultation = response.consultation
    used = shown_runs(consultation)
    latest = {question_id: item.run for question_id, item in used.items()}
    answers = response.answer_map()
    coded: dict[int, RunAssignment] = {}
    labels: dict[tuple[int, str], str] = {}
    checks: dict[tuple[int, str], list[str]] = {}
    if latest:
        run_ids = [run.id for run in latest.values()]
        for row in db.session.scalars(
            select(RunAssignment).where(
                RunAssignment.run_id.in_(run_ids), RunAssignment.response_id == response.id
            )
        ):
            coded[row.run_id] = row
        keys = {key for row in coded.values() for key in row.theme_keys}
        if keys:
            for theme in db.session.scalars(
                select(RunTheme).where(
                    RunTheme.run_id.in_(list(coded)), RunTheme.key.in_(sorted(keys))
                )
            ):
                labels[(theme.run_id, theme.key)] = theme.label
                # the run table's warnings, so a doubtful theme is not shown bare here
                # (smoke16 finding 2: "unstable grouping; mixed" on the run, nothing here)
                checks[(theme.run_id, theme.key)] = quoting_flags(theme)
    result = []
    for question in consultation.questions:
        answer = answers.get(question.id)
        shown = display_value(question, answer.value) if answer and answer.value else ""
        shown = shown_hidden(shown)  # as the staff response page shows an answer (tidy28)
        run = latest.get(question.id) if question.is_text else None
        row = coded.get(run.id) if run else None
        themes = [(key, labels.get((run.id, key), key)) for key in row.theme_keys] if row else []
        result.append(
            RespondentAnswer(
                question=question,
                # named as on the staff response page it links to (smoke34b)
                title=f"{question_label(question)}: {question.text}"
                + (f" (about {question_label(question.explains)})" if question.explains else ""),
                answer=shown or "Not answered",
                run=run,
                themes=themes,
                main=themes[0][0] if row and row.theme_id is not None and themes else None,
                checks=[
                    (key, flags_words(flags))
                    for key, _ in themes
                    if run and (flags := checks.get((run.id, key)))
                ],
                run_note=used[question.id].note if run else "",
                in_run=row is not None,
                fits_no_theme=row is not None and FIT_FLAG in (row.flags or []),
            )
        )
    return result
