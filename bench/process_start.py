"""CPU seconds of starting the app's processes, this tree against another checkout, alternating.

    .venv/bin/python -m bench.process_start --compare DIR [--rounds 5]
    .venv/bin/python -m bench.process_start --bytecode DIR [--rounds 5]

Every gunicorn worker and job worker the tests start builds the app before it does anything
(BENCHMARKS.md "ci32b", "ci33"). Each round starts, in DIR (e.g. a ``git archive`` of the
commit before a change, with a ``.venv`` link) and in this tree, alternating which goes first:

- ``web``: what a gunicorn worker runs before it answers, ``import wsgi`` (``create_app()``
  and ``compile_templates``, the templates read from a compiled-templates folder the round
  filled first, as the tests' servers do);
- ``cli``: ``python -m flask --app consult routes``, a ``flask`` command (the job worker is
  ``flask ... worker``: the same start, then its loop).

A process's CPU seconds are its user and system time (``os.wait4``), from the interpreter's
start to its exit. Each tree gets its own compiled-templates folder and instance folder, both
made afresh for the run. ``PYTHONDONTWRITEBYTECODE`` is removed from the processes'
environment unless ``--no-bytecode`` is given, so both trees read their modules' ``.pyc``
files (written by the first round) as a fresh clone's CI does; the median of the rounds
after the first is reported.

``--bytecode DIR`` measures what ``PYTHONDONTWRITEBYTECODE=1`` costs instead: "before" is
DIR (a copy of this tree without ``__pycache__`` folders) with the variable set, so each
start compiles the project's modules from their source, "after" this tree without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COMMANDS = {
    "web": ["-c", "import wsgi"],
    "cli": ["-m", "flask", "--app", "consult", "routes"],
}


def cpu_seconds(tree: Path, argv: list[str], env: dict[str, str]) -> float:
    """One process in ``tree``: its user + system CPU seconds (it must exit 0)."""
    process = subprocess.Popen(
        [str(tree / ".venv" / "bin" / "python"), *argv],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    errors = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{tree}: {' '.join(argv)} failed:\n{errors.decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime


def environment(no_bytecode: bool) -> dict[str, str]:
    """This process's environment for one tree: its own instance and templates folders."""
    env = {**os.environ, "PYTHONPATH": ".", "OMP_NUM_THREADS": "1"}
    env["CONSULT_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="ci33-instance-")
    env["CONSULT_COMPILED_TEMPLATES_FOLDER"] = tempfile.mkdtemp(prefix="ci33-templates-")
    if no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--compare", type=Path, help="the other checkout")
    which.add_argument("--bytecode", type=Path, help="a copy of this tree, run without .pyc")
    parser.add_argument("--rounds", type=int, default=5, help="rounds measured (plus one)")
    parser.add_argument("--no-bytecode", action="store_true", help="PYTHONDONTWRITEBYTECODE=1")
    args = parser.parse_args(argv)
    if args.bytecode:
        trees = {"before": args.bytecode.resolve(), "after": HERE}
        envs = {"before": environment(True), "after": environment(False)}
    else:
        trees = {"before": args.compare.resolve(), "after": HERE}
        envs = {name: environment(args.no_bytecode) for name in trees}
    seconds: dict[tuple[str, str], list[float]] = {}
    for index in range(args.rounds + 1):
        order = list(trees) if index % 2 == 0 else list(reversed(trees))
        for command, command_argv in COMMANDS.items():
            for name in order:
                spent = cpu_seconds(trees[name], command_argv, envs[name])
                if index:  # the first round writes .pyc files and compiled templates
                    seconds.setdefault((command, name), []).append(spent)
                print(f"round {index} {command} {name} {spent:.3f} load {os.getloadavg()[0]:.1f}")
    for command in COMMANDS:
        before = statistics.median(seconds[(command, "before")])
        after = statistics.median(seconds[(command, "after")])
        print(f"{command}: before {before:.3f} after {after:.3f} ratio {after / before:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
