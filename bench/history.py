"""Keep BENCHMARKS.md small: move its older rounds' sections, verbatim, into a new numbered
history file under ``benchmarks/``, and keep the front page's index of those files current.

    python -m bench.history --before "## ci31: ..." --title "rounds 31 and 32 (8 December 2026)"
    python -m bench.history                  # only rewrite the index

``--before`` names the first line to keep on the front page (a ``## `` heading or a
``<!-- name:start -->`` marker, or the start of one); everything between the front page's
records line and it moves. ``bench.common.write_section`` finds a moved section in its
history file and replaces it there; a new section is still appended to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
from pathlib import Path

from bench import common

# The line after which the front page's own records (the newest rounds) begin.
RECORDS_LINE = "<!-- The rounds' records, oldest first; older rounds are in benchmarks/. -->"
INDEX = "history-index"


def history_files() -> list[Path]:
    """The history files, oldest first."""
    return common.benchmark_files()[1:]


def index_text() -> str:
    """The front page's index: each history file, linked, with the sections it holds."""
    lines = [
        "Each file below holds, verbatim, sections moved from this page; find a section by its "
        "heading with `grep -rn '^## ci' BENCHMARKS.md benchmarks/`, or in code with "
        "`bench.common.benchmark_text()` / `read_section(name)`."
    ]
    for path in history_files():
        relative = path.relative_to(common.BENCHMARKS.parent).as_posix()
        text = path.read_text(encoding="utf-8")
        title = text.split("\n", 1)[0].removeprefix("# ").removeprefix("Benchmarks history ")
        lines += ["", f"### [{title}]({relative})", ""]
        previous = ""
        for line in text.splitlines():
            if line.startswith("## "):
                marker = re.fullmatch(r"<!-- ([\w-]+):start -->", previous)
                lines.append(
                    f"- {line.removeprefix('## ')}" + (f" (`{marker[1]}`)" if marker else "")
                )
            previous = line
    return "\n".join(lines)


def write_index() -> None:
    """Rewrite the index between the front page's ``history-index`` markers."""
    index = index_text()
    if common.read_section(INDEX) != index:
        common.write_section(INDEX, index)


def _commit() -> str:
    """The checked-out commit, short ("unknown" outside git)."""
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=common.BENCHMARKS.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def _section_start(records: str, at: int) -> int:
    """Where the kept records begin when the first kept line is at ``at``: at the start
    marker on the line above it, if there is one (a section ``write_section`` wrote starts
    with its marker, then its heading), so a section's markers stay in one file. Raises
    ValueError when ``at`` is inside a marked section, after its first line."""
    above = re.search(r"<!-- [\w-]+:start -->\n\Z", records[:at])
    cut = above.start() if above else at
    for start in re.finditer(r"<!-- ([\w-]+):start -->", records[:cut]):
        if f"<!-- {start[1]}:end -->" not in records[start.end() : cut]:
            raise ValueError(f"the first line kept is inside the marked section {start[1]!r}")
    return cut


def move_before(first_kept: str, title: str, note: str = "") -> Path:
    """Move the front page's records before the line starting ``first_kept`` into the next
    history file, verbatim, under a title and a line saying where they came from; return it.
    A start marker on the line above goes with it. Raises ValueError if there is no such line
    after the records line, if it is inside a marked section, or if there is nothing to move."""
    text = common.BENCHMARKS.read_text(encoding="utf-8")
    head, found, records = text.partition(RECORDS_LINE + "\n")
    if not found:
        raise ValueError(f"BENCHMARKS.md has no records line ({RECORDS_LINE})")
    kept = re.search("^" + re.escape(first_kept), records, re.M)
    if kept is None:
        raise ValueError(f"no line of BENCHMARKS.md's records starts with {first_kept!r}")
    cut = _section_start(records, kept.start())
    moved = records[:cut]
    if not moved.strip():
        raise ValueError(f"nothing before {first_kept!r} to move")
    numbers = [int(m[1]) for f in history_files() if (m := re.fullmatch(r"history-(\d+)", f.stem))]
    number = max(numbers, default=0) + 1  # after the last, never over a file after a gap
    path = common.HISTORY / f"history-{number:02d}.md"
    where = (
        f"Moved verbatim from BENCHMARKS.md by `python -m bench.history` on "
        f"{datetime.date.today().isoformat()}, at commit {_commit()}"
    )
    common.HISTORY.mkdir(exist_ok=True)
    path.write_text(
        f"# Benchmarks history {number:02d}: {title}\n\n{where}{'; ' + note if note else ''}. "
        "Benches that `--write` a section here replace it here.\n\n" + moved,
        encoding="utf-8",
    )
    common.BENCHMARKS.write_text(head + found + records[cut:], encoding="utf-8")
    write_index()
    return path


def main(argv: list[str] | None = None) -> int:
    """Move older sections to a new history file (``--before``), or only rewrite the index."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="the first line to keep on the front page")
    parser.add_argument("--title", help="the new history file's title, e.g. its rounds and dates")
    parser.add_argument("--note", default="", help="more on where the sections came from")
    args = parser.parse_args(argv)
    if args.before is None:
        write_index()
        return 0
    if not args.title:
        parser.error("--before needs --title")
    try:
        path = move_before(args.before, args.title, args.note)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
