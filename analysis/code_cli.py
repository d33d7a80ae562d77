"""``consult-analyse code``: code responses against a codebook, learning from the rows
already coded, and suggest which to code next.

    consult-analyse code INPUT --text-column TEXT [--labels-column LABELS]
                    [--stance-column STANCE] [--id-column ID] [--codebook FILE]
                    [--question TEXT] [--engine fast|semantic|auto] [--suggest N]
                    [--first-examples] [--seed N] --out DIR

LABELS holds ``;``-separated theme ids for rows already coded, ``-`` for a row coded with no
theme, and nothing for a row not coded yet. STANCE holds ``for``, ``against`` or ``mixed``
for rows coded for stance, and nothing otherwise.

Writes DIR/coded.csv (one row per input row, in input order), DIR/suggest.csv (the next N
ids to code, in the order to code them, with why, the score they were chosen on and the
themes' and stance's doubt) and DIR/metrics.json (agreement figures).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cells import safe_cell
from .cli_warnings import quiet_convergence
from .codebook import Codebook, read_codebook
from .coding_floor import (
    CONFIDENCE_FLOOR,
    EARLY_CODES,
    EARLY_FLOOR,
    EARLY_PER_THEME,
    floor_for,
    floor_why,
    is_unsure,
)
from .coding_shares import over_given, over_given_words
from .errors import InputError
from .io import Table, read_table, require_columns
from .options import ENGINE_NAMES
from .out_folder import check_out
from .stance_cells import parse_stance

# The modules above are light: the input is checked, and a bad one refused with exit 2, before
# :func:`run_code` imports the models (numpy, SciPy, scikit-learn, NLTK: words31).
if TYPE_CHECKING:
    from .coding import Labels

NONE_CODE = "-"
MAX_SEED = 2**32 - 1
CODED_COLUMNS = (
    "id",
    "themes",
    "source",
    "confidence",
    "stance",
    "stance_source",
    "stance_confidence",
    "unsure",  # "yes": the model's code is below the confidence floor (its themes still given)
)
# A blank answer nobody coded is given no theme ("-") for certain (confidence 1), without the
# model: as the web app leaves blank answers out of its coding, it is not learned from, not
# suggested and not counted as model-coded or unsure. ``source`` stays within the contract.
BLANK_SOURCE = "model"
BLANK_THEMES = "-"

# The contract's four columns first (README "suggest.csv"), then each pick's two doubts.
SUGGEST_COLUMNS = ("rank", "id", "reason", "score", "theme_doubt", "stance_doubt")


def _blank(value: float | None) -> float | str:
    """A number for a CSV cell, or an empty cell for None."""
    return "" if value is None else value


def _unsure(confidence: float, floor: float) -> str:
    """The ``unsure`` cell of a model-coded row: "yes" below the floor, else empty."""
    return "yes" if is_unsure(float(confidence), floor) else ""


def confidence_floor(
    given: float | None, labels: list[Labels | None], themes: int
) -> tuple[float, str]:
    """The floor below which a model-coded row is marked ``unsure``, and why it is raised
    ("" when it is not): ``given`` (``--confidence-floor``) when set, else the web app's rule
    (:func:`analysis.coding_floor.floor_for`: higher while people have coded few rows, counting
    every coded row, '-' included, over the codebook's ``themes``)."""
    if given is not None:
        return float(given), ""
    learned = sum(label is not None for label in labels)
    return floor_for(learned, themes), floor_why(learned, themes)


def add_parser(commands) -> None:
    """Add the ``code`` sub-command to the CLI's sub-parsers."""
    code = commands.add_parser("code", help="code responses against a codebook")
    code.add_argument("input", help="a CSV, XLSX, JSON or JSONL file, or - for standard input")
    code.add_argument("--text-column", required=True, help="the column with the answers")
    code.add_argument(
        "--labels-column",
        help="';'-separated theme ids of rows already coded; '-' for none; empty if uncoded",
    )
    code.add_argument(
        "--stance-column", help="for, against or mixed for rows coded for stance; else empty"
    )
    code.add_argument("--id-column", help="the column with response ids (default: row number)")
    code.add_argument("--codebook", help="a codebook: CSV (id,name,...), JSON or themes.json")
    code.add_argument("--question", help="the question's wording")
    code.add_argument("--engine", default="auto", choices=["auto", *sorted(ENGINE_NAMES)])
    code.add_argument(
        "--suggest", type=int, default=20, help="how many responses to suggest coding next"
    )
    code.add_argument(
        "--first-examples",
        action="store_true",
        help="give a quarter of the suggestions to themes nobody has coded yet",
    )
    code.add_argument(
        "--confidence-floor",
        type=float,
        default=None,
        help="mark model-coded rows below this confidence 'unsure' (default: "
        f"{EARLY_FLOOR} while fewer than {EARLY_CODES} rows are coded or fewer than "
        f"{EARLY_PER_THEME} a theme, else {CONFIDENCE_FLOOR}, as the web app)",
    )
    code.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    code.add_argument(
        "--encoding", help="the text encoding of a CSV or JSONL file (default: detected)"
    )
    code.add_argument("--quiet", action="store_true", help="print nothing on success")
    code.add_argument("--out", required=True, help="folder for the outputs")


def parse_labels(value: str | None) -> Labels | None:
    """A LABELS cell: None (not coded), an empty set ('-'), or the set of theme ids."""
    text = (value or "").strip()
    if not text:
        return None
    if text == NONE_CODE:
        return frozenset()
    return frozenset(part.strip() for part in text.split(";") if part.strip())


def _ids(table: Table, column: str | None, count: int) -> list[str]:
    """Response ids: the ``column``'s (each present and unique), else row numbers from 1."""
    if not column:
        return [str(i + 1) for i in range(count)]
    ids = table.column(column)
    seen: dict[str, int] = {}
    for index, value in enumerate(ids):
        if not value.strip():
            raise InputError(f"{table.place(index)} has no id in the column '{column}'")
        if value in seen:  # both rows named, so a long file need not be searched (smoke13)
            raise InputError(
                f"the id '{value[:40]}' appears twice in the column '{column}': "
                f"{table.place(seen[value])} and {table.place(index)}"
            )
        seen[value] = index
    return ids


def _stances(table: Table, column: str) -> list[str | None]:
    """The coded stances of ``column``; an unknown one stops the run, naming its row."""
    stances = []
    for index, value in enumerate(table.column(column)):
        try:
            stances.append(parse_stance(value))
        except InputError as error:
            raise InputError(f"{table.place(index)}: {error}") from None
    return stances


def _codebook(
    args: argparse.Namespace, labels: list[Labels | None], ids: list[str], table: Table
) -> Codebook:
    """The codebook given (every theme id the coded rows use in it: else the first row using
    one that is not is named, by its place in the file and id), or one made of the ids used."""
    used = sorted({theme for themes in labels if themes for theme in themes})
    if args.codebook:
        book = read_codebook(args.codebook)
        known = set(book.ids)
        for index, themes in enumerate(labels):
            unknown = sorted(t for t in themes or () if t not in known)
            if unknown:
                raise InputError(
                    f"{table.place(index)} (id '{ids[index][:40]}'): unknown theme id "
                    f"'{unknown[0][:40]}' in {args.labels_column} "
                    f"(not in the codebook {Path(args.codebook).name})"
                )
        return book
    if not any(t is not None for t in labels):
        raise InputError("nothing to learn from: no coded rows and no --codebook")
    if not used:
        raise InputError("the coded rows use no theme ids, and no --codebook names any")
    return Codebook.from_ids(used)


def named_reason(reason: str, book: Codebook) -> str:
    """A suggestion's reason (:func:`analysis.suggest.suggest`) with the theme's codebook name
    beside its id, for the person reading ``suggest.csv``: "may be an example of theme ec
    (Cleanliness), which has 1 coded" (smoke9 finding 22). The ``id`` columns keep ids; the
    web app words its own reasons (``consult.reports.coding.reason_words``)."""
    ids = sorted((code.id for code in book.codes), key=len, reverse=True)
    if not ids:
        return reason
    pattern = re.compile(
        r"\btheme (" + "|".join(map(re.escape, ids)) + r")(?=, which has| applies)"
    )
    return pattern.sub(lambda match: f"theme {book.named(match[1])}", reason, count=1)


def unsure_words(unsure: int, model_coded: int, floor: float, why: str) -> str:
    """The summary line's count of model-coded rows below the floor, "4,340 of 9,817
    model-coded rows are unsure (below 0.1)", with why a raised floor is raised ("below 0.3:
    the model has learnt from only 8 codes"); "" when the model coded no row (smoke9 22)."""
    if not model_coded:
        return ""
    verb = "is" if unsure == 1 else "are"
    below = f"below {floor:g}: {why}" if why else f"below {floor:g}"
    return (
        f"{unsure:,} of {model_coded:,} model-coded {'row' if model_coded == 1 else 'rows'} "
        f"{verb} unsure ({below})"
    )


def _csv_text(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    """CSV text. Ids and reasons are guarded against formulas; theme ids cannot start with a
    formula character, so '-' (coded, no theme) is written as it is."""
    guarded = {header.index(name) for name in ("id", "reason") if name in header}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(c) if k in guarded else c for k, c in enumerate(row)])
    return buffer.getvalue()


CODE_OUTPUTS = ("coded.csv", "suggest.csv", "metrics.json")


def _write_all(out: Path, files: dict[str, str]) -> None:
    """Write every output, each to a temporary file first, then put them all in place: an
    error before the last step leaves the folder as it was (a rerun's earlier outputs
    untouched), never some files of this run beside others of the last."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / f"{name}.part").write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        with contextlib.suppress(OSError):
            for name in files:
                (out / f"{name}.part").unlink(missing_ok=True)
        raise InputError(f"cannot write in the output folder {out}: {error.strerror}") from None
    for name in files:
        (out / f"{name}.part").replace(out / name)


def f1_words(themes: dict[str, Any]) -> str:
    """The summary line's agreement figure: "sample F1 0.74 (11 of the 25 coded rows have no
    theme from people and the model alike, each scoring 1.0; F1 0.54 over the 14 with a
    theme)",
    so a figure carried by "no theme" agreements is not read as the coding's quality (the
    themed figure is metrics.json's ``sample_f1_themed``); just "sample F1 0.74" when no
    coded row is such an agreement; "" when not measured."""
    f1 = themes.get("sample_f1")
    if f1 is None:
        return ""
    both = int(themes.get("no_theme_by_both") or 0)
    if not both:
        return f"sample F1 {f1:.2f}"
    coded = int(themes.get("coded") or 0)
    rows = f"{both} of the {coded} coded rows {'has' if both == 1 else 'have'}"
    agreed = f"{rows} no theme from people and the model alike, each scoring 1.0"
    themed_f1 = themes.get("sample_f1_themed")
    if themed_f1 is None:
        return f"sample F1 {f1:.2f} ({agreed}; no row has a theme to score)"
    themed = int(themes.get("themed") or 0)
    return f"sample F1 {f1:.2f} ({agreed}; F1 {themed_f1:.2f} over the {themed} with a theme)"


def to_code(texts: list[str], labels: list[Labels | None]) -> list[int]:
    """The rows the models learn from and code: every answered row, and a blank one only
    where a person coded it (their code is kept). A blank answer nobody coded is left out,
    as the web app leaves blank answers out of its coding (smoke10 finding 2)."""
    return [i for i, text in enumerate(texts) if text.strip() or labels[i] is not None]


def blank_words(blank: int) -> str:
    """The summary line's count of blank rows nobody coded: "51 blank rows left uncoded"
    ("" when there are none)."""
    if not blank:
        return ""
    return f"{blank:,} blank {'row' if blank == 1 else 'rows'} left uncoded"


def rows_words(count: int) -> str:
    """ "1 row", "275 rows"."""
    return f"{count:,} {'row' if count == 1 else 'rows'}"


def _blank_row(row_id: str, stance: str | None) -> list[Any]:
    """The ``coded.csv`` row of a blank answer nobody coded for themes: no theme ("-") with
    confidence 1, source ``model`` (the contract's two values), and a stance only where a
    person gave one."""
    return [
        row_id,
        BLANK_THEMES,
        BLANK_SOURCE,
        1.0,
        stance or "",
        "human" if stance else "",
        1.0 if stance else "",
        "",
    ]


def run_code(args: argparse.Namespace) -> int:
    """Run ``consult-analyse code``; returns the exit code."""
    started = time.perf_counter()
    if args.suggest < 0:
        raise InputError("--suggest must be 0 or more")
    if not 0 <= args.seed <= MAX_SEED:
        raise InputError(f"--seed must be from 0 to {MAX_SEED:,}")
    if args.confidence_floor is not None and not 0 <= args.confidence_floor <= 1:
        raise InputError("--confidence-floor must be from 0 to 1")
    out = Path(args.out)
    check_out(out, CODE_OUTPUTS)  # before any work; created only when the outputs are written
    table = read_table(args.input, encoding=args.encoding)
    wanted = [
        args.text_column,
        *([args.labels_column] if args.labels_column else []),
        *([args.stance_column] if args.stance_column else []),
        *([args.id_column] if args.id_column else []),
    ]
    require_columns(table, wanted)
    texts = table.column(args.text_column)
    if not texts:
        raise InputError("no rows to code")
    ids = _ids(table, args.id_column, len(texts))
    labels = (
        [parse_labels(v) for v in table.column(args.labels_column)]
        if args.labels_column
        else [None] * len(texts)
    )
    stances = _stances(table, args.stance_column) if args.stance_column else [None] * len(texts)
    book = _codebook(args, labels, ids, table)
    all_ids, all_stances = ids, stances
    kept = to_code(texts, labels)
    if not kept:
        raise InputError(f"nothing to code: all {rows_words(len(texts))} are blank")
    texts = [texts[i] for i in kept]
    labels = [labels[i] for i in kept]
    stances = [stances[i] for i in kept]
    ids = [ids[i] for i in kept]
    quiet_convergence()
    from .agreement import coding_metrics, stance_metrics  # heavy: once the input is checked
    from .coding import CodingModel
    from .coding_stance import RowSides
    from .features import CodingFeatures
    from .stance_model import StanceModel
    from .suggest import suggest

    features = CodingFeatures(engine=args.engine, question=args.question).fit(
        texts + [c.text() for c in book.codes]
    )
    stance_model = None
    stance_kinds = {s for s in stances if s is not None}
    if len(stance_kinds) >= 2:
        stance_model = StanceModel(engine=args.engine, question=args.question, seed=args.seed)
        stance_model.fit(texts, stances, features=features)
    # the stance is learned first: each response's side (coded, else the stance model's)
    # tells the coding model which themes are on its side (analysis.coding_stance)
    coding = CodingModel(engine=args.engine, question=args.question, seed=args.seed)
    sides = (
        RowSides.from_stances(
            stances,
            stance_model.proba_,
            stance_model.model_.classes_,
            stance_model.held_out_proba(),
        )
        if stance_model is not None and coding.stance_themes != "off"
        else None
    )
    coding.fit(texts, labels, book, features=features, sides=sides)
    floor, why = confidence_floor(args.confidence_floor, labels, len(book))

    coded_rows: list[list[Any]] = []
    for i, row_id in enumerate(ids):
        themes = ";".join(sorted(coding.coded_[i])) or NONE_CODE
        human = coding.source_[i] == "human"
        if stance_model is not None:
            stance = stance_model.stance_[i]
            stance_source = stance_model.source_[i]
            stance_confidence = round(float(stance_model.confidence_[i]), 4)
        else:
            stance = stances[i] or ""
            stance_source = "human" if stances[i] else ""
            stance_confidence = 1.0 if stances[i] else ""
        coded_rows.append(
            [
                row_id,
                themes,
                coding.source_[i],
                1.0 if human else round(float(coding.confidence_[i]), 4),
                stance,
                stance_source,
                stance_confidence,
                "" if human else _unsure(coding.confidence_[i], floor),
            ]
        )
    # every input row, in input order: the coded ones, and the blank ones given no theme
    by_row = dict(zip(kept, coded_rows, strict=True))
    rows = [
        by_row[i] if i in by_row else _blank_row(row_id, all_stances[i])
        for i, row_id in enumerate(all_ids)
    ]
    blank = len(rows) - len(kept)
    coded_csv = _csv_text(CODED_COLUMNS, rows)

    dense = features.embed(texts)
    picks = suggest(
        args.suggest,
        dense if dense is not None else coding.vectors_,
        coding=coding,
        stance=stance_model,
        uncoded=[
            i
            for i in range(len(texts))
            if labels[i] is None or (stance_model is not None and stances[i] is None)
        ],
        first_share=0.25 if args.first_examples else None,
    )
    suggest_csv = _csv_text(
        SUGGEST_COLUMNS,
        [
            [
                rank,
                ids[p.row],
                named_reason(p.reason, book),
                p.score,
                _blank(p.theme_doubt),
                _blank(p.stance_doubt),
            ]
            for rank, p in enumerate(picks, start=1)
        ],
    )

    metrics: dict[str, Any] = {
        "engine": features.engine_,
        # the coding vectors' encoder: the fine-tuned one's id (analysis.coding_encoder) or
        # "minilm" (also with the fast engine, which has none)
        "coding_encoder": features.encoder_,
        "question": args.question,
        "mode": "cold start: coded by similarity to the codebook"
        if coding.cold_start_
        else "learned from coded responses and the codebook",
        "themes": coding_metrics(coding),
    }
    if stance_model is not None:
        # the stance model's own vectors: e5, minilm, both or words (see analysis.stance_model)
        metrics["stance"] = {**stance_metrics(stance_model), "encoder": stance_model.encoder_}
    else:
        metrics["stance"] = {
            "accuracy": None,
            "note": "stance not learned: code at least one response 'for' and one 'against'"
            if args.stance_column
            else "stance not measured: no --stance-column",
        }
    if coding.cold_start_:
        # answers the codebook plainly does not fit (analysis.coding.COLD_FIT_RATIO): coded
        # "no theme" below the floor, so marked ``unsure``
        metrics["misfits"] = int(sum(bool(m) for m in coding.misfit_))
    # the floor ``unsure`` was marked with, and why it is raised (as the web app records it)
    metrics["floor"] = floor
    metrics["floor_why"] = why
    metrics["codebook"] = book.to_records()
    # blank answers nobody coded: left uncoded, outside every figure above
    metrics["blank_uncoded"] = blank
    # themes the model gives far more often than people did (a prompt to check them)
    metrics["over_given"] = over_given(coding.coded_, coding.source_)
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    _write_all(
        out,
        {
            "coded.csv": coded_csv,
            "suggest.csv": suggest_csv,
            "metrics.json": json.dumps(metrics, indent=2, ensure_ascii=False),
        },
    )
    if not args.quiet:
        model_rows = [row for row in coded_rows if row[2] == "model"]
        unsure = unsure_words(
            sum(row[-1] == "yes" for row in model_rows), len(model_rows), floor, why
        )
        f1 = f1_words(metrics["themes"])
        note = metrics["themes"]["no_example_note"]
        if note and not args.first_examples:
            note += " (--first-examples suggests the responses most like them)"
        left = blank_words(blank)
        much = over_given_words(metrics["over_given"], {c.id: c.name for c in book.codes})
        print(
            f"{rows_words(len(rows))}, {len(coding.coded_rows_)} coded by people, "
            f"{len(book)} {'theme' if len(book) == 1 else 'themes'}; "
            + (f"{f1}; " if f1 else "")
            + (f"{note}; " if note else "")
            + (f"{unsure}; " if unsure else "")
            + (f"{much}; " if much else "")
            + (f"{left}; " if left else "")
            + f"wrote {out}/ in {metrics['seconds']:.1f}s"
        )
    return 0
