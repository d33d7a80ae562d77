"""Keep the README honest: its Python example runs and its CLI options exist."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks, "README has no Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "T01" in printed and "NS" in printed


def _options(command: str) -> set[str]:
    parser = build_parser()._subparsers._group_actions[0].choices[command]
    return {option for action in parser._actions for option in action.option_strings}


def test_every_option_of_code_is_documented_and_exists():
    documented = set(
        re.findall(
            r"^\| `(--[a-z-]+)` \|",
            README.split("Options of `code`")[1].split("It writes")[0],
            re.M,
        )
    )
    assert documented == _options("code") - {"-h", "--help"}


def test_every_documented_option_exists():
    themes = build_parser()._subparsers._group_actions[0].choices["themes"]
    known = {option for action in themes._actions for option in action.option_strings}
    documented = set(
        re.findall(r"^\| `(--[a-z-]+)` \|", README.split("Options of `code`")[0], re.M)
    )
    assert documented, "README documents no options"
    assert documented <= known, documented - known
    assert {
        "--text-column",
        "--id-column",
        "--segment-column",
        "--themes",
        "--seed",
        "--engine",
        "--quiet",
        "--out",
    } <= documented


def test_demo_figures_in_the_readme_are_what_the_demo_loads(app):
    from consult.demo import load_demo

    summary = load_demo()
    started = summary.submitted + summary.drafts
    assert (
        f"{summary.organisations} organisations with invitations, {started} of which have started "
        f"a response: {summary.submitted} submitted and {summary.drafts}"
    ) in " ".join(README.split())
    assert f"({summary.submitted} submitted, {summary.drafts} drafts)" in README


def test_no_passage_is_repeated():
    """Prose pasted twice (or its tail left behind by an edit) reads as a mistake: no run of
    13 words outside code blocks and tables appears twice."""
    from collections import Counter

    prose = re.sub(r"```.*?```", " ", README, flags=re.S)
    words = " ".join(
        line for line in prose.splitlines() if not line.lstrip().startswith("|")
    ).split()
    runs = Counter(" ".join(words[i : i + 13]) for i in range(len(words) - 13))
    repeated = [run for run, count in runs.items() if count > 1]
    assert not repeated, repeated
