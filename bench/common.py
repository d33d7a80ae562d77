"""Shared benchmark helpers: where the data lives, metrics, and reading and writing the
benchmark records (BENCHMARKS.md and its history files under ``benchmarks/``)."""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"
HISTORY = ROOT / "benchmarks"
NEW_FRONT_PAGE = (
    "# Benchmarks\n\nFigures written by the scripts in `bench/`; each section says the "
    "command that produced it and the machine it ran on.\n"
)


def parse_option(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` (VALUE a Python literal, e.g. ``True``, ``None``, ``0.5``) as a pair."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, not {text!r}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Python literal") from None


def add_option_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """The benchmarks' ``--option NAME=VALUE`` (repeatable): a ``ThemeModel`` setting for
    every fit, as ``(name, value)`` pairs in ``args.option`` (:func:`parse_option`)."""
    parser.add_argument(
        "--option",
        type=parse_option,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=help,
    )


def data_dir() -> Path:
    """The shared datasets: $CONSULT_DATA_DIR, or ../shared/data beside the repository."""
    return Path(os.environ.get("CONSULT_DATA_DIR") or ROOT.parent / "shared" / "data")


# The strings pandas reads as missing by default: the published figures were first measured
# with ``pandas.read_csv(...).dropna()``, so rows holding exactly these are skipped too.
MISSING = {
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "None",
    "n/a",
    "nan",
    "null",
}


def read_columns(name: str, text: str, *others: str) -> list[tuple[str, ...]]:
    """Rows of a shared CSV as tuples of the named columns, skipping rows whose ``text``
    column is missing (as pandas' ``read_csv`` and ``dropna`` would)."""
    import csv

    with (data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return [
            (row[text], *(row[o] for o in others))
            for row in csv.DictReader(handle)
            if row[text] not in MISSING
        ]


def matched_accuracy(truth: list, predicted: list) -> float:
    """Accuracy after the best one-to-one matching of clusters to labels (Hungarian)."""
    labels, truth_index = np.unique(np.asarray(truth, dtype=str), return_inverse=True)
    clusters, predicted_index = np.unique(np.asarray(predicted, dtype=str), return_inverse=True)
    table = np.zeros((len(clusters), len(labels)))
    np.add.at(table, (predicted_index, truth_index), 1)
    rows, cols = linear_sum_assignment(-table)
    return float(table[rows, cols].sum() / len(truth))


def scores(truth: list, predicted: list) -> dict[str, float]:
    """NMI, ARI and matched accuracy, in percent."""
    truth = [str(t) for t in truth]
    predicted = [str(p) for p in predicted]
    return {
        "nmi": 100 * normalized_mutual_info_score(truth, predicted),
        "ari": 100 * adjusted_rand_score(truth, predicted),
        "acc": 100 * matched_accuracy(truth, predicted),
    }


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} vCPU, {cpu}".strip(", ")


def benchmark_files() -> list[Path]:
    """The files that hold the benchmark records: BENCHMARKS.md (the front page, where a new
    section is appended), then the history files under ``benchmarks/``, oldest first."""
    return [BENCHMARKS, *sorted(HISTORY.glob("history-*.md"))]


def benchmark_text() -> str:
    """Every benchmark record as one text: the front page, then the history files."""
    return "\n".join(
        path.read_text(encoding="utf-8") for path in benchmark_files() if path.exists()
    )


def _file_holding(pattern: re.Pattern[str]) -> tuple[Path, str] | None:
    """The first benchmark file whose text ``pattern`` finds, with that text."""
    for path in benchmark_files():
        if path.exists() and pattern.search(text := path.read_text(encoding="utf-8")):
            return path, text
    return None


def _marked(name: str) -> re.Pattern[str]:
    """The section between ``name``'s markers, markers included (its body as group 1): from
    the last start marker before the end, so a start marker quoted in an earlier section's
    text does not take the sections between it and the real one along."""
    start, end = re.escape(f"<!-- {name}:start -->"), re.escape(f"<!-- {name}:end -->")
    return re.compile(start + r"\n?((?:(?!" + start + r").)*?)\n?" + end, re.S)


def read_section(name: str) -> str | None:
    """The text between this name's markers, wherever it lives (None if no file holds it)."""
    pattern = _marked(name)
    found = _file_holding(pattern)
    return pattern.search(found[1]).group(1) if found else None


def _replace_or_append(pattern: re.Pattern[str], block: str) -> None:
    """Replace what ``pattern`` finds with ``block`` in the benchmark file that holds it, or
    append ``block`` to BENCHMARKS.md (created with its title if missing)."""
    found = _file_holding(pattern)
    if found:
        path, text = found
        path.write_text(pattern.sub(lambda _: block, text, count=1), encoding="utf-8")
        if path != BENCHMARKS:
            from bench.history import write_index

            write_index()  # a rewritten history section may have changed its heading
        return
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else NEW_FRONT_PAGE
    BENCHMARKS.write_text(text.rstrip() + "\n\n" + block.rstrip("\n") + "\n", encoding="utf-8")


def write_section(name: str, text: str) -> None:
    """Replace the section between this name's markers in whichever benchmark file holds it
    (BENCHMARKS.md or a history file under ``benchmarks/``), or append it to BENCHMARKS.md.
    Raises ValueError if ``text`` holds one of the section's own markers (it would end the
    section early)."""
    if re.search(rf"<!-- {re.escape(name)}:(start|end) -->", text):
        raise ValueError(f"the text of section {name!r} holds its own marker")
    block = f"<!-- {name}:start -->\n{text.rstrip()}\n<!-- {name}:end -->"
    _replace_or_append(_marked(name), block)


def write_heading_section(heading: str, body: str) -> None:
    """Replace the section that starts with the line ``heading`` (a ``## ...`` line) and runs
    to the next heading or section marker (an end marker too, for the heading a marked
    section opens with), in whichever benchmark file holds it; or append it to BENCHMARKS.md."""
    pattern = re.compile(
        "^" + re.escape(heading) + r".*?(?=\n<!-- [\w-]+:(?:start|end) -->|\n## |\Z)", re.S | re.M
    )
    _replace_or_append(pattern, f"{heading}\n\n{body.strip()}\n")


def measure_in(code: Path, script: str, call: str) -> Any:
    """Run ``call`` (e.g. ``"measure('auto')"``) from the bench ``script`` (a file path)
    against another copy of the code (``code``: e.g. ``git archive`` of an earlier commit),
    in its own process, and return what it returns (JSON-serialisable): a before-and-after
    in the same conditions."""
    program = (
        f"import sys, json, importlib.util; sys.path.insert(0, {str(code)!r})\n"
        f"spec = importlib.util.spec_from_file_location('other', {script!r})\n"
        "bench = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench)\n"
        f"print(json.dumps(bench.{call}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(code)}
    output = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True, env=env
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_with_json(code: Path, script: str, flags: list[str]) -> Any:
    """What the bench ``script`` (a file path) writes with ``--json FILE`` and ``flags``, run
    in its own process against another copy of the code (``code`` first on the path, then
    this tree; ``code`` the working folder): a before-and-after in the same conditions."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    env = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"}
    command = [sys.executable, script, "--json", str(out), *flags]
    subprocess.run(command, check=True, env=env, cwd=code)
    return json.loads(out.read_text(encoding="utf-8"))
