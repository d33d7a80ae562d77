"""Hand-on documents from a stored run: a Word report per question or per consultation, an
Excel workbook and a CSV of per-response coding.

Word (python-docx): headline figures, a chart of the themes' shares, then for each visible
theme its label, description, counts, summary, quotes (with response references) and the
breakdown by each segment as a chart and a table. Charts are PNG bar charts drawn here with
zlib (no plotting library is installed); their values are always in the table beside them.

Spreadsheets are formula-safe like every other export (:func:`consult.exports.safe_cell`);
the CSV is UTF-8 with a byte-order mark so Excel reads it as UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from flask import current_app
from sqlalchemy import func, select

from analysis.also_points import also_in_group
from analysis.bases import SOMETHING_TO_SAY, bases_sentence, other_base_share, second_base
from analysis.mixed import CATCH_ALLS_LAST
from analysis.report import (
    CHECK_HEADING,
    NAMES_MASKED_ONLY,
    QUOTES_HEADING,
    STABLE_ENOUGH,
    SUMMARY_HEADING,
    campaigns_sentence,
    flags_words,
    is_unstable,
    mostly_mixed_sentence,
    point_headline,
    same_note,
    summary_point_words,
    theme_flags,
    whole_percent,
)
from analysis.spread_points import ACROSS_HEADING, ACROSS_INTRO, across_sentence

from ..exports import XLSX_DATE_FORMAT, safe_cell, uk_moment, xlsx_cell
from ..extensions import db
from ..models import Consultation, as_utc
from ..reference import AREA_LABELS, PARTNER_TYPE_LABELS, SIZE_BAND_LABELS
from ..times import uk_time
from ..wording import number_label
from . import coded, coded_documents
from .alike import looks_like_words, read_alike_words
from .coding_models import Codebook
from .fit import HEADING as FIT_HEADING
from .fit import counts_by_theme, fit_sentence, poor_fits, theme_fit_words
from .label_check import quoting_flags, unchecked_sentence, with_label_check
from .models import AnalysisRun, RunAssignment, RunTheme
from .nothing_said import nothing_said
from .pages import (
    agreement_breakdown,
    all_answers,
    campaigns,
    cell_verdict,
    nothing_to_change_text,
    point_side,
    question_title,
    run_points_across,
    segment_label,
    segment_table,
    stance_in_order,
    stored_count,
    theme_campaigns,
    theme_cells,
)
from .partners_said import HEADING as PARTNERS_SAID_HEADING
from .partners_said import INTRO as PARTNERS_SAID_INTRO
from .partners_said import QuestionSummary, partners_said
from .recount_later import waiting_note, waiting_themes, waiting_words
from .report_runs import report_runs, shown_runs
from .runs import (
    question_number,
    shown_stance,
    side_margin_words,
    stability_measured_now,
    stance_measured,
    theme_mixed,
    unclear_impossible,
)
from .theme_numbers import numbering_note
from .wording import (
    coding_stance,
    earlier_measure_note,
    few_answers_warning,
    label_point_words,
    run_time,
    sentiment_tone,
    sentiment_words,
    shown_stability,
    stability_words,
    stance_basis,
    stance_glance,
    too_few_answers,
    unstable_note,
)

# What a theme no word sets apart shows for its keywords (the report page says the same).
NO_KEYWORDS = "No distinctive words"
# Said on the report page (after "Stance not measured:") and in Word.
STANCE_NOT_MEASURED = (
    "not measured: this question is not a follow-up to an agreement question, so no answer "
    "says whether it is for or against"
)
VERDICT_WORDS = {
    "higher": "higher than the rest (significant)",
    "lower": "lower than the rest (significant)",
    "no clear difference": "no clear difference",
    "too few to tell": "too few answers to tell",
    "not compared": "not compared (not given)",
}


def not_compared_words(heading: str) -> str:
    """As the page says it: "not compared: these responses did not give an organisation
    size" (``heading`` names the segment: Partner type, Area, Organisation size)."""
    article = "an" if heading[:1] in "AEIOU" else "a"
    return f"not compared: these responses did not give {article} {heading.lower()}"


# What "significant" means in the breakdowns by segment, said once per question in Word and
# once per page on the report and theme pages (``_macros.significance_note``).
SIGNIFICANCE_NOTE = (
    "In the breakdowns by segment, a difference marked significant is too big to put down to "
    "chance. Chance alone would give one that big less than 1 time in 20. The more groups are "
    "compared, the bigger a difference must be before it is marked. A row may say “a large gap, "
    "but with N comparisons it could be chance”. Its gap would be marked on its own, but not "
    "once all the comparisons are taken into account. “Too few answers to "
    "tell” means there are too few answers to tell even the most lopsided split from chance."
)
# The pages add this after the note, beside their distinctive words.
DISTINCTIVE_NOTE = (
    "A group's distinctive words are the words its answers in this theme use more than "
    "everyone else's. They are shown only beside a significant difference."
)
# Before the agreement question's chart, on the report page and in Word.
AGREEMENT_INTRO = "Here is how the respondents in this analysis answered it:"
# Which run of each question the consultation's Word report uses (the overview says it too).
NEWEST_RUN_NOTE = (
    "For each question, it uses the newest run edited in review, or else the newest run."
)
# The method, named once for those checking it, after the plain note (smoke16 #10): the pages
# put the title in a details element's summary, Word before the text.
SIGNIFICANCE_METHOD_TITLE = "How significance is worked out (for checking)"
SIGNIFICANCE_METHOD_TEXT = (
    "Each breakdown names its test. The p-value is the chance of a difference at least this "
    "big if the group did not really differ. For example, a p of 0.01 means 1 time in 100. "
    "The p-values are corrected for the number of comparisons made (the Benjamini–Hochberg "
    "method). Only the comparisons that could show a difference are counted. A difference "
    "is significant when the corrected p is below 0.05. A campaign (one text sent by several "
    "respondents) counts once in the tests and the distinctive words, though the counts "
    "shown include every copy."
)
SIGNIFICANCE_METHOD = (
    f"{SIGNIFICANCE_METHOD_TITLE}: "
    f"{SIGNIFICANCE_METHOD_TEXT[:1].lower()}{SIGNIFICANCE_METHOD_TEXT[1:]}"
)

SEGMENT_NAMES = {
    "partner_type": ("Partner type", PARTNER_TYPE_LABELS),
    "area": ("Area", AREA_LABELS),
    "size_band": ("Organisation size", SIZE_BAND_LABELS),
}
BAR_COLOUR = (0x3C, 0x10, 0x53)  # the combined authority's purple
TRACK_COLOUR = (0xF3, 0xF2, 0xF1)
CODING_HEADERS = [
    "reference",
    "theme",
    "theme_label",
    "other_themes",
    "confidence",
    "stance",
    "sentiment",
    "sentiment_tone",
    "duplicate_group",
    "flags",
    "moved_by_hand",
]


def segment_heading(name: str) -> str:
    """The display name of a segment column ('partner_type' -> 'Partner type')."""
    return SEGMENT_NAMES.get(name, (name.replace("_", " ").capitalize(), {}))[0]


def segment_value_label(name: str, value: str) -> str:
    """The display label of a segment value ('university' -> 'University')."""
    if value in ("", "not_given", "not_asked", "business_not_given"):
        return segment_label(name, value)  # "Not asked" apart from "Not given" (smoke17 #8)
    return SEGMENT_NAMES.get(name, ("", {}))[1].get(value, value)


def percent(share: float | None) -> str:
    """A share as the report page shows it, to a whole percent (0.2187 -> '22%'): the Word
    report said '21.9%' where the page beside it said '22%'; '0.4%' where that would say '0%':
    :func:`analysis.report.whole_percent`)."""
    return whole_percent(share)


# --- charts ---------------------------------------------------------------------------------


def bar_chart_png(values: list[float], width: int = 600, bar: int = 22, gap: int = 8) -> bytes:
    """A horizontal bar chart as PNG bytes: one bar per value (0..1 of the width), on a light
    track, top to bottom. Labels belong in the text beside it."""
    values = [min(1.0, max(0.0, float(v))) for v in values] or [0.0]
    height = len(values) * (bar + gap) + gap
    background = bytes((255, 255, 255))
    track = bytes(TRACK_COLOUR)
    fill = bytes(BAR_COLOUR)
    lines = []
    blank = b"\x00" + background * width
    for value in values:
        lines.extend([blank] * gap)
        filled = round(value * (width - 2))
        line = b"\x00" + background + fill * filled + track * (width - 2 - filled) + background
        lines.extend([line] * bar)
    lines.extend([blank] * gap)
    raw = b"".join(lines)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


@lru_cache(maxsize=256)
def _chart_png(values: tuple[float, ...]) -> bytes:
    """:func:`bar_chart_png` of ``values``, kept for the next download of the same report
    (the PNG's compression was a fifth of a Word report's time once the rest was cut)."""
    return bar_chart_png(list(values))


# --- reading a run --------------------------------------------------------------------------


def visible_themes(run: AnalysisRun) -> list[RunTheme]:
    """The run's themes not merged or split away, largest first as the page lists them
    (:func:`consult.reports.pages.visible_themes`: by size now, after any review edit).
    Read through the run's loaded ``themes`` (:attr:`AnalysisRun.visible_themes`, the same
    order), so a document's many readers load them once, not one query each (tidy32: a
    workbook asked 20 times); a document is built in a request or command that edits
    nothing."""
    return run.visible_themes


def _segment_names(run: AnalysisRun, themes: list[RunTheme]) -> list[str]:
    """The segments stored on ``themes``, in the report page's order: as the run's settings
    chose them, then any others stored (a stored JSON object need not keep its keys' order:
    PostgreSQL's jsonb sorts them)."""
    chosen = list((run.settings or {}).get("segments") or [])
    stored = [name for theme in themes for name in (theme.segments or {})]
    if not stored:
        return chosen
    return [name for name in dict.fromkeys(chosen + stored) if name in stored]


def headline(run: AnalysisRun) -> list[tuple[str, str]]:
    """(figure, value) pairs for the top of a report."""
    summary = run.summary or {}
    masked = summary.get("personal_data_masked") or {}
    duplicates = summary.get("duplicates") or {}
    answered, submitted, bucket = answer_counts(run)
    figures = [
        (
            "Answered",
            f"{answered:,} of {submitted:,} submitted responses (the base of every share)",
        ),
        (
            "Not answered",
            f"{submitted - answered:,} left this question blank (in no theme, not in any share)",
        ),
        ("Themes", str(len(visible_themes(run)))),
        (
            "No substantive answer",
            f"{bucket:,} of the {answered:,} answers (in no theme)",
        ),
        (
            "Fit no theme well",
            f"{fit_sentence(misfits, answered)} (see “{FIT_HEADING}”, after the themes)."
            if (misfits := sum(counts_by_theme(run).values()))
            else "none",
        ),
        ("Campaigns", campaigns_sentence(duplicates) if duplicates else "none"),
        (
            "Stance",
            stance_basis(
                question_number(run.stance_question) if run.stance_question else None,
                unclear_impossible(run),
            )
            if stance_measured(run)
            else STANCE_NOT_MEASURED[:1].upper() + STANCE_NOT_MEASURED[1:],
        ),
        (
            "Personal data masked",
            (", ".join(f"{k}: {v}" for k, v in masked.items()) or "none")
            + f". {NAMES_MASKED_ONLY}.",
        ),
        (
            "Analysis",
            f"run {run.id}, engine {run.engine_used or '-'}, seed "
            f"{(run.settings or {}).get('seed', 0)}, "
            f"side margin {side_margin_words(run.settings or {})}, "
            f"{run_time(run)}" + (" (UK time)" if run.finished_at else ""),
        ),
    ]
    return figures


def _codebook(run: AnalysisRun) -> Codebook | None:
    return db.session.scalar(select(Codebook).where(Codebook.question_id == run.question_id))


def coding_rows(run: AnalysisRun) -> Iterator[list[Any]]:
    """One row per response: its primary theme, other themes, confidence, stance, sentiment,
    duplicate group, flags, moved by hand, its coding against the question's codebook (when
    it has one), segment values and the text as analysed."""
    codebook = _codebook(run)
    codes: dict[tuple[int, int], coded.ResponseCode] = {}
    names: dict[str, str] = {}
    if codebook is not None:
        in_run = select(RunAssignment.response_id).where(RunAssignment.run_id == run.id)
        # as the report counts them: an answer people coded differently that nobody has
        # settled has the model's code (or none), marked "not settled"
        codes = coded.response_codes(
            [codebook.id], in_run, unsettled=coded.waiting_by_codebook([codebook])
        )
        names = coded.theme_names([codebook.id]).get(codebook.id, {})
    themes = {t.id: t for t in run.themes}  # loaded once a build
    # the columns as coding_headers names them: its themes in its order (they decide the
    # order of segments stored on some themes only), so no value sits under another's name
    segment_names = _segment_names(run, visible_themes(run))
    result = db.session.execute(
        select(
            RunAssignment.reference,
            RunAssignment.response_id,
            RunAssignment.theme_id,
            RunAssignment.themes,
            RunAssignment.confidence,
            RunAssignment.stance,
            RunAssignment.sentiment,
            RunAssignment.duplicate_group,
            RunAssignment.flags,
            RunAssignment.moved_by_hand,
            RunAssignment.segments,
            RunAssignment.text,
        )
        .where(RunAssignment.run_id == run.id)
        .order_by(RunAssignment.id)
    )
    for row in result:
        primary = themes.get(row.theme_id) if row.theme_id is not None else None
        others = [str(e[0]) for e in (row.themes or []) if primary is None or e[0] != primary.key]
        segments = row.segments or {}
        yield [
            row.reference,
            primary.key if primary else "NS",
            primary.label if primary else "No substantive answer",
            "; ".join(others),
            row.confidence if row.confidence is not None else "",
            coding_stance(row.stance),
            row.sentiment if row.sentiment is not None else "",
            sentiment_tone(row.sentiment),
            row.duplicate_group or "",
            "; ".join(row.flags or []),
            "yes" if row.moved_by_hand else "no",
            *(
                coded.code_cells(codes.get((codebook.id, row.response_id)), names)
                if codebook is not None
                else []
            ),
            *(segment_value_label(n, segments.get(n, "")) for n in segment_names),
            row.text or "",
        ]


def coding_headers(run: AnalysisRun) -> list[str]:
    names = _segment_names(run, visible_themes(run))
    book = coded_documents.CODE_HEADERS if _codebook(run) is not None else []
    return CODING_HEADERS + book + names + ["text"]


# --- CSV ------------------------------------------------------------------------------------


def run_coding_csv(run: AnalysisRun) -> bytes:
    """Per-response coding as CSV: UTF-8 with a byte-order mark, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in coding_headers(run)])
    for row in coding_rows(run):
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Excel ----------------------------------------------------------------------------------

THEME_HEADERS = [
    "key",
    "label",
    "description",
    "responses",
    "share",
    "share_low_95",
    "share_high_95",
    "mentions",
    "mention_share",
    "share_said",
    "mention_share_said",
    "label_point",
    "fits_no_theme",
    "mixed_theme",
    "check_before_quoting",
    "campaign_answers",
    "from_campaigns",
    "for",
    "against",
    "mixed",
    "unclear",
    "sentiment",
    "sentiment_tone",
    "stability",
    "stability_words",
    "keywords",
    "looks_like",
    "origin",
    "reviewed_by",
    "reviewed_at",
    "stance_measured",
    "still_updating",
]


def answer_counts(run: AnalysisRun) -> tuple[int, int, int]:
    """(answered, submitted, no substantive answer) of the run, as the report page counts
    them: the answered are every share's base; the bucket is the answers in no theme."""
    summary = run.summary or {}
    answered = run.input_count
    if answered is None:
        answered = db.session.scalar(
            select(func.count(RunAssignment.id)).where(RunAssignment.run_id == run.id)
        )
    answered = int(answered or 0)
    submitted = max(int(summary.get("submitted") or answered), answered)
    return answered, submitted, nothing_said(run)


def theme_headers(run: AnalysisRun) -> list[str]:
    """The Themes sheet's columns: 'description' only when a theme has one (a reviewer wrote
    it; the engine writes none), the campaign columns only when the run found a campaign,
    'mixed_theme' only when a theme's share of answers making several points was measured
    (:func:`consult.reports.runs.theme_mixed`), 'still_updating' only while a review edit's
    themes wait for the worker (:mod:`consult.reports.recount_later`), so no column is always
    empty."""
    left_out = set()
    themes = visible_themes(run)
    if not any(theme.description for theme in themes):
        left_out.add("description")
    if not _has_campaigns(run):
        left_out |= {"campaign_answers", "from_campaigns"}
    if not waiting_themes(run):
        left_out.add("still_updating")
    if all(theme.multi_point is None for theme in themes):
        left_out.add("mixed_theme")  # not measured (an older run, or every theme edited)
    if not any(looks_like_words(run, theme) for theme in themes):
        left_out.add("looks_like")
    answered, _, empty = answer_counts(run)
    if not second_base(answered, empty):  # shares of two bases only where many said nothing
        left_out |= {"share_said", "mention_share_said"}
    if unclear_impossible(run):  # a column of zeros where nothing can be unclear (smoke33)
        left_out.add("unclear")
    return [name for name in THEME_HEADERS if name not in left_out]


def _has_campaigns(run: AnalysisRun) -> bool:
    return bool(((run.summary or {}).get("duplicates") or {}).get("campaigns", 1)) and bool(
        campaigns(run, limit=1)
    )


def run_campaigns(run: AnalysisRun) -> tuple[list[dict[str, Any]], dict[str, list]]:
    """The run's campaigns, numbered as the report page numbers them, and per theme key the
    campaigns whose copies it holds (:func:`consult.reports.pages.theme_campaigns`)."""
    if not ((run.summary or {}).get("duplicates") or {}).get("campaigns", 1):
        return [], {}
    numbered = campaigns(run, limit=None)
    return numbered, theme_campaigns(run, numbered)


def campaign_words(found: list, size: int, mentions: int) -> str:
    """A theme's campaigns in words ("" when none): see :class:`pages.ThemeCampaign`."""
    return " ".join(item.sentence(size, mentions) for item in found)


def _mixed_cell(theme: RunTheme) -> str:
    """The Themes sheet's "Mixed" cell: "yes" or "no" (:func:`theme_mixed`), "" when the
    theme's answers were not measured (a reviewer changed them), as "label_point" is blank
    then: "no" would clear a merged theme nobody measured (review20)."""
    if theme.multi_point is None:
        return ""
    return "yes" if theme_mixed(theme) else "no"


def theme_rows(
    run: AnalysisRun,
    headers: list[str] | None = None,
    copies: dict[str, list] | None = None,
) -> Iterator[list[Any]]:
    """One row per visible theme in :func:`theme_headers`' columns (the four stance columns
    empty when the run did not measure stance: ``stance_measured`` says 'no'); then the
    answers with no substantive answer, all the answered (the base of every share), those
    that left the question blank (not in the base) and the submitted responses, so the
    main-theme counts add up: themes + no substantive answer = answered. When a theme
    flagged mixed is listed after smaller ones, a last row says why in its label cell, as
    the page and the Word report say it (:data:`analysis.mixed.CATCH_ALLS_LAST`, smoke30b #5).
    ``headers`` and ``copies`` (:func:`run_campaigns`' second part): where the caller has
    them already (:func:`run_xlsx`), so they are not worked out again."""
    measured = stance_measured(run)
    headers = theme_headers(run) if headers is None else headers
    answered, submitted, bucket = answer_counts(run)
    said = second_base(answered, bucket)  # those with something to say, where many did not
    if copies is None:
        copies = run_campaigns(run)[1] if "from_campaigns" in headers else {}
    misfits = counts_by_theme(run)
    themes = visible_themes(run)
    for theme in themes:
        found = copies.get(theme.key, [])
        stance = shown_stance(theme)
        reviewed = as_utc(theme.reviewed_at)
        values: dict[str, Any] = {
            "key": theme.key,
            "label": theme.label,
            "description": theme.description or "",
            "responses": theme.size,
            "share": theme.share,
            "share_low_95": theme.share_low,
            "share_high_95": theme.share_high,
            "mentions": theme.mentions,
            "mention_share": round(theme.mentions / answered, 4) if answered else "",
            # of those with something to say, where many said nothing (smoke31 #4; the
            # page's and Word's second share, analysis.bases)
            "share_said": round(theme.size / said, 4) if said else "",
            "mention_share_said": round(theme.mentions / said, 4) if said else "",
            "label_point": "" if theme.label_point is None else theme.label_point,
            # its answers no other answer comes close to (consult.reports.fit)
            "fits_no_theme": misfits.get(theme.key, 0),
            # a catch-all, as the page's and Word's "Check before quoting" flag it; blank
            # for a theme a reviewer's edit left unmeasured (a merge can make a catch-all)
            "mixed_theme": _mixed_cell(theme),
            # the page's "Check before quoting" words, "label not checked (fast engine)" too
            # (smoke16 #3: a fast run's blank label-point cell read as checked)
            "check_before_quoting": flags_words(quoting_flags(theme, answered)),
            "campaign_answers": sum(item.main for item in found),
            "from_campaigns": campaign_words(found, theme.size, theme.mentions),
            **{n: (stance.get(n, 0) if measured else "") for n in STANCE_COLUMNS},
            "sentiment": theme.sentiment if theme.sentiment is not None else "",
            "sentiment_tone": sentiment_tone(theme.sentiment),
            # the figure as the words beside it judge it (two places), never 0.4979 beside
            # "0.50 (fairly stable)"
            "stability": "" if theme.stability is None else shown_stability(theme.stability),
            "stability_words": stability_words(
                theme.stability,
                stability_measured_now(run, theme),
                few=too_few_answers(answered),
                merged=theme.origin == "merge",
                split=theme.origin == "split",
            ),
            "keywords": ", ".join(theme.keywords or []),
            # themes that seem to make this theme's point (a hint to merge them)
            "looks_like": looks_like_words(run, theme),
            "origin": theme.origin,
            "reviewed_by": theme.reviewed_by or "",
            "reviewed_at": uk_moment(reviewed) or "",
            "stance_measured": "yes" if measured else "no",
            "still_updating": waiting.short if (waiting := waiting_words(theme)) else "",
        }
        yield [values[name] for name in headers]
    share = (lambda n: round(n / answered, 4)) if answered else (lambda n: "")
    for key, label, count, of_base in (
        ("NS", "No substantive answer (in no theme)", bucket, True),
        ("", BASE_LABEL, answered, True),
        (
            "",
            "Not answered (left this question blank; not in the base)",
            submitted - answered,
            False,
        ),
        ("", "Submitted responses", submitted, False),
    ):
        values = {"key": key, "label": label, "responses": count}
        if of_base:
            values["share"] = share(count)
        yield [values.get(name, "") for name in headers]
    sizes = [int(theme.size or 0) for theme in themes]
    if sizes != sorted(sizes, reverse=True):  # a catch-all listed last (runs.catch_alls_last)
        yield [f"{CATCH_ALLS_LAST}." if name == "label" else "" for name in headers]


STANCE_COLUMNS = ("for", "against", "mixed", "unclear")
CAMPAIGN_HEADERS = [
    "Campaign",
    "Duplicate group (in Coding)",
    "Responses",
    "Main theme of its copies (answers)",
    "Text",
]


def campaign_rows(numbered: list[dict[str, Any]]) -> Iterator[list[Any]]:
    """One row per campaign (a long text sent by several respondents), largest first."""
    for campaign in numbered:
        yield [
            campaign["number"],
            campaign["group"],
            campaign["count"],
            ", ".join(f"{key} ({n})" for key, n in campaign["themes"]),
            campaign["text"],
        ]


BASE_LABEL = "All answered (the base of every share)"
QUOTE_HEADERS = [
    "Theme key",
    "Theme",
    "Kind",
    "Order",
    "Text",
    "Response",
    "Side",
    "Answers making the point",
]


# How the Word report and the workbook mark a summary sentence that is the tool's own
# statement ("This theme makes one point only"), not a respondent's words.
ANALYSIS_NOTE = "Note from the analysis, not a respondent's words"


def quote_rows(run: AnalysisRun) -> Iterator[list[Any]]:
    """Each visible theme's summary points, then its quotes, each with the reference of the
    response it came from (as the report page shows them) and, for a summary point when
    stance was measured, the side its answers took, and how many of the theme's answers make
    the point where that was counted (as the page's "about N of the M answers"). The tool's
    own statement (``only_point``) is a "Note from the analysis" with no response."""
    for theme in visible_themes(run):
        for kind, entries in (("Summary point", theme.summary), ("Quote", theme.quotes)):
            for order, entry in enumerate(entries or [], start=1):
                note = bool(entry.get("only_point"))
                answers = stored_count(entry.get("answers")) if kind == "Summary point" else None
                counted = summary_point_words(answers, theme.mentions)
                yield [
                    theme.key,
                    theme.label,
                    ANALYSIS_NOTE if note else kind,
                    order,
                    str(entry.get("text", "")),
                    "" if note else str(entry.get("id", "")),
                    point_side(entry),
                    answers if counted and not note else "",
                ]


def agreement_rows(run: AnalysisRun) -> tuple[list[str], list[list[Any]]] | None:
    """For a "why" text: each theme's answers (main theme) by what they said to the agreement
    question, as the report page's table; None for other questions."""
    breakdown = agreement_breakdown(run, visible_themes(run))
    if breakdown is None:
        return None
    scale = list(breakdown["scale"])
    headers = [
        "Theme key",
        f"Theme (main theme; answers to {number_label(breakdown['number'])})",
        *scale,
        "All",
    ]
    rows: list[list[Any]] = [
        [theme.key, theme.label, *counts, sum(counts)] for theme, counts in breakdown["themes"]
    ]
    if sum(breakdown["non_substantive"]):  # no empty row (smoke18r #13)
        rows.append(
            [
                "NS",
                "No substantive answer",
                *breakdown["non_substantive"],
                sum(breakdown["non_substantive"]),
            ]
        )
    everyone = [count for _, count in breakdown["chart"].rows]
    rows.append(["", "All the responses analysed", *everyone, sum(everyone)])
    return headers, rows


SEGMENT_HEADERS = [
    "theme",
    "label",
    "value",
    "count",
    "of",
    "share",
    "share_low_95",
    "share_high_95",
    "rest_share",
    "p_adjusted",
    "significant",
    "distinctive_words",
    "verdict",
]


def segment_rows(run: AnalysisRun, name: str) -> Iterator[list[Any]]:
    for theme in visible_themes(run):
        cells = theme_cells(theme, name).items()
        # As the report page orders them: largest share first, then by label.
        for value, cell in sorted(
            cells,
            key=lambda item: (
                -float(item[1].get("share", 0.0)),
                segment_value_label(name, item[0]),
            ),
        ):
            low, high = (cell.get("ci95") or [0.0, 0.0])[:2]
            yield [
                theme.key,
                theme.label,
                segment_value_label(name, value),
                cell.get("count", 0),
                cell.get("of", 0),
                cell.get("share", 0.0),
                low,
                high,
                "" if _verdict(cell, value) == "not compared" else cell.get("rest_share", 0.0),
                "" if cell.get("p_adjusted") is None else cell["p_adjusted"],
                "yes" if _verdict(cell, value) in ("higher", "lower") else "no",
                # only beside a real difference (see consult.reports.pages.segment_table)
                ", ".join(cell.get("distinctive_words") or [])
                if _verdict(cell, value) in ("higher", "lower")
                else "",
                not_compared_words(segment_heading(name))
                if _verdict(cell, value) == "not compared"
                else VERDICT_WORDS.get(_verdict(cell, value), _verdict(cell, value)),
            ]


# The workbook's headers for people (the CSV of per-response coding, a scripted contract, and
# the workbook's 'Coding' sheet that mirrors it keep their machine names).
THEME_TITLES = {
    "key": "Theme key",
    "label": "Theme",
    "description": "Description",
    "responses": "Answers (main theme)",
    "share": "Share of answers",
    "share_low_95": "Share: 95% interval from",
    "share_high_95": "Share: 95% interval to",
    "mentions": "Answers mentioning it",
    "mention_share": "Share of answers mentioning it",
    "share_said": f"Share of the answers {SOMETHING_TO_SAY} (main theme)",
    "mention_share_said": f"Share of the answers {SOMETHING_TO_SAY} mentioning it",
    "label_point": (
        "Of them, making the label's own point (about; blank: not measured, as in a fast "
        "run made before it was counted, or a theme a reviewer changed)"
    ),
    "fits_no_theme": "Its answers fitting no theme well (few other answers are close)",
    "mixed_theme": (
        "Mixed: answers making several different points (read them before quoting its label;"
        " blank: not measured)"
    ),
    "check_before_quoting": CHECK_HEADING,
    "campaign_answers": "Main theme of: answers from campaigns (one copied text each)",
    "from_campaigns": "From campaigns (see the Campaigns sheet)",
    "for": "Stance of answers mentioning it: for",
    "against": "Stance of answers mentioning it: against",
    "mixed": "Stance of answers mentioning it: neither",
    "unclear": "Stance of answers mentioning it: unclear",
    "sentiment": "Mean sentiment (−1 to +1)",
    "sentiment_tone": "Sentiment in words",
    "stability": "Stability (0 to 1)",
    "stability_words": (
        f"Stability in words (below {STABLE_ENOUGH}: read its answers before quoting it)"
    ),
    "keywords": "Keywords",
    "looks_like": "Looks like (themes that seem to make the same point: merge them if so)",
    "origin": "Origin",
    "reviewed_by": "Reviewed by",
    "reviewed_at": "Reviewed at (UK time)",
    "stance_measured": "Stance measured",
    "still_updating": "Still being counted after a review edit (download again in a moment)",
}
SEGMENT_TITLES = {
    "theme": "Theme key",
    "label": "Theme",
    "value": "{segment}",
    "count": "Answers mentioning the theme",
    "of": "Answers from this {segment}",
    "share": "Share of the {segment}'s answers",
    "share_low_95": "Share: 95% interval from",
    "share_high_95": "Share: 95% interval to",
    "rest_share": "Share of everyone else's answers",
    "p_adjusted": (
        "p: the chance of a difference this large by chance alone (adjusted for the number "
        "of comparisons; significant below 0.05)"
    ),
    "significant": "Significant",
    "distinctive_words": "Distinctive words (only where significant)",
    "verdict": "Difference from the rest",
}
PERCENT_FORMAT = "0.0%"
PERCENT_COLUMNS = {
    "share",
    "share_low_95",
    "share_high_95",
    "rest_share",
    "share_of_answered",
    "mention_share",
    "share_said",
    "mention_share_said",
}


def _titles(headers: list[str], titles: dict[str, str]) -> list[str]:
    return [titles.get(h, h) for h in headers]


def run_xlsx(run: AnalysisRun) -> bytes:
    """A workbook: 'Themes' (then the no-substantive, answered, not-answered and submitted
    counts that reconcile them), 'Coding' (one row per response), one sheet per segment,
    'Campaigns' when the run found any, 'Summaries and quotes' (each with its response
    reference), 'Agreement' for a "why" text,
    'Figures' (the headline figures), then the codebook's sheets when the question has one.
    Headers are words for people (but 'Coding' keeps the coding CSV's names); shares are
    numbers shown as percentages."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    # (title, headers as written, the machine names that choose number formats, rows)
    themes, coding = theme_headers(run), coding_headers(run)  # each worked out once
    numbered, copies = run_campaigns(run)
    sheets: list[tuple[str, list[str], list[str], Iterator[list[Any]]]] = [
        ("Themes", _titles(themes, THEME_TITLES), themes, theme_rows(run, themes, copies)),
        ("Coding", coding, coding, coding_rows(run)),
    ]
    for name in _segment_names(run, visible_themes(run)):
        heading = segment_heading(name)
        titles = [
            SEGMENT_TITLES.get(h, h).replace("{segment}", heading.lower()) for h in SEGMENT_HEADERS
        ]
        titles[SEGMENT_HEADERS.index("value")] = heading
        sheets.append((heading[:31], titles, SEGMENT_HEADERS, segment_rows(run, name)))
    if numbered:
        sheets.append(("Campaigns", CAMPAIGN_HEADERS, CAMPAIGN_HEADERS, campaign_rows(numbered)))
    sheets.append(("Summaries and quotes", QUOTE_HEADERS, QUOTE_HEADERS, quote_rows(run)))
    agreement = agreement_rows(run)
    if agreement is not None:
        sheets.append(("Agreement", agreement[0], agreement[0], iter(agreement[1])))
    figures = [list(pair) for pair in headline(run)]
    if waiting := waiting_note(run):  # first, where the figures are read (leftweb)
        figures.insert(0, ["Still being counted", waiting])
    sheets.append(("Figures", ["Figure", "Value"], ["Figure", "Value"], iter(figures)))
    report = coded.coded_report(run.question, run)
    if report is not None:
        sheets.extend((t, h, n, iter(r)) for t, h, n, r in coded_documents.sheets(report))
    for title, headers, names, rows in sheets:
        sheet = workbook.create_sheet(title)
        percent_at = {i for i, name in enumerate(names) if name in PERCENT_COLUMNS}
        sheet.append([xlsx_cell(h) for h in headers])
        for row in rows:
            sheet.append([_xlsx_value(sheet, v, i in percent_at) for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(sheet, value: Any, percent: bool) -> Any:
    """A formula-safe cell; a share (a number from 0 to 1) shown as a percentage; a time
    (UK, from :func:`consult.exports.uk_moment`) as a date cell."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if not percent or not isinstance(value, int | float) or isinstance(value, bool):
        return xlsx_cell(value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = PERCENT_FORMAT
    return cell


# --- Word -----------------------------------------------------------------------------------


def _ids(document) -> dict:
    """The document's cache of what python-docx would look up again and again, as the
    document grows: each style name's id, and the next picture id (:func:`_style`,
    :func:`_picture`)."""
    cache = getattr(document, "_consult_ids", None)
    if cache is None:
        cache = document._consult_ids = {}
    return cache


def _style(document, name: str, kind: Any = None) -> str | None:
    """The id of the paragraph (or ``kind``) style ``name``, found by python-docx once per
    document: its own lookup scans every style of the document on each call, which was the
    largest cost of a long report (smoke10 #16)."""
    from docx.enum.style import WD_STYLE_TYPE

    kind = WD_STYLE_TYPE.PARAGRAPH if kind is None else kind
    cache = _ids(document)
    if (name, kind) not in cache:
        cache[(name, kind)] = document.part.get_style_id(name, kind)
    return cache[(name, kind)]


def _text(run, text: str) -> None:
    """``run.text = text`` on a new, empty run: one ``w:t`` (spaces kept when it starts or
    ends with one), without python-docx reading it a character at a time, unless it holds a
    tab or a line break (then python-docx's own setter writes those)."""
    if "\t" in text or "\n" in text or "\r" in text:
        run.text = text
    elif text:
        run.add_t(text)


def _paragraph(document, text: str = "", style: str | None = None):
    """``document.add_paragraph(text, style)``, the same XML, the style's id looked up once
    per document (:func:`_style`) and the text written as one piece (:func:`_text`)."""
    paragraph = document.add_paragraph()
    if text:
        _text(paragraph._p.add_r(), text)
    if style is not None:
        paragraph._p.style = _style(document, style)
    return paragraph


def _heading(document, text: str, level: int):
    """``document.add_heading(text, level)``, the same XML (:func:`_paragraph`)."""
    return _paragraph(document, text, "Title" if level == 0 else f"Heading {level}")


def _picture(document, png: bytes, description: str, width_cm: float = 15.0) -> None:
    """A chart image with its description as alternative text, in a paragraph of its own:
    ``document.add_picture`` without its cost that grows with the document (python-docx
    finds each picture's id by reading every id in the document, and the picture's
    paragraph again by listing every paragraph). Ids count up from python-docx's first."""
    from docx.oxml.shape import CT_Inline
    from docx.shared import Cm

    part = document.part
    cache = _ids(document)
    shape_id = cache.get("picture") or part.next_id
    cache["picture"] = shape_id + 1
    rId, image = part.get_or_add_image(io.BytesIO(png))
    cx, cy = image.scaled_dimensions(Cm(width_cm), None)
    inline = CT_Inline.new_pic_inline(shape_id, rId, image.filename, cx, cy)
    document.add_paragraph().add_run()._r.add_drawing(inline)
    inline.docPr.set("descr", description)
    inline.docPr.set("title", description)


def _table(document, headers: list[str], rows: list[list[Any]]) -> None:
    """A "Table Grid" table: a bold header row, then ``rows``. Built as python-docx's
    ``add_table`` and ``add_row`` with ``cell.text`` would (the same XML), but made with
    all its rows at once and its cells written directly: row by row, each cell was
    measured against the grid again."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.text.run import Run

    values = [list(headers), *([str(value) for value in row] for row in rows)]
    table = document.add_table(rows=len(values), cols=len(headers))
    table._tbl.tblStyle_val = _style(document, "Table Grid", WD_STYLE_TYPE.TABLE)
    for number, (tr, texts) in enumerate(zip(table._tbl.tr_lst, values, strict=True)):
        for tc, text in zip(tr.tc_lst, texts, strict=True):
            run = tc.p_lst[0].add_r()
            _text(run, text)
            if number == 0:
                Run(run, None).bold = True


def _verdict(cell: dict[str, Any], value: str = "") -> str:
    """A stored cell's verdict (see :func:`consult.reports.pages.cell_verdict`)."""
    return cell_verdict(value, cell)


def _stance_text(stance: dict[str, int], measured: bool = True, mentions: int = 0) -> str:
    """A theme's stance split, saying what it counts: "Of the N answers mentioning it: for
    a, against b, ..." (an answer counts in every theme it mentions, so the split can exceed
    the theme's main-theme size), every side shown in lower case mid-sentence, as the report
    page does (wording28: sentence case); "Stance not measured: ..." when nothing measured
    it."""
    if not measured:
        return f"Stance {STANCE_NOT_MEASURED}"
    parts = [f"{label.lower()} {count}" for label, count in stance_in_order(stance or {})]
    return f"Of the {mentions:,} answers mentioning it: {', '.join(parts) or 'none'}"


# The headline figures that say how the figures were made, not what they are: the Word report
# gives them after the themes' table (:func:`_write_run`).
METHOD_FIGURES = ("Stance", "Personal data masked", "Analysis")


def _write_run(document, run: AnalysisRun, level: int = 1, note: str = "") -> None:
    """One question's report into ``document``, its title at heading ``level``; ``note``
    says why this run is used when a newer one is left out."""
    question = run.question
    _heading(document, question_title(question), level=level)
    if note:
        _paragraph(document, f"This is run {run.id}: {note}.")
    if waiting := waiting_note(run):  # a review edit's counting not done yet (leftweb)
        _paragraph(document, f"Note: {waiting}")
    figures = headline(run)
    # The counts first; how stance was read, what was masked and which run: after the themes'
    # table, with the other notes on method.
    method = [list(pair) for pair in figures if pair[0] in METHOD_FIGURES]
    _table(document, ["Figure", "Value"], [list(p) for p in figures if p[0] not in METHOD_FIGURES])
    warning = few_answers_warning(run.input_count or 0)
    if warning:  # too few to theme: say so here; every answer follows the themes' table
        _paragraph(document, f"Warning: {warning}")
    themes = visible_themes(run)
    if not themes:
        _paragraph(document, "This analysis found no themes.")
        _table(document, ["Figure", "Value"], method)
        if warning:
            _write_every_answer(document, run, level + 1)
        return
    answered = run.input_count or 0
    empty = answer_counts(run)[2]  # said nothing substantive: shares of two bases if many
    current = {t.key: stability_measured_now(run, t) for t in themes}
    flags = {
        t.key: with_label_check(
            theme_flags(
                t.stability,
                t.mentions,
                t.label_point,
                current[t.key],
                few=too_few_answers(answered),
                merged=t.origin == "merge",
                summary=t.summary,
                mixed=theme_mixed(t),
            ),
            t,
        )
        for t in themes
    }
    mixed = mostly_mixed_sentence(list(flags.values()))
    if mixed:  # most labels fail: said once, before the table whose rows each keep the flag
        _paragraph(document, f"Caution: {mixed}")
    _heading(document, "Themes at a glance", level=level + 1)
    sizes = [int(t.size or 0) for t in themes]
    if sizes != sorted(sizes, reverse=True):  # a catch-all listed last (runs.catch_alls_last)
        _paragraph(document, f"{CATCH_ALLS_LAST}.")
    description = "Share of responses per theme: " + "; ".join(
        f"{t.label} {percent(t.share)}" for t in themes
    )
    top = max((t.share for t in themes), default=0) or 1
    _picture(document, _chart_png(tuple(t.share / top for t in themes)), description)
    measured = stance_measured(run)
    # As the page's table: the stance (when measured) and each theme's warnings in words.
    _table(
        document,
        [
            "Theme",
            "Main theme of",
            "Main theme: share (95% interval)",
            "Mentioned by",
            "Mentioned: share (95% interval)",
            *(["Stance of the answers mentioning it"] if measured else []),
            CHECK_HEADING,
        ],
        [
            [
                f"{t.key} {t.label}"
                # as the page's table: how many make the label's point when fewer than half
                # of its mentions do (smoke30 #4: the Word table said only "Label made by
                # fewer than half")
                + (f"\n{point}" if (point := _glance_headline(t, answered)) else "")
                + (f"\n{also}" if (also := _also(t, answered)) else ""),
                f"{t.size:,}",
                f"{percent(t.share)} ({percent(t.share_low)} to {percent(t.share_high)})"
                + _other_base(t.size, answered, empty),
                f"{t.mentions:,}",
                _mention_share(t.mentions, answered) + _other_base(t.mentions, answered, empty),
                *([stance_glance(shown_stance(t), True)] if measured else []),
                flags_words(flags[t.key]),
            ]
            for t in themes
        ],
    )
    # The method after the figures, as on the report page: what the shares are of, what
    # "significant" and "unstable" mean.
    _paragraph(
        document,
        f"Every share is of the {answered:,} answers. Each answer has one main theme, so main "
        "themes add up to the answers. An answer can also mention other themes, so mentions "
        "add up to more. The breakdowns by segment count mentions."
        + (f" {both}" if (both := bases_sentence(answered, empty)) else ""),
    )
    if numbers := numbering_note(run):
        _paragraph(document, numbers)
    _write_points_across(document, run, themes, level + 1)
    if any(theme.segments for theme in themes):
        _paragraph(document, SIGNIFICANCE_NOTE)
        _paragraph(document, SIGNIFICANCE_METHOD)
    # What an unstable theme means, said once here; each theme then says only "unstable
    # grouping" beside its stability.
    few = too_few_answers(run.input_count or 0)  # no theme's stability means anything then
    unstable = unstable_note(
        sum(not few and is_unstable(t.stability, current[t.key]) for t in themes), len(themes)
    )
    if unstable:
        _paragraph(document, unstable)
    earlier = sum(not current[t.key] and t.stability is not None for t in themes)
    if earlier:
        _paragraph(document, earlier_measure_note(earlier, len(themes)))
    _table(document, ["Figure", "Value"], method)
    if warning:
        _write_every_answer(document, run, level + 1)
    _write_nothing_to_change(document, run, themes)
    _write_agreement(document, run, level + 1)
    report = coded.coded_report(question, run)
    if report is not None:
        coded_documents.write_docx(document, report, _table, level + 1)
    names = _segment_names(run, themes)
    numbered, copies = run_campaigns(run)
    misfits = counts_by_theme(run)
    for theme in themes:
        _write_theme(
            document,
            theme,
            names,
            level + 1,
            measured,
            answered,
            copies.get(theme.key, []),
            empty,
        )
        if misfits.get(theme.key):
            _paragraph(
                document,
                f"{theme_fit_words(misfits[theme.key], theme.size)} See “{FIT_HEADING}”, "
                "after the themes.",
            )
    _write_poor_fits(document, run, sum(misfits.values()), answered, level + 1)
    if numbered:
        _heading(document, "Campaigns", level=level + 1)
        _paragraph(
            document,
            "A campaign is the same long text sent by several respondents. It counts once when "
            "finding themes, but every copy is counted in its theme's figures.",
        )
        _table(document, CAMPAIGN_HEADERS, [list(row) for row in campaign_rows(numbered)])


def _write_points_across(document, run: AnalysisRun, themes: list[RunTheme], level: int) -> None:
    """As the report page: the points raised across themes, each counted once over the whole
    question (:func:`consult.reports.pages.run_points_across`); nothing when there are none."""
    points = run_points_across(run, themes)
    if not points:
        return
    _heading(document, ACROSS_HEADING, level=level)
    _paragraph(document, ACROSS_INTRO)
    for point in points:
        _paragraph(document, across_sentence(point), "List Bullet")


def _write_every_answer(document, run: AnalysisRun, level: int) -> None:
    """Every answer of a run with too few answers to theme, to read them all."""
    _heading(document, f"Every answer ({run.input_count:,})", level=level)
    for quote in all_answers(run):
        _paragraph(document, f"“{quote.text}” ({quote.reference})", "Quote")


def _write_nothing_to_change(document, run: AnalysisRun, themes: list[RunTheme]) -> None:
    """As the report page's no-substantive section: when a theme's label says nothing needs
    to change (:func:`consult.reports.pages.nothing_to_change_text`), the answers with no
    substantive answer, what they said most often, and that theme named, so that a reader
    counting "nothing to change" adds them; nothing otherwise, or when no answer is in the
    no-substantive bucket."""
    said = nothing_to_change_text(themes)
    if not said:
        return
    answered, _, bucket = answer_counts(run)
    if not bucket:  # "such short answers": only when there are some, as in the CLI's report
        return
    stored = (run.summary or {}).get("non_substantive_bucket")
    examples = [str(e) for e in (stored.get("examples") or [])] if isinstance(stored, dict) else []
    common = f", most often {', '.join(f'“{e}”' for e in examples)}" if examples else ""
    _paragraph(
        document,
        f"No substantive answer: {bucket:,} of the {answered:,} answers (in no theme){common}. "
        + said,
    )


def _write_poor_fits(document, run: AnalysisRun, total: int, answered: int, level: int) -> None:
    """The answers that fit no theme well (``total`` of them; the first
    :data:`consult.reports.fit.LISTED`), each with the theme it is counted in, as the report
    page lists them (nothing when there are none)."""
    if not total:
        return
    _heading(document, f"{FIT_HEADING} ({total:,})", level=level)
    _paragraph(
        document,
        f"{fit_sentence(total, answered)}. Few other answers come close to these: they "
        "may be off the question's subject, or a point only one respondent made.",
    )
    found = poor_fits(run)
    for item in found:
        where = f"{item.theme_key} {item.theme_label}" if item.theme_key else "no theme"
        _paragraph(document, f"“{item.text}” ({item.reference}; counted in {where})", "Quote")
    if total > len(found):
        _paragraph(
            document,
            f"{total - len(found):,} more {'is' if total - len(found) == 1 else 'are'} flagged "
            "“fits_no_theme” in the coding download.",
        )


def _write_agreement(document, run: AnalysisRun, level: int) -> None:
    """For a "why" text, as the report page shows it: what the respondents analysed answered
    to the agreement question, in all and by main theme."""
    breakdown = agreement_breakdown(run, visible_themes(run))
    if breakdown is None:
        return
    _heading(document, "The closed answers beside the reasons", level=level)
    _paragraph(
        document,
        f"This question gives the reasons for {breakdown['title']}. {AGREEMENT_INTRO}",
    )
    chart = breakdown["chart"]
    _table(
        document,
        # the page's column says "Responses": one word for one count (wording28)
        [f"Answer to {number_label(breakdown['number'])}", "Responses", "Share"],
        [[label, f"{count:,}", chart.share(count)] for label, count in chart.rows],
    )
    _paragraph(
        document,
        f"Each theme's answers by what they said to {number_label(breakdown['number'])} "
        "(main theme only):",
    )
    headers, rows = agreement_rows(run) or ([], [])
    _table(
        document,
        ["Theme", *headers[2:]],
        [[f"{key} {label}".strip(), *counts] for key, label, *counts in rows[:-1]],
    )


def _glance_headline(theme: RunTheme, answered: int) -> str:
    """ "About 54 of the 224 answers (24%) make this point, fewer than half of the 115
    mentioning this theme" under a label fewer than half of its mentions make, as the report
    page's and overview's tables say it under the label (:func:`analysis.report.point_headline`);
    '' otherwise."""
    return point_headline(theme.mentions, theme.label_point, answered, too_few_answers(answered))


def _also(theme: RunTheme, answered: int) -> str:
    """The theme's big other points in words ("Also in this group: ..."; ''): as the report
    page's table names them (:func:`analysis.also_points.also_in_group`)."""
    return also_in_group(
        {"label_point": theme.label_point, "summary": theme.summary or [], "stance": theme.stance},
        answered,
    )


def _other_base(count: int, answered: int, empty: int) -> str:
    """ "; 26% of the 110 with something to say" after a share, where ``empty`` of the
    ``answered`` said nothing substantive and that is many (:mod:`analysis.bases`); ''
    otherwise."""
    other = other_base_share(count, answered, empty)
    return f"; {other}" if other else ""


def _mention_share(count: int, of: int, style: str = "cell") -> str:
    """A share of answers mentioning a theme with its interval: '22% (17% to 28%)' for a
    table cell, or '22%, 95% interval 17% to 28%' (``style="interval"``) inside a sentence's
    brackets."""
    from analysis.segments import wilson

    if not of:
        return "–"
    low, high = wilson(count, of)
    if style == "interval":
        return f"{percent(count / of)}, 95% interval {percent(low)} to {percent(high)}"
    return f"{percent(count / of)} ({percent(low)} to {percent(high)})"


def _write_theme(
    document,
    theme: RunTheme,
    names: list[str],
    level: int,
    measured: bool = True,
    answered: int = 0,
    from_campaigns: list | None = None,
    empty: int = 0,
) -> None:
    _heading(document, f"{theme.key}: {theme.label}", level=level)
    if theme.description:
        _paragraph(document, theme.description)
    headline = point_headline(
        theme.mentions, theme.label_point, answered, too_few_answers(answered)
    )
    _paragraph(
        document,
        (f"{headline}. " if headline else "")
        + f"Main theme of {theme.size:,} answers ({percent(theme.share)}, 95% interval "
        f"{percent(theme.share_low)} to {percent(theme.share_high)}); mentioned by "
        f"{theme.mentions:,} ({_mention_share(theme.mentions, answered, 'interval')}"
        f"{_other_base(theme.mentions, answered, empty)}). "
        + (
            f"{words} "
            if (
                words := label_point_words(
                    theme.mentions,
                    theme.label_point,
                    summary=theme.summary,
                    few=too_few_answers(answered),
                    mixed=theme_mixed(theme),
                    headline=bool(headline),
                )
                or unchecked_sentence(theme, answered)
            )
            else ""
        )
        # not measured for the question: said once, in the figures after the themes' table,
        # not under every theme (smoke29: nine themes said the same sentence nine times)
        + (
            f"{_stance_text(shown_stance(theme), measured, theme.mentions or 0)}. "
            if measured
            else ""
        )
        + f"Sentiment: {sentiment_words(theme.sentiment)}.",
    )
    merged = theme.origin == "merge"
    if theme.stability is not None or merged:
        # The page's tag, carried into Word: "0.41 (unstable grouping)", explained once above.
        current = stability_measured_now(theme.run, theme)
        said = stability_words(
            theme.stability,
            current,
            few=too_few_answers(answered),
            merged=merged,
            split=theme.origin == "split",
        )
        _paragraph(document, f"Stability: {said}.")
    if alike := read_alike_words(theme.run, theme):
        _paragraph(document, alike)  # a finding, not the workspace's "may merge" prompt
    for item in from_campaigns or []:
        _paragraph(
            document,
            "From campaigns: "
            + item.sentence(theme.size, theme.mentions)
            + " See Campaigns, after the themes.",
        )
    if theme.keywords or theme.describing is None:  # none: no word sets it apart (kwedit)
        _paragraph(document, "Keywords: " + (", ".join(theme.keywords or []) or NO_KEYWORDS))
    if theme.reviewed_at:
        _paragraph(
            document, f"Reviewed by {theme.reviewed_by} on {uk_time(theme.reviewed_at, 'date')}."
        )
    if theme.summary:
        _heading(document, SUMMARY_HEADING, level=level + 1)
        for point in theme.summary:
            side = point_side(point)
            if point.get("only_point"):  # the tool's own statement: no response reference
                _paragraph(document, f"{ANALYSIS_NOTE}: {point.get('text', '')}", "List Bullet")
                continue
            counted = summary_point_words(stored_count(point.get("answers")), theme.mentions)
            _paragraph(
                document,
                f"{side + ': ' if side else ''}{point.get('text', '')} ({point.get('id', '')}"
                f"{'; ' + counted if counted else ''})",
                "List Bullet",
            )
    if theme.quotes:
        _heading(document, QUOTES_HEADING, level=level + 1)
        for quote in theme.quotes:
            _paragraph(
                document,
                f"“{quote.get('text', '')}” ({quote.get('id', '')}{same_note(quote)})",
                "Quote",
            )
    for name in names:
        cells = theme_cells(theme, name)
        if not cells:
            continue
        heading = segment_heading(name)
        _heading(document, f"By {heading.lower()}", level=level + 1)
        # As the report page orders them: largest share first, then by name.
        ordered = sorted(
            cells.items(),
            key=lambda item: (
                -float(item[1].get("share", 0.0)),
                segment_value_label(name, item[0]),
            ),
        )
        page = segment_table(theme, name)
        # The page's sentences: each significant difference in words, or that none is.
        if page is not None and page.differences:
            _paragraph(document, "Significant differences:")
            for sentence in page.differences:
                _paragraph(document, sentence, "List Bullet")
        elif page is not None and not page.too_few:
            _paragraph(
                document, f"No {heading.lower()} differs significantly from the rest on this theme."
            )
        gaps = {row.label: row.chance_gap for row in (page.rows if page else [])}
        not_compared = not_compared_words(heading)
        description = f"{theme.label}: share of each {heading.lower()} raising it: " + "; ".join(
            f"{segment_value_label(name, v)} {percent(c.get('share'))}" for v, c in ordered
        )
        _picture(document, _chart_png(tuple(c.get("share", 0.0) for _, c in ordered)), description)
        _table(
            document,
            [
                heading,
                "Answers mentioning it",
                f"Share of the {heading.lower()}'s answers (95% interval)",
                "Share of everyone else's",
                "Difference from the rest",
            ],
            [
                [
                    segment_value_label(name, value),
                    f"{cell.get('count', 0)} of {cell.get('of', 0)}",
                    f"{percent(cell.get('share'))} ({percent((cell.get('ci95') or [0, 0])[0])}"
                    f" to {percent((cell.get('ci95') or [0, 0])[1])})",
                    "–"
                    if _verdict(cell, value) == "not compared"
                    else percent(cell.get("rest_share")),
                    gaps.get(segment_value_label(name, value))
                    or (
                        not_compared
                        if _verdict(cell, value) == "not compared"
                        else VERDICT_WORDS.get(_verdict(cell, value), _verdict(cell, value))
                    ),
                ]
                for value, cell in ordered
            ]
            + [
                [
                    "All answers",
                    f"{sum(c.get('count', 0) for _, c in ordered)} of "
                    f"{sum(c.get('of', 0) for _, c in ordered)}",
                    _mention_share(
                        sum(c.get("count", 0) for _, c in ordered),
                        sum(c.get("of", 0) for _, c in ordered),
                    ),
                    "–",
                    "–",
                ]
            ],
        )
        compared = [c for v, c in ordered if _verdict(c, v) != "not compared"]
        if compared and all(_verdict(c) == "too few to tell" for c in compared):
            _paragraph(
                document,
                f"Too few answers to tell whether any {heading.lower()} differs from the rest "
                "on this theme: even the most lopsided split of these numbers could not be "
                "told from chance.",
            )


def _new_document(title: str, subtitle: str):
    """A Word document headed ``title``, its author and company the organisation (the app's
    ``ORGANISATION_NAME``), not python-docx's template's own."""
    from docx import Document

    document = Document()
    _set_owner(document, title, current_app.config.get("ORGANISATION_NAME") or "")
    _heading(document, title, level=0)
    _paragraph(document, subtitle)
    return document


def _set_owner(document, title: str, organisation: str) -> None:
    """The document's properties: its title; author, last editor and company the
    organisation; made now; no "generated by python-docx" comment."""
    properties = document.core_properties
    properties.title = title
    properties.author = organisation
    properties.last_modified_by = organisation
    properties.comments = ""
    properties.created = properties.modified = datetime.now(UTC).replace(tzinfo=None)
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            company = f"<Company>{escape(organisation)}</Company>".encode()
            part._blob = re.sub(rb"<Company\s*/>|<Company>.*?</Company>", company, part.blob)


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def run_docx(run: AnalysisRun) -> bytes:
    """A Word report of one run (one question)."""
    consultation = run.consultation
    document = _new_document(
        f"Theme report: {consultation.title}", "What partners said, theme by theme."
    )
    _write_run(document, run, level=1)
    return _bytes(document)


def latest_runs(consultation: Consultation) -> list[AnalysisRun]:
    """Each question's run for the consultation report, in question order: its newest
    reviewed run, else its newest (:func:`consult.reports.report_runs.report_runs`)."""
    runs = report_runs(consultation)
    return [runs[q.id] for q in consultation.questions if q.id in runs]


def _write_partners_said(document, questions: list[QuestionSummary]) -> None:
    """The report's opening section, "What partners said" (:mod:`.partners_said`): per
    question its wording in bold, where its figures come from, how many answered, and its
    most-mentioned themes as a bulleted list."""
    from docx.text.run import Run

    _heading(document, PARTNERS_SAID_HEADING, level=1)
    _paragraph(document, PARTNERS_SAID_INTRO)
    for question in questions:
        title = _paragraph(document)
        run = title._p.add_r()
        _text(run, question.title)
        Run(run, title).bold = True
        _paragraph(document, " ".join(filter(None, [question.source, question.answered])))
        for line in question.themes:
            _paragraph(document, line, "List Bullet")
        if question.more:
            _paragraph(document, question.more)


def consultation_docx(consultation: Consultation) -> bytes:
    """A Word report of a whole consultation: each analysed question's newest reviewed run,
    else its newest, saying which run is used when a newer one is left out."""
    document = _new_document(
        f"Theme report: {consultation.title}",
        f"What partners said, question by question. {NEWEST_RUN_NOTE}",
    )
    shown = shown_runs(consultation)
    runs = [shown[q.id] for q in consultation.questions if q.id in shown]
    if not runs:
        _paragraph(document, "No question of this consultation has been analysed yet.")
    else:
        _write_partners_said(document, partners_said(consultation, shown))
    for item in runs:
        _write_run(document, item.run, level=1, note=item.note)
    return _bytes(document)
