"""consult-analyse: themes from a CSV, XLSX or JSONL export, without the web app.

    consult-analyse themes INPUT --text-column TEXT [--id-column ID] [--segment-column COL]...
                    [--stance-column COL] [--themes N|auto] [--seed N] [--engine fast]
                    [--quiet] --out DIR

Exit codes: 0 success; 2 bad input (with a one-line reason); 1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import output
from .api import ThemeModel
from .errors import InputError
from .io import read_table, require_columns
from .report import render_report
from .represent import ENGINES


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="consult-analyse", description="Theme free-text consultation answers.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    themes = commands.add_parser("themes", help="find, describe and map themes")
    themes.add_argument("input", help="a CSV (UTF-8, UTF-8 with BOM or cp1252), XLSX or JSONL file")
    themes.add_argument("--text-column", required=True, help="the column with the answers")
    themes.add_argument("--id-column", help="the column with response ids (default: row number)")
    themes.add_argument(
        "--segment-column",
        action="append",
        default=[],
        help="a column to break themes down by (repeatable)",
    )
    themes.add_argument("--stance-column", help="a paired agreement answer used for stance")
    themes.add_argument("--themes", default="auto", help="number of themes, or 'auto' (default)")
    themes.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    themes.add_argument(
        "--engine",
        default="auto",
        choices=["auto", *sorted(ENGINES)],
        help="representation engine: fast (words), semantic (MiniLM embeddings), or auto "
        "(semantic when installed; the default)",
    )
    themes.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads for clustering (default 1, fastest on small machines)",
    )
    themes.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    themes.add_argument("--out", required=True, help="folder for the outputs")
    return parser


def run_themes(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    table = read_table(args.input)
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
    segments = {name: table.column(name) for name in args.segment_column}
    agreement = table.column(args.stance_column) if args.stance_column else None
    themes = args.themes if args.themes == "auto" else args.themes.strip()
    model = ThemeModel(
        n_themes=themes,
        engine=args.engine,
        seed=args.seed,
        threads=args.threads,
        verbose=0 if args.quiet else 1,
    )
    model.fit(texts, ids=ids, segments=segments, agreement=agreement)

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the output folder {out}: {error.strerror}") from None
    write_start = time.perf_counter()
    document = output.themes_document(model)
    output.write_assignments(model, out / "assignments.csv")
    output.write_json(document, out / "themes.json")
    report = render_report(document, title=f"Themes in {Path(args.input).name}")
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
        "themes": args.themes,
        "engine": args.engine,
        "threads": args.threads,
        "min_themes": model.min_themes,
        "max_themes": model.max_themes,
        "merge_threshold": model.merge_threshold,
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
            f"{summary['rows']} rows, {summary['themes']} themes, "
            f"{summary['non_substantive']} non-substantive, "
            f"{summary['answers_with_several_themes']} with several themes, "
            f"{summary['duplicates']['text']}; wrote {out}/ in {timings['total']:.1f}s"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``consult-analyse``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run_themes(args)
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
