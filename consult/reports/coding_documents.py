"""Coding handed on: one row per answer with its themes, who coded them (a person, people
who disagreed and a colleague who settled it, or the model) and its stance, as CSV, Excel and
Word. Built whole in the request (no streaming), so
nothing outlives the request's database session."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from analysis.cells import safe_cell, xlsx_cell

from . import coding, pages, settling
from .codebook_drift import drift_words
from .coded import COLD_CONFIDENCE, UNSURE, cold_of, floor_of
from .coding_models import Codebook, MachineCoding, SettledCode
from .coding_over import over_given_sentence
from .documents import _bytes, _new_document, _table, segment_value_label
from .runs import number_label
from .wording import coding_stance

HEADERS = [
    "reference",
    "partner_type",
    "themes",
    "theme_names",
    "source",
    "coder",
    "disagreement",
    "confidence",
    "stance",
    "stance_source",
    "stance_confidence",
    # the themes the model guessed for an answer it was unsure of (source "unsure": below the
    # confidence floor, not coded; its ``themes`` are empty so no count takes the guess)
    "unsure_guess",
    "text",
]


def rows(codebook: Codebook, latest: MachineCoding | None) -> Iterator[list[Any]]:
    """One row per answer, in response order: human codes where they exist, else the
    model's, else not coded. A code the team settled where coders disagreed has the source
    (and stance source) ``settled`` and the colleague who settled it as its coder. Its
    ``disagreement`` is ``settled`` then, ``not settled`` while people's codes of it differ
    and nobody has settled them, else empty: the one rule
    of :func:`consult.reports.settling.disagreement`, as the run's downloads follow it (a
    settled code a coder has coded differently since is still ``settled``: it counts until
    the team settles it again). An answer ``not settled`` counts as the pages and the run's
    report count it (smoke18w #1, #2): with the model's code where it has one (its ``source``
    "model" or "unsure", no coder), else no themes and the ``source`` "not settled". A
    person's code names every coder who gave that same coding ("a; b", smoke18w #9)."""
    answer_set = coding.answers(codebook)
    disagreement = settling.disagreements_by_response(codebook)
    human = coding.human_codes(codebook)
    agreeing = coding.agreeing_coders(codebook, human)
    names = {t.key: t.name for t in codebook.themes}
    machine = coding.machine_codes(latest)
    floor = floor_of(latest)
    cold = cold_of(latest)  # no confidence measured: the cell says so (words31)
    partner = coding.partner_types(answer_set.response_ids)
    for response_id, reference, text in zip(
        answer_set.response_ids, answer_set.references, answer_set.texts, strict=True
    ):
        kind = segment_value_label("partner_type", partner.get(response_id) or "")
        waiting = disagreement.get(response_id) == settling.NOT_SETTLED
        if waiting and response_id not in machine:
            # people coded it differently, nobody has settled it and the model has no code
            # for it: no code counts for it (both coders' codes are in the disagreements)
            marker = settling.NOT_SETTLED
            yield [reference, kind, "", "", marker, "", marker, "", "", "", "", "", text]
            continue
        if response_id in human and not waiting:
            code = human[response_id]
            keys = list(code.themes or [])
            stance = coding_stance(code.stance)
            source = "settled" if isinstance(code, SettledCode) else "human"
            yield [
                reference,
                kind,
                "; ".join(keys) or "-",
                "; ".join(names.get(k, k) for k in keys),
                source,
                agreeing.get(response_id) or code.coder_email,
                disagreement.get(response_id, ""),
                "",  # confidence is the model's: blank for people's codes, as every export
                stance,
                _stance_source(code, source) if stance else "",
                "",
                "",
                text,
            ]
        elif response_id in machine:
            code = machine[response_id]
            keys = list(code.themes or [])
            unsure = code.confidence < floor
            guess = "; ".join(keys) or "-"
            yield [
                reference,
                kind,
                "" if unsure else guess,
                "" if unsure else "; ".join(names.get(k, k) for k in keys),
                UNSURE if unsure else "model",
                "",
                disagreement.get(response_id, ""),
                COLD_CONFIDENCE if cold else code.confidence,
                coding_stance(code.stance),
                code.stance_source or "",
                code.stance_confidence if code.stance_confidence is not None else "",
                guess if unsure else "",
                text,
            ]
        else:
            yield [reference, kind, "", "", "not coded", "", "", "", "", "", "", "", text]


def _stance_source(code, source: str) -> str:
    """A person's stance's source: "agreement" where the coder kept the respondent's own
    side (:func:`consult.reports.coding.stance_source`), else who coded it."""
    return "agreement" if getattr(code, "stance_source", None) == "agreement" else source


def coding_csv(codebook: Codebook, latest: MachineCoding | None) -> bytes:
    """The coding as CSV: UTF-8 with a byte-order mark, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows(codebook, latest):
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _theme_table(summary: coding.CodingSummary) -> tuple[list[str], list[list[Any]]]:
    headers = [  # in words: the per-answer 'Coding' sheet keeps the CSV's column names
        "Theme key",
        "Theme",
        "Coded by people",
        "Coded by the model",
        "All responses coded with it",
    ]
    if summary.waiting:  # as the page shows them: how many of them a coder gave each theme
        headers.insert(3, "Waiting to be settled (given by a coder)")
        return headers, [
            [t.key, t.name, t.human, t.waiting, t.machine, t.total] for t in summary.themes
        ]
    return headers, [[t.key, t.name, t.human, t.machine, t.total] for t in summary.themes]


# The workbook's sheet of the model's figures, one a row (left27: the Word summary and the
# page gave them, the workbook did not).
FIGURES_SHEET = "Figures"
FIGURES_HEADERS = (
    "Figure",
    "Theme key",
    "Theme",
    "Value",
    "95% interval from",
    "95% interval to",
    "Responses",
    "Note",
)
AGREEMENT_FIGURE = "Agreement with people (F1)"
NOT_APPLIED = "The model has not been applied yet."


def _figure(
    name: str,
    value: Any = None,
    interval: list[float] | tuple[float, float] | None = None,
    responses: int | None = None,
    note: str | None = None,
    theme: tuple[str, str | None] | None = None,
) -> list[Any]:
    """One row of the Figures sheet (blank cells where a figure has no such part)."""
    low, high = interval or (None, None)
    key, name_of_theme = theme or (None, None)
    return [name, key, name_of_theme, value, low, high, responses, note or None]


def _precision_recall_base(row: dict[str, Any], which: str) -> tuple[int | None, str | None]:
    """The responses a theme's precision or recall rests on and a note on them ("1 of the 2
    responses the model put in this theme"), as the page's "0.50 (1 of 2)" says them
    (:func:`consult.reports.coding.precision_recall_text`); (None, None) where the stored
    metrics lack the counts or the figure was not measured (smoke33)."""
    base = row.get("predicted" if which == "precision" else "support")
    hits = coding.true_positive(row, which)
    if row.get(which) is None or base is None or hits is None:
        return None, None
    whose = "the model put in this theme" if which == "precision" else "people coded with it"
    return int(base), f"{hits} of the {int(base)} responses {whose}"


def figures_rows(codebook: Codebook, latest: MachineCoding | None) -> list[list[Any]]:
    """The Figures sheet's rows, from the model's stored metrics as the page and the Word
    summary read them: agreement with people (sample F1, its 95% interval and how many
    responses people had coded); each theme's precision and recall; stance accuracy (with
    the page's words on it, which say why there is none when there is none); the learning
    curve's points (F1 by responses learned from). Before the model is applied, one row
    saying so."""
    metrics = (latest.metrics or {}) if latest is not None else {}
    if not metrics:
        return [_figure(AGREEMENT_FIGURE, note=NOT_APPLIED)]
    themes = metrics.get("themes") or {}
    measured = themes.get("sample_f1")
    found = [
        _figure(
            AGREEMENT_FIGURE,
            measured,
            themes.get("sample_f1_interval") if measured is not None else None,
            themes.get("coded"),
            None if measured is not None else themes.get("note"),
        )
    ]
    names = {t.key: t.name for t in codebook.themes}
    for row in themes.get("per_theme") or []:
        theme = (row["theme"], names.get(row["theme"]))
        for name, which in (("Precision", "precision"), ("Recall", "recall")):
            base, note = _precision_recall_base(row, which)
            found.append(_figure(name, row.get(which), responses=base, note=note, theme=theme))
    stance = metrics.get("stance") or {}
    accuracy = stance.get("accuracy")
    found.append(
        _figure(
            "Stance accuracy",
            accuracy,
            stance.get("accuracy_interval") if accuracy is not None else None,
            stance.get("coded"),
            coding.stance_accuracy_words(codebook, stance) or stance.get("note"),
        )
    )
    for point in themes.get("learning_curve") or []:
        found.append(
            _figure("Learning curve (F1)", point.get("sample_f1"), responses=point.get("coded"))
        )
    return found


def coding_xlsx(codebook: Codebook, latest: MachineCoding | None) -> bytes:
    """A workbook: 'Themes' (counts by who coded), 'Coding' (one row per answer),
    'Codebook' and 'Figures' (the model's agreement with people, precision and recall by
    theme, stance accuracy and learning curve: :func:`figures_rows`); then 'Model check'
    where the model gives a theme far more often than people did
    (:mod:`consult.reports.coding_over`: the coding page's warning)."""
    from openpyxl import Workbook

    summary = coding.summary(codebook, latest)
    workbook = Workbook(write_only=True)
    theme_headers, theme_rows = _theme_table(summary)
    book_rows = [
        [t.key, t.name, t.description, "; ".join(t.keywords or []), " | ".join(t.examples or [])]
        for t in codebook.themes
    ]
    sheets: list[tuple[str, list[str], Any]] = [
        ("Themes", theme_headers, theme_rows),
        ("Coding", HEADERS, rows(codebook, latest)),
        ("Codebook", ["Theme key", "Theme", "Description", "Keywords", "Examples"], book_rows),
        (FIGURES_SHEET, list(FIGURES_HEADERS), figures_rows(codebook, latest)),
    ]
    warning = over_given_sentence(latest.metrics if latest is not None else None)
    if warning:
        sheets.append(("Model check", ["Warning"], [[warning]]))
    for title, headers, body in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in body:
            sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def coding_docx(codebook: Codebook, latest: MachineCoding | None) -> bytes:
    """A Word summary: the question, how many answers each theme applies to (by people and
    by the model), stance, how well the model agrees with people and, where two colleagues
    coded the same responses, how well they agree with each other."""
    summary = coding.summary(codebook, latest)
    question = codebook.question
    document = _new_document(
        f"Coding: {codebook.consultation.title}", f"Question {pages.question_title(question)}"
    )
    unsure = f"{summary.unsure} not coded because the model is unsure, " if summary.unsure else ""
    document.add_paragraph(
        f"{summary.answers} answers: {summary.human} coded by people"
        f"{summary.settled_words}, {summary.waiting_words}{summary.machine} by the model, {unsure}"
        f"{summary.uncoded} not coded yet. Counts use people's codes where they exist and the "
        "model's elsewhere."
    )
    if summary.unsure_words:
        document.add_paragraph(summary.unsure_words)
    drift = drift_words(codebook)
    if drift:
        document.add_paragraph(drift)
    if summary.waiting:  # as the page and the run's report say it
        document.add_paragraph(
            f"{summary.unsettled_words} The Themes table says how many of "
            f"{'it' if summary.waiting == 1 else 'them'} a coder gave each theme. The "
            "per-answer download gives the model's code for such an answer where it has one "
            "(no themes where it has none), marked “not settled” in its disagreement column."
        )
    reopened = settling.count(codebook) - summary.waiting
    if reopened > 0:
        one = reopened == 1
        document.add_paragraph(
            f"{reopened} settled {'response was' if one else 'responses were'} coded "
            "differently since: the settled code counts until the team settles "
            f"{'it' if one else 'them'} again."
        )
    document.add_heading("Themes", level=1)
    headers, body = _theme_table(summary)
    names = ["Theme", "Name", "By people", "By the model", "All"]
    if summary.waiting:
        names.insert(3, "Waiting to be settled")
    measured = {
        row["theme"]: row
        for row in (((latest.metrics or {}) if latest else {}).get("themes") or {}).get(
            "per_theme", []
        )
    }
    if measured:  # each theme's precision and recall, as the page shows them
        names += ["Precision", "Recall"]
        body = [
            row
            + [
                coding.precision_recall_text(measured.get(row[0], {}), k)
                for k in ("precision", "recall")
            ]
            for row in body
        ]
    _table(document, names, body)
    if measured:
        document.add_paragraph(coding.PRECISION_RECALL_MEANING)
    document.add_heading("Stance", level=1)
    for _, line in coding.stance_lines(summary, coding.explained_number(question)):
        document.add_paragraph(f"{line}.")
    document.add_heading("Agreement with people", level=1)
    metrics = (latest.metrics or {}) if latest else {}
    themes = metrics.get("themes") or {}
    if themes.get("sample_f1") is not None:
        low, high = themes["sample_f1_interval"]
        document.add_paragraph(
            f"F1 {themes['sample_f1']:.2f} (95% interval {low:.2f} to {high:.2f}), tested on "
            f"the {themes['coded']} responses coded by people, each coded by a model that never "
            f"saw it. {coding.F1_MEANING}"
        )
    if latest is None:
        document.add_paragraph("The model has not been applied yet.")
    else:
        words = coding.agreement_words(latest, summary.human, summary.waiting)
        for sentence in (
            words.too_few,
            words.not_measured,
            words.no_theme,
            words.themed,
            words.yardstick,
            words.over_given,
            words.since,
            words.reader,
        ):
            if sentence:
                document.add_paragraph(sentence)
    _coders_agreement(document, codebook, summary)
    return _bytes(document)


def _coders_agreement(document, codebook: Codebook, summary: coding.CodingSummary) -> None:
    """Each pair of colleagues who coded the same five or more responses: their F1 with its
    interval, stance, and Cohen's kappa per theme, as the coding page gives them."""
    pairs = coding.intercoder_figures(codebook)
    if not pairs:
        return
    document.add_heading("Agreement between colleagues", level=1)
    names = {t.key: t.name for t in summary.themes}
    explained = coding.explained_number(codebook.question)
    for pair in pairs:
        document.add_paragraph(
            f"{pair['first']} and {pair['second']} both coded {pair['responses']} responses: "
            f"F1 {pair['sample_f1']:.2f} ({pair['interval_words']})."
        )
        if pair["stance_both"]:
            stance = (
                f"Stance: they gave the same stance to {pair['stance_same']} of the "
                f"{pair['stance_both']} responses both coded for stance."
            )
            if explained:
                stance += (
                    " The coding form fills stance in from each respondent's own answer to "
                    f"{number_label(explained)}, so agreement on stance mostly shows that both "
                    "kept it."
                )
        else:
            stance = "Stance: no response was coded for stance by both."
        document.add_paragraph(stance)
        if pair["small"]:
            document.add_paragraph(
                f"Only {pair['responses']} responses in common: too few for a dependable "
                "figure; treat these figures as a rough guide until you have both coded at "
                f"least {coding.SMALL_SAMPLE}."
            )

        _table(
            document,
            ["Theme", "Cohen's kappa"],
            [
                [
                    f"{row['theme']}: {names[row['theme']]}"
                    if row["theme"] in names
                    else row["theme"],
                    coding.kappa_text(row),
                ]
                for row in pair["per_theme"]
            ],
        )
        if any(row.get("rare") for row in pair["per_theme"]):
            document.add_paragraph(coding.KAPPA_TOO_RARE)
    document.add_paragraph(coding.KAPPA_MEANING)


DOWNLOADS = {
    "csv": (coding_csv, "text/csv; charset=utf-8", "CSV"),
    "xlsx": (
        coding_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
    ),
    "docx": (
        coding_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
}
