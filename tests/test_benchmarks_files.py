"""The benchmark records: BENCHMARKS.md (the front page) and its history files under
``benchmarks/``. Each file stays well under the 1 MB the project allows a tracked file, every
section marker is unique across them, the front page's index is current, every section the
code, tests and README cite is findable, and ``bench.common``'s writers find a section in
whichever file holds it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bench import common, history

ROOT = common.ROOT
MARKER = re.compile(r"<!-- ([\w-]+):(start|end) -->")
# A citation of a section: BENCHMARKS "name", BENCHMARKS.md, "name", BENCHMARKS.md ``name``.
CITATION = re.compile(r'BENCHMARKS(?:\.md)?,?\s+(?:"([^"]+)"|``([^`]+)``)')


def _record_files() -> list[Path]:
    """BENCHMARKS.md and every Markdown file under benchmarks/."""
    return [common.BENCHMARKS, *sorted(common.HISTORY.glob("*.md"))]


def test_every_record_file_stays_well_under_a_megabyte():
    files = _record_files()
    assert len(files) >= 7, "the history files under benchmarks/ are missing"
    sizes = {path.name: path.stat().st_size for path in files}
    assert all(size < 900_000 for size in sizes.values()), sizes
    assert common.benchmark_files() == [common.BENCHMARKS, *files[1:]], "stray file in benchmarks/"


# End markers left without a start by sections written by hand (kept verbatim); a writer of
# one of these names would append a new section, so no name may join this list.
ORPHAN_ENDS = {"assign", "centred", "sent10", "sent11", "sent12"}


def test_every_marker_is_unique_and_closes_in_its_own_file():
    where: dict[str, list[tuple[str, str]]] = {}
    for path in _record_files():
        for found in MARKER.finditer(path.read_text(encoding="utf-8")):
            where.setdefault(found[1], []).append((path.name, found[2]))
    assert len(where) > 100
    orphans = {name for name, seen in where.items() if seen[0][1] == "end"}
    assert orphans == ORPHAN_ENDS
    for name, seen in where.items():
        kinds = [kind for _, kind in seen]
        assert kinds == (["end"] if name in ORPHAN_ENDS else ["start", "end"]), (name, seen)
        assert len({file for file, _ in seen}) == 1, f"{name} starts and ends in different files"


def test_the_index_names_every_history_file_and_its_sections():
    assert common.read_section(history.INDEX) == history.index_text(), (
        "run .venv/bin/python -m bench.history to rewrite the index"
    )
    front = common.BENCHMARKS.read_text(encoding="utf-8")
    assert front.index(history.RECORDS_LINE) > front.index(f"<!-- {history.INDEX}:end -->")
    for path in history.history_files():
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# Benchmarks history {path.stem.removeprefix('history-')}: ")
        assert "Moved verbatim from BENCHMARKS.md" in text.split("\n", 3)[2]
        assert f"](benchmarks/{path.name})" in front
        headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
        assert headings and all(f"\n- {heading}" in front for heading in headings)


def test_relative_links_in_the_records_and_readme_resolve():
    for name in ("BENCHMARKS.md", "README.md"):
        links = re.findall(r"\]\(([^)#:\s]+\.md)\)", (ROOT / name).read_text(encoding="utf-8"))
        assert links, name
        assert [link for link in links if not (ROOT / link).is_file()] == []


def test_every_cited_section_is_found_in_the_records():
    listed = subprocess.run(
        ["git", "ls-files", "*.py", "*.md", "*.cfg", "*.toml", "*.html", "Makefile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    text = common.benchmark_text()
    markers = set(re.findall(r"<!-- ([\w-]+):start -->", text))
    headings = [line[3:].lower() for line in text.splitlines() if line.startswith("## ")]
    cited, missing = 0, []
    for name in listed:
        if name == "BENCHMARKS.md" or name.startswith("benchmarks/"):
            continue
        # Comments and docstrings wrap a citation over lines: read them joined.
        joined = re.sub(r"\s*\n\s*#?\s*", " ", (ROOT / name).read_text(encoding="utf-8"))
        for found in CITATION.finditer(joined):
            section = found[1] or found[2]
            cited += 1
            if section not in markers and not any(section.lower() in h for h in headings):
                missing.append((name, section))
    assert cited > 100
    assert missing == []


@pytest.fixture
def records(tmp_path, monkeypatch) -> Path:
    """A front page and one history file in a temporary folder, as bench.common's files."""
    monkeypatch.setattr(common, "BENCHMARKS", tmp_path / "BENCHMARKS.md")
    monkeypatch.setattr(common, "HISTORY", tmp_path / "benchmarks")
    common.HISTORY.mkdir()
    (common.HISTORY / "history-01.md").write_text(
        "# Benchmarks history 01: a round\n\nMoved verbatim from BENCHMARKS.md.\n\n"
        "<!-- old:start -->\n## Old (`bench/old.py`)\n\n| a | 1 |\n<!-- old:end -->\n\n"
        "## oldhand: by hand\n\nfigure 1\n",
        encoding="utf-8",
    )
    common.BENCHMARKS.write_text(
        "# Benchmarks\n\n## History files\n\n<!-- history-index:start -->\n"
        "<!-- history-index:end -->\n\n" + history.RECORDS_LINE + "\n"
        "## new30: this round\n\nfigure 2\n\n## new31: the next\n\nfigure 3\n",
        encoding="utf-8",
    )
    history.write_index()
    return tmp_path


def test_a_section_is_replaced_in_the_history_file_that_holds_it(records):
    front = common.BENCHMARKS.read_text(encoding="utf-8")
    assert common.read_section("old") == "## Old (`bench/old.py`)\n\n| a | 1 |"
    common.write_section("old", "## Old (`bench/old.py`)\n\n| a | 2 |")
    assert common.read_section("old") == "## Old (`bench/old.py`)\n\n| a | 2 |"
    assert "| a | 2 |" in (records / "benchmarks" / "history-01.md").read_text(encoding="utf-8")
    assert common.BENCHMARKS.read_text(encoding="utf-8") == front
    common.write_section("old", "## Old, renamed\n\n| a | 3 |")
    assert "\n- Old, renamed (`old`)\n" in common.BENCHMARKS.read_text(encoding="utf-8")


def test_a_new_section_is_appended_to_the_front_page(records):
    assert common.read_section("brand-new") is None
    common.write_section("brand-new", "## Brand new\n\nfigure 4\n")
    front = common.BENCHMARKS.read_text(encoding="utf-8")
    assert front.endswith(
        "figure 3\n\n<!-- brand-new:start -->\n## Brand new\n\nfigure 4\n<!-- brand-new:end -->\n"
    )
    assert common.read_section("brand-new") == "## Brand new\n\nfigure 4"


def test_a_heading_section_is_replaced_where_it_lives(records):
    common.write_heading_section("## oldhand: by hand", "figure 5")
    old = (records / "benchmarks" / "history-01.md").read_text(encoding="utf-8")
    assert old.endswith("## oldhand: by hand\n\nfigure 5\n")
    common.write_heading_section("## new30: this round", "figure 6")
    front = common.BENCHMARKS.read_text(encoding="utf-8")
    assert "## new30: this round\n\nfigure 6\n\n## new31: the next\n" in front
    assert "\n- oldhand: by hand\n" in front  # the index line is not mistaken for the heading


def test_older_sections_move_verbatim_to_the_next_history_file(records):
    before = common.BENCHMARKS.read_text(encoding="utf-8")
    moved = history.move_before("## new31", "the round before", "a test")
    assert moved.name == "history-02.md"
    text = moved.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks history 02: the round before\n\nMoved verbatim")
    assert text.endswith("\n\n## new30: this round\n\nfigure 2\n\n")
    front = common.BENCHMARKS.read_text(encoding="utf-8")
    assert front.endswith(history.RECORDS_LINE + "\n## new31: the next\n\nfigure 3\n")
    assert "\n- new30: this round\n" in front and "](benchmarks/history-02.md)" in front
    kept = before.split(history.RECORDS_LINE + "\n")[1]
    assert text.split("\n\n", 2)[2] + front.split(history.RECORDS_LINE + "\n")[1] == kept
    with pytest.raises(ValueError, match="no line"):
        history.move_before("## nowhere", "x")
    assert history.main(["--before", "## new31", "--title", "x"]) == 2  # nothing left to move


def test_a_move_before_a_marked_sections_heading_keeps_its_markers_together(records):
    """``--before "## new31: ..."`` (the module's own example) where new31 was written by
    ``write_section``, its start marker on the line above its heading: the marker must stay
    with its section, not move alone to the history file (its end left on the front page,
    so the next ``write_section("new31", ...)`` would append a second copy)."""
    common.write_section("new32", "## new32: written by a bench\n\nfigure 7")
    common.write_section("new33", "## new33: another\n\nfigure 8")
    history.move_before("## new32", "the rounds before")
    for path in common.benchmark_files():
        text = path.read_text(encoding="utf-8")
        for name in ("new32", "new33"):
            starts = text.count(f"<!-- {name}:start -->")
            assert starts == text.count(f"<!-- {name}:end -->"), (path.name, name)
    front = common.BENCHMARKS.read_text(encoding="utf-8")
    assert front.split(history.RECORDS_LINE + "\n")[1].startswith("<!-- new32:start -->\n")
    common.write_section("new32", "## new32: written by a bench\n\nfigure 9")
    assert common.benchmark_text().count("new32:start") == 1
    assert common.read_section("new32") == "## new32: written by a bench\n\nfigure 9"


def test_a_move_that_would_split_a_marked_section_is_refused(records):
    """A first kept line inside a marked section (a heading after its first) would leave the
    section's start in one file and its end in another."""
    common.write_section("two", "## two: first part\n\nfigure 1\n\n## two, part 2\n\nfigure 2")
    before = common.BENCHMARKS.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="inside the marked section"):
        history.move_before("## two, part 2", "x")
    assert common.BENCHMARKS.read_text(encoding="utf-8") == before
    assert len(history.history_files()) == 1


def test_a_quoted_marker_does_not_swallow_the_sections_after_it(records):
    """A section that quotes another's start marker in its text (bm31's command once did):
    rewriting that other section, appended later, must replace only it, not everything from
    the quotation on; and a section's own markers in its text are refused, not written."""
    common.write_section("quoting", '## quoting\n\nrun `--before "<!-- later:start -->"`')
    common.write_section("between", "## between\n\nfigure 10")
    common.write_section("later", "## later\n\nfigure 11")
    common.write_section("later", "## later\n\nfigure 12")
    front = common.BENCHMARKS.read_text(encoding="utf-8")
    assert "## quoting" in front and "figure 10" in front, front
    assert common.read_section("later") == "## later\n\nfigure 12"
    with pytest.raises(ValueError, match="its own marker"):
        common.write_section("later", "## later\n\nends early <!-- later:end --> here")
    assert common.read_section("later") == "## later\n\nfigure 12"


def test_a_move_never_overwrites_a_history_file(records):
    """With a gap in the numbering (history-01 and history-03, say), the next file was
    numbered by the count of files (03 here) and overwrote the one holding those sections."""
    (common.HISTORY / "history-03.md").write_text(
        "# Benchmarks history 03: later\n\nMoved verbatim from BENCHMARKS.md.\n\n## kept\n",
        encoding="utf-8",
    )
    moved = history.move_before("## new31", "the round before")
    assert moved.name == "history-04.md"
    assert "## kept" in (common.HISTORY / "history-03.md").read_text(encoding="utf-8")


def test_a_heading_section_inside_markers_keeps_its_end_marker(records):
    """``write_heading_section`` on a heading that a marked section opens (the history files'
    "## Load (`bench/load.py`)" after ``<!-- load:start -->``, say) ran on to the next start
    marker or heading, so it took the section's end marker with it."""
    common.write_section("marked", "## marked: by a bench\n\nfigure 1")
    common.write_section("after", "## after\n\nfigure 2")
    common.write_heading_section("## marked: by a bench", "figure 3")
    assert common.read_section("marked").rstrip() == "## marked: by a bench\n\nfigure 3"
    assert common.read_section("after") == "## after\n\nfigure 2"
