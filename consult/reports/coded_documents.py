""" "Coded against the codebook" in a run's downloads: the figures and tables the report page
shows, as spreadsheet rows and as a Word section, and each answer's coding as extra columns
of the per-response coding. Built from :mod:`consult.reports.coded`; request-free."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from analysis.report import whole_percent

from ..times import uk_time
from .codebook_drift import source_words
from .coded import CodedReport
from .wording import CODED_IS_A_DIFFERENT_COUNT

# The per-response coding's extra columns (cells from :func:`consult.reports.coded.code_cells`).
CODE_HEADERS = [
    "codebook_themes",
    "codebook_source",
    "codebook_confidence",
    "codebook_stance",
    "codebook_stance_source",
    # "not settled" where people coded the answer differently and nobody has settled it (the
    # columns before give the model's code, or none with the source "not settled", as the
    # report counts it), "settled", or ""
    "codebook_disagreement",
]
THEME_HEADERS = [
    "key",
    "name",
    "coded_by_people",
    "coded_by_model",
    "all",
    "share_of_answered",
    "for",
    "against",
    "mixed",
    "stance_not_coded",
]
PARTNER_HEADERS = [
    "partner_type",
    "coded_answers",
    "coded_answers_by_people",
    "key",
    "name",
    "answers",
    "share",
]
# The workbook's headers in words (the machine names above still choose number formats).
TITLES = {
    "key": "Theme key",
    "name": "Theme",
    "coded_by_people": "Coded by people",
    "coded_by_model": "Coded by the model",
    "all": "All answers coded with it",
    "share_of_answered": "Share of answered",
    "for": "Stance: for",
    "against": "Stance: against",
    "mixed": "Stance: neither",
    "stance_not_coded": "Stance not coded",
    "partner_type": "Partner type",
    "coded_answers": "Coded answers from this partner type",
    "coded_answers_by_people": "Of them, coded by people",
    "answers": "Of them, coded with the theme",
    "share": "Share of this partner type's coded answers",
}


def figures(report: CodedReport) -> list[list[Any]]:
    """(figure, value) rows in words: the base and how many answers each source coded."""
    coding = report.coding
    return [
        ["Answers (submitted, not blank)", report.answered],
        ["Coded by people", report.human],
        ["Of them, settled by a colleague where coders disagreed", report.settled],
        ["Coded by the model", report.machine],
        [report.unsure_label, report.unsure],
        ["Not coded yet", report.uncoded],
        [
            "Coded differently by people and waiting to be settled (counted with the model's "
            "code where it has one it is sure of; not counted where the model is unsure or has "
            "no code; not in the people's count)",
            report.unsettled,
        ],
        ["Model applied", uk_time(coding.finished_at, empty="") if coding else "not yet"],
        ["Codebook from", source_words(report.codebook)],
        [
            "How answers are counted",
            "people's codes where they exist, the model's elsewhere; an answer can have "
            "several themes",
        ],
        *([["Warning", report.stale]] if report.stale else []),
        *([[report.drift_heading, report.drift]] if report.drift else []),
    ]


def theme_rows(report: CodedReport) -> list[list[Any]]:
    """One row per codebook theme (and 'no codebook theme' when answers have none)."""
    themes = report.themes + ([report.no_theme] if report.no_theme.total else [])
    return [
        [
            theme.key,
            theme.name,
            theme.human,
            theme.machine,
            theme.total,
            round(report.share(theme.total), 4),
            theme.stance.get("for", 0),
            theme.stance.get("against", 0),
            theme.stance.get("mixed", 0),
            theme.stance.get("not coded", 0),
        ]
        for theme in themes
    ]


def partner_rows(report: CodedReport) -> list[list[Any]]:
    """One row per partner type and theme: answers of that type coded with it."""
    rows = []
    for label, base, counts in report.partner_rows():
        people = report.partner_people.get(label, 0)
        for theme, count in zip(report.themes, counts, strict=True):
            share = round(count / base, 4) if base else 0
            rows.append([label, base, people, theme.key, theme.name, count, share])
    return rows


def _titles(headers: list[str]) -> list[str]:
    return [TITLES.get(h, h) for h in headers]


def sheets(report: CodedReport) -> list[tuple[str, list[str], list[str], list[list[Any]]]]:
    """The workbook sheets: (title, headers in words, the machine names that choose number
    formats, rows)."""
    return [
        ("Codebook coding", ["Figure", "Value"], ["figure", "value"], figures(report)),
        ("Codebook themes", _titles(THEME_HEADERS), THEME_HEADERS, theme_rows(report)),
        (
            "Codebook by partner type",
            _titles(PARTNER_HEADERS),
            PARTNER_HEADERS,
            partner_rows(report),
        ),
    ]


def _percent(share: float) -> str:
    return whole_percent(share)


def nothing_coded_words(report: CodedReport) -> str:
    """The Word section's one sentence when no answer is coded yet, by people or the model
    (the all-zero tables are left out)."""
    themes = len(report.themes)
    also = []
    if report.unsure:
        also.append(f"{report.unsure} the model was unsure of")
    if report.unsettled:
        also.append(f"{report.unsettled} people coded differently, waiting to be settled")
    besides = f" ({'; '.join(also)})" if also else ""
    return (
        f"None of the {report.answered} answers is coded against the codebook's {themes} "
        f"{'theme' if themes == 1 else 'themes'} yet, by people or by the model{besides}. "
        "Its counts will appear here once answers are coded."
    )


def write_docx(
    document, report: CodedReport, table: Callable[[Any, list[str], list[list[Any]]], None], level
) -> None:
    """The section into a Word document (``table`` draws a table with a header row)."""
    document.add_heading("Coded against the codebook", level=level)
    if not report.coded:
        # Nothing coded (by people or the model): one sentence, not a page of zeros.
        document.add_paragraph(nothing_coded_words(report))
        return
    document.add_paragraph(CODED_IS_A_DIFFERENT_COUNT)
    if report.drift:
        document.add_paragraph(report.drift)
    applied = f" (applied {uk_time(report.coding.finished_at, empty='')})" if report.coding else ""
    unsure = f"{report.unsure} not coded because the model is unsure, " if report.unsure else ""
    document.add_paragraph(
        f"{report.answered} answers: {report.human} coded by people{report.settled_words}, "
        f"{report.waiting_words}{report.machine} by the model{applied}, {unsure}"
        f"{report.uncoded} not coded yet. Counts use people's codes where they exist and the "
        "model's elsewhere; an answer can have several themes."
    )
    if report.unsure_words:
        document.add_paragraph(report.unsure_words)
    if report.unsettled_words:
        document.add_paragraph(report.unsettled_words)
    if report.stale:
        document.add_paragraph(f"Warning: {report.stale}")
    table(
        document,
        [
            "Theme",
            "By people",
            "By the model",
            "All coded",
            "Share",
            "For",
            "Against",
            "Neither",
            "None",
        ],
        [
            [
                f"{row[0]}: {row[1]}" if row[0] != "-" else row[1],
                *row[2:5],
                _percent(row[5]),
                *row[6:],
            ]
            for row in theme_rows(report)
        ],
    )
    stance = report.stance_rows()
    if stance:
        document.add_heading("Stance of the coded answers", level=level + 1)
        table(
            document,
            ["Stance", "For", "Against", "Neither", "Not coded"],
            [[label.capitalize(), *counts] for label, counts in stance],
        )
        if report.unsure_stance_words:
            document.add_paragraph(report.unsure_stance_words)
        if report.guessed_stance:
            document.add_paragraph(report.stance_caveat)
    partners = report.partner_rows()
    if partners:
        document.add_heading("By partner type", level=level + 1)
        table(
            document,
            ["Partner type", "Coded answers", "By people", *(t.key for t in report.themes)],
            [
                [
                    label,
                    base,
                    report.partner_people.get(label, 0),
                    *(f"{n} ({_percent(n / base if base else 0)})" for n in counts),
                ]
                for label, base, counts in partners
            ],
        )
