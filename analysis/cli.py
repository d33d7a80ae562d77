"""consult-analyse: themes from a CSV, XLSX or JSONL export, without the web app.

    consult-analyse themes INPUT --text-column TEXT [--id-column ID] [--segment-column COL]...
                    [--stance-column COL] [--side-margin M|off] [--question TEXT]
                    [--themes N|auto] [--seed N]
                    [--engine fast] [--encoder minilm|auto|joined] [--tone-weight W]
                    [--projection]
                    [--encoding NAME] [--quiet]
                    --out DIR

    consult-analyse code INPUT --text-column TEXT [--labels-column LABELS] ... --out DIR
                    (see analysis/code_cli.py)

Exit codes: 0 success; 2 bad input (with a one-line reason); 1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from . import code_cli
from .cli_warnings import quiet_convergence
from .coding_encoder import MINILM
from .encoding import EncodingError
from .errors import InputError
from .flags import PROJECTION_WEIGHT, SIDE_MARGIN
from .io import read_table, require_columns
from .language import not_english_warning
from .options import ENCODERS, ENGINE_NAMES, check_tone_weight
from .out_folder import check_out
from .report import (
    campaign_list,
    campaigns_sentence,
    duplicate_counts,
    largest_repeat,
    render_report,
    themes_count,
)
from .stance import read_sides, stance_from_agreement

# Everything above is light (no numpy, SciPy, scikit-learn or NLTK): a run refused for bad
# input (a missing file, an unknown column, a bad option) exits 2 before the heavy modules are
# imported, inside the commands once the input is checked (words31: 1.5 CPU-s a refusal).


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _bounded(name: str, low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{name} must be from {low} to {high:,}")
        return value

    return parse


def tone_weight(text: str) -> float:
    """An argparse type for ``--tone-weight``: a number from 0 to 1."""
    try:
        return check_tone_weight(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--tone-weight must be a number from 0 to 1, not {text!r}"
        ) from None


def side_margin(text: str) -> float | None:
    """An argparse type for ``--side-margin``: a number from 0 to 1, or 'off' (None)."""
    if text.strip().lower() == "off":
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--side-margin must be a number from 0 to 1 or 'off', not {text!r}"
        ) from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"--side-margin must be from 0 to 1 or 'off', not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="consult-analyse", description="Theme free-text consultation answers.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    themes = commands.add_parser("themes", help="find, describe and map themes")
    themes.add_argument(
        "input",
        help="a CSV (UTF-8, UTF-8 with BOM or cp1252), XLSX, JSON or JSONL file, or - for "
        "standard input",
    )
    themes.add_argument("--text-column", required=True, help="the column with the answers")
    themes.add_argument("--id-column", help="the column with response ids (default: row number)")
    themes.add_argument(
        "--segment-column",
        action="append",
        default=[],
        help="a column to break themes down by (repeatable)",
    )
    themes.add_argument(
        "--stance-column",
        help="a paired agreement answer, the only source of stance (without it the outputs "
        "say stance was not measured)",
    )
    themes.add_argument(
        "--side-margin",
        type=side_margin,
        default=SIDE_MARGIN,
        help="with --stance-column: move an answer on the other side from its theme's "
        "leaning side to the nearest theme on its own side when it is at most this much "
        f"less similar (cosine, 0 to 1; default {SIDE_MARGIN}), or 'off'",
    )
    themes.add_argument(
        "--question", help="the question's wording, stated at the top of the report"
    )
    themes.add_argument("--themes", default="auto", help="number of themes, or 'auto' (default)")
    themes.add_argument(
        "--seed",
        type=_bounded("--seed", 0, 2**32 - 1),
        default=0,
        help="random seed, 0 to 4,294,967,295 (default 0)",
    )
    themes.add_argument(
        "--engine",
        default="auto",
        choices=["auto", *sorted(ENGINE_NAMES)],
        help="representation engine: fast (words), semantic (MiniLM embeddings), or auto "
        "(semantic when installed; the default)",
    )
    themes.add_argument(
        "--encoder",
        default=MINILM,
        choices=list(ENCODERS),
        help="the sentence vectors the semantic engine groups answers by: minilm (plain "
        "all-MiniLM-L6-v2, the default) or auto (the fine-tuned coding encoder where make "
        "install built one, else MiniLM: better on arguments, worse on some feedback, so not "
        "the default); joined (both side by side; BENCHMARKS.md nmi28); labels, quotes and "
        "sentiment read MiniLM either way",
    )
    themes.add_argument(
        "--tone-weight",
        type=tone_weight,
        default=0.0,
        help="from 0 (the default, off) to 1: the share of the sentiment probes' directions "
        "taken out of the vectors answers are grouped by, so praise is grouped by what is "
        "praised rather than how warmly (BENCHMARKS.md nmi29). Descriptions read the reduced "
        "vectors too where they use the run's own vectors: quote pools are ranked on them in "
        "both engines, and the fast engine's labels, label-point counts, summaries and quotes "
        "embed sentences through them; the semantic engine's MiniLM sentence vectors, "
        "sentiment and coding read the vectors as they were",
    )
    themes.add_argument(
        "--projection",
        action="store_true",
        help="semantic engine: join the learned answer projection to the sentence vectors "
        f"answers are grouped by (weight {PROJECTION_WEIGHT}): an LDA learned on NHS phase 1 "
        "Trust A's answers and their 9 coded themes, built by make install. An option, not "
        "the default: it gained on NHS-like feedback, not on other questions (README 'The "
        "learned answer projection', BENCHMARKS.md proj32, ship33)",
    )
    themes.add_argument(
        "--threads",
        type=_bounded("--threads", 1, 256),
        default=1,
        help="threads for clustering (default 1, fastest on small machines)",
    )
    themes.add_argument(
        "--encoding",
        help="the text encoding of a CSV or JSONL file, e.g. shift_jis or utf-16 "
        "(default: detected; UTF-8, UTF-16 and Windows-1252 are recognised)",
    )
    themes.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    themes.add_argument("--out", required=True, help="folder for the outputs")
    code_cli.add_parser(commands)
    return parser


# What --stance-column holds: closed agreement answers, read by stance_from_agreement.
AGREEMENT_VALUES = (
    "'Strongly agree', 'Agree', 'Neither agree nor disagree', 'Disagree', 'Yes', 'No', "
    "or a side coded 'for'/'against'/'mixed' or '1'/'-1' (not a 1-to-5 scale)"
)


def check_theme_count(value: str) -> None:
    """Exit 2 on a number of themes below 2 (as the web's form): one theme sorts nothing.
    Other values are checked by the model ("auto", or a whole number it can make)."""
    try:
        count = int(value.strip())
    except ValueError:
        return
    if count < 2:
        raise InputError(
            f"--themes must be at least 2, or 'auto', not {count}: one theme sorts nothing "
            "('auto' makes one theme only when the answers are too few to sort)"
        )


# A segment column with more different values than this share of its rows, and more than
# SEGMENT_GROUPS_AT_LEAST of them, holds ids or free text, not groups to compare.
SEGMENT_DISTINCT_SHARE = 0.5
SEGMENT_GROUPS_AT_LEAST = 20


def check_segment_column(name: str, values: list[str]) -> None:
    """Exit 2 when a segment column looks like an id or free text rather than a few groups
    (smoke12: ``--segment-column id`` on 200 rows made 200 "too few answers to tell" rows per
    theme and a 354 KB report)."""
    given = [v.strip() for v in values if v.strip()]
    distinct = len(set(given))
    if distinct > SEGMENT_GROUPS_AT_LEAST and distinct > SEGMENT_DISTINCT_SHARE * len(given):
        raise InputError(
            f"--segment-column '{name}' has {distinct:,} different values in {len(given):,} "
            "rows: it looks like an id or free text, not a group to compare (a segment column "
            "holds a few groups, such as partner type or area)"
        )


def check_stance_column(name: str, values: list[str]) -> None:
    """Exit 2 when the stance column holds no agreement answer at all (most likely the
    wrong column), naming it, the values it expects and a few it holds."""
    if any(stance_from_agreement(v) for v in read_sides(values)):
        return
    seen = list(dict.fromkeys(v.strip()[:30] for v in values if v.strip()))[:3]
    holds = f"it holds values such as {', '.join(repr(v) for v in seen)}" if seen else "it is empty"
    raise InputError(
        f"--stance-column '{name}' has no agreement answers ({holds}); it expects a paired "
        f"agreement answer such as {AGREEMENT_VALUES}"
    )


def id_warning(name: str, ids: list[str]) -> str:
    """A warning when the id column cannot name every row once (blank or repeated ids: the
    report's quotes and assignments.csv then cannot be matched to respondents by id), else
    ""; the rows are still analysed, and assignments.csv keeps the input's row order."""
    blank = sum(not value.strip() for value in ids)
    counts: dict[str, int] = {}
    for value in ids:
        if value.strip():
            counts[value.strip()] = counts.get(value.strip(), 0) + 1
    repeated = {value: count for value, count in counts.items() if count > 1}
    if not blank and not repeated:
        return ""
    parts = []
    if blank:
        parts.append(f"{blank:,} {'row has' if blank == 1 else 'rows have'} no id")
    if repeated:
        value, count = max(repeated.items(), key=lambda item: item[1])
        parts.append(
            f"{len(repeated):,} {'id is' if len(repeated) == 1 else 'ids are'} used more than "
            f"once ('{value[:30]}' {count:,} times)"
        )
    return (
        f"the id column '{name}' does not name every row once: {' and '.join(parts)}; "
        "assignments.csv keeps the input's row order, so match its rows to the input by "
        "position, not by id"
    )


def stage_line(text: str, quiet: bool) -> None:
    """Write one progress line to stderr, as the model's stage lines are, when stderr is not a
    terminal (where the model's bar shows progress instead) and the run is not ``--quiet``.
    stdout and the outputs never change (smoke9 finding 15)."""
    if not quiet and not sys.stderr.isatty():
        print(f"consult-analyse: {text}", file=sys.stderr, flush=True)


def warn_after_cleaning(cautions: list[str], bar: bool):
    """An ``on_stage`` callback that prints ``cautions`` once the cleaning stage is done: by
    then every refusal of the input has been made (an unusable ``--out`` or column, nothing
    substantive, too few distinct answers for the themes asked for), so refused input gets its
    one error line and no warning before it (smoke9 finding 16). ``bar``: a progress bar's
    line is open on stderr, so the warnings start a line of their own."""

    def on_stage(stage: str, done: int, total: int) -> None:
        if stage != "cleaning" or not cautions:
            return
        if bar:
            sys.stderr.write("\n")
        for warning in cautions:
            print(f"consult-analyse: warning: {warning}", file=sys.stderr)

    return on_stage


def run_themes(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = Path(args.out)
    check_out(out)
    if args.themes != "auto":
        check_theme_count(args.themes)
    table = read_table(args.input, encoding=args.encoding)
    wanted = [
        args.text_column,
        *([args.id_column] if args.id_column else []),
        *args.segment_column,
        *([args.stance_column] if args.stance_column else []),
    ]
    require_columns(table, wanted)
    read_seconds = round(time.perf_counter() - started, 4)
    texts = table.column(args.text_column)
    if not any(t.strip() for t in texts):
        raise InputError(f"no usable rows: the column '{args.text_column}' is empty")
    ids = table.column(args.id_column) if args.id_column else None
    cautions = [
        warning
        for warning in (
            id_warning(args.id_column, ids) if ids is not None else "",
            not_english_warning(texts),
        )
        if warning
    ]
    segments = {name: table.column(name) for name in args.segment_column}
    for name, values in segments.items():
        check_segment_column(name, values)
    agreement = table.column(args.stance_column) if args.stance_column else None
    if agreement is not None:
        check_stance_column(args.stance_column, agreement)
    themes = args.themes if args.themes == "auto" else args.themes.strip()
    quiet_convergence()
    from . import output  # heavy: only once the input is checked
    from .api import ThemeModel

    model = ThemeModel(
        n_themes=themes,
        engine=args.engine,
        seed=args.seed,
        side_margin=args.side_margin,
        threads=args.threads,
        verbose=0 if args.quiet else 2,
        encoder=args.encoder,
        tone_weight=args.tone_weight,
        projection_weight=PROJECTION_WEIGHT if args.projection else 0.0,
    )
    # the library's own warning of a missing projection is said here once, in the CLI's words
    warnings.filterwarnings(
        "ignore", message="the learned answer projection", category=RuntimeWarning
    )
    model.fit(
        texts,
        ids=ids,
        segments=segments,
        agreement=agreement,
        question=args.question,
        on_stage=warn_after_cleaning(cautions, bar=not args.quiet and sys.stderr.isatty()),
    )

    if model.projection_missing_:
        from .answer_projection import unavailable_reason

        print(f"consult-analyse: warning: {unavailable_reason()}", file=sys.stderr)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the output folder {out}: {error.strerror}") from None
    stage_line(f"writing {out}/", args.quiet)
    write_start = time.perf_counter()
    with output.all_or_nothing(out):  # a rerun that fails leaves the last outputs
        document = output.themes_document(model)
        output.write_assignments(model, out / "assignments.csv")
        output.write_json(document, out / "themes.json")
        rows = output.assignment_rows(model)
        campaigns = campaign_list(rows, model.texts_)
        report = render_report(
            document,
            text_column=args.text_column,
            campaigns=campaigns,
            duplicates=duplicate_counts(rows),
            cautions=cautions,
            repeat=largest_repeat(rows, model.texts_),
        )
        output._atomic_write(out / "report.html", lambda handle: handle.write(report))
        timings = {
            "read": read_seconds,
            **model.timings_,
            "write": round(time.perf_counter() - write_start, 4),
        }
        timings["total"] = round(time.perf_counter() - started, 4)
        settings = {
            "text_column": args.text_column,
            "id_column": args.id_column,
            "segment_columns": args.segment_column,
            "stance_column": args.stance_column,
            "question": args.question,
            "themes": args.themes,
            "engine": args.engine,
            "encoder": args.encoder,
            "tone_weight": args.tone_weight,
            "projection_weight": model.projection_weight,
            "threads": args.threads,
            "min_themes": model.min_themes,
            "max_themes": model.max_themes,
            "merge_threshold": model.merge_threshold,
            "same_point": model.same_point,
            "side_margin": model.side_margin,
            "joined_themes": [list(pair) for pair in model.joined_themes_],
            "relabelled_themes": [list(pair) for pair in model.relabelled_themes_],
        }
        output.write_json(
            output.run_record(
                model,
                input_path=str(args.input),
                sha256=table.sha256,
                rows_read=len(table.rows),
                settings=settings,
                timings=timings,
            ),
            out / "run.json",
        )
    if not args.quiet:
        summary = model.summary_
        print(
            f"{summary['rows']} {'row' if summary['rows'] == 1 else 'rows'}, "
            f"{themes_count(summary['themes'])}, "
            f"{summary['answered']} answered of {summary['rows']} "
            f"({summary['not_answered']} blank), "
            f"{summary['non_substantive']} with no substantive answer, "
            f"{summary['answers_with_several_themes']} with several themes, "
            f"{summary.get('fits_no_theme', 0)} fitting no theme well, "
            f"{campaigns_sentence(summary['duplicates'])}; wrote {out}/ in {timings['total']:.1f}s"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``consult-analyse``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():  # the commands call quiet_convergence()
            if args.command == "code":
                return code_cli.run_code(args)
            return run_themes(args)
    except EncodingError as error:
        print(f"consult-analyse: error: {error} or name it with --encoding", file=sys.stderr)
        return 2
    except InputError as error:
        print(f"consult-analyse: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("consult-analyse: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # never a traceback for a person
        print(
            f"consult-analyse: unexpected failure: {type(error).__name__}: {error}", file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
