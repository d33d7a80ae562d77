"""``make test`` runs pytest with bytecode on, whatever the caller's environment says
(BENCHMARKS.md "ci34"): ``PYTHONDONTWRITEBYTECODE=1`` in the environment made every server, job
worker and command the suite starts compile the project again, and every pytest worker rewrite
every test module. Read from the Makefile (the tests never run ``make``)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.reports_helpers import ROOT


def makefile_recipe(target: str) -> list[str]:
    """The recipe lines of ``target`` in the project's Makefile, tabs and backslashes kept."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line)
    return recipe


def makefile_tests_env() -> str:
    """The value of the Makefile's ``TESTS_ENV``."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^TESTS_ENV := ?(.*)$", text, re.MULTILINE)
    assert found, "the Makefile has no TESTS_ENV"
    return found.group(1).strip()


def test_every_pytest_of_make_test_runs_with_tests_env():
    runs = [line for line in makefile_recipe("test") if "$(BIN)/pytest $(PYTEST_ARGS) ||" in line]
    assert len(runs) == 2  # beside the encoder's build, and after it
    assert all(line.strip().startswith("$(TESTS_ENV) ") for line in runs), runs


def test_tests_env_turns_bytecode_on_when_the_caller_turned_it_off():
    says = f"{sys.executable} -c 'import sys; print(sys.dont_write_bytecode)'"
    script = f"{makefile_tests_env()} {says}"
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    # and the same shell line without it keeps the caller's setting (the test can tell)
    done = subprocess.run(["sh", "-c", says], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
