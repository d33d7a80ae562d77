"""The command-line contract: ``flask --app consult reports run|export`` and ``worker``.

Bad arguments exit 2 with one line on stderr; ``run --wait`` prints the run id on its last
line, running the job in the command's own process when no worker is running.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.flags import SIDE_MARGIN
from consult.demo import DEMO_SLUG
from consult.extensions import db
from consult.reports import runs
from consult.reports.jobs import run_job
from consult.reports.models import AnalysisRun
from tests.reports_helpers import ROOT, demo, question_numbered, worker_environment


def flask(app, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m flask --app consult ...`` on the test's database, as a script would."""
    env = worker_environment(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    env["CONSULT_JOBS_QUEUE_NAME"] = "cli-test"
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "consult", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def one_line_error(result, message: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and message in lines[0], lines[0]


def test_run_wait_without_a_worker_runs_here_and_prints_the_run_id(app):
    consultation = demo(80)
    number, question = question_numbered(consultation, "How should the combined authority")
    assert number == 3
    db.session.commit()

    done = flask(
        app,
        "reports", "run", "--consultation", DEMO_SLUG, "--question", str(number),
        "--themes", "5", "--engine", "fast", "--seed", "2", "--wait",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    run_id = int(done.stdout.strip().splitlines()[-1])
    assert "No background worker is running: running the analysis in this process." in (done.stderr)
    db.session.expire_all()
    run = db.session.get(AnalysisRun, run_id)
    assert run.status == "succeeded" and run.question_id == question.id
    assert run.settings == {
        "engine": "fast",
        "n_themes": 5,
        "seed": 2,
        "segments": ["partner_type"],
        "side_margin": SIDE_MARGIN,
    }
    assert len(run.themes) == 5 and run.started_by_email == "flask reports run"


def test_run_without_wait_queues_and_prints_the_id(app):
    consultation = demo(30)
    number, _ = question_numbered(consultation, "Why do you say that?")
    result = invoke(app, "reports", "run", "--consultation", DEMO_SLUG, "--question", str(number))
    assert result.exit_code == 0, result.output
    run = db.session.get(AnalysisRun, int(result.stdout.strip().splitlines()[-1]))
    assert run.status == "queued" and run.job_id


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--consultation", "nope", "--question", "3"], "No consultation with the slug 'nope'."),
        (["--question", "3"], "--consultation SLUG is required."),
        (["--consultation", DEMO_SLUG], "--question N is required."),
        (["--consultation", DEMO_SLUG, "--question", "99"], "Question 99 does not exist"),
        (["--consultation", DEMO_SLUG, "--question", "0"], "Question 0 does not exist"),
        (["--consultation", DEMO_SLUG, "--question", "x"], "must be a question number"),
        (["--consultation", DEMO_SLUG, "--question", "1"], "is not a free-text question"),
        (["--consultation", DEMO_SLUG, "--question", "3", "--themes", "many"], "'auto' or a"),
        (["--consultation", DEMO_SLUG, "--question", "3", "--themes", "1"], "between 2 and 60"),
        (["--consultation", DEMO_SLUG, "--question", "3", "--engine", "gpt"], "Unknown engine"),
        (["--consultation", DEMO_SLUG, "--question", "3", "--seed", "-1"], "The seed must be"),
        (
            ["--consultation", DEMO_SLUG, "--question", "3", "--side-margin", "2"],
            "The side margin must be a number from 0 to 1, or 'off', not '2'.",
        ),
        (["--consultation", DEMO_SLUG, "--question", "3", "--bogus"], "No such option '--bogus'"),
    ],
)
def test_run_rejects_bad_arguments_in_one_line(app, args, message):
    demo(5)
    one_line_error(invoke(app, "reports", "run", *args), message)
    assert db.session.query(AnalysisRun).count() == 0


def test_export_rejects_bad_arguments_in_one_line(app, tmp_path):
    consultation = demo(40)
    _, question = question_numbered(consultation, "How should the combined authority")
    run = runs.start_run(consultation, question, {"engine": "fast"})
    queued = runs.start_run(consultation, question, {"engine": "fast"})
    run_job(run.id)
    out = str(tmp_path / "report.docx")
    cases = [
        (["--run", "999", "--format", "docx", "--out", out], "No run with id 999."),
        (["--run", "abc", "--format", "docx", "--out", out], "must be a run id"),
        (["--run", "²", "--format", "docx", "--out", out], "must be a run id"),
        (["--run", "9" * 25, "--format", "docx", "--out", out], "must be a run id"),
        ([str(run.id)], "unexpected extra argument"),
        (["--run", str(run.id), "--format", "pdf", "--out", out], "docx, xlsx or csv, not 'pdf'"),
        (["--run", str(run.id), "--format", "docx"], "--out FILE is required."),
        (["--format", "docx", "--out", out], "--run ID is required."),
        (
            ["--run", str(run.id), "--format", "csv", "--out", "/no/such/folder/x.csv"],
            "Cannot write /no/such/folder/x.csv",
        ),
        (["--run", str(run.id), "--format", "xlsx", "--out", str(tmp_path)], "it is a folder"),
        (["--run", str(queued.id), "--format", "docx", "--out", out], "it is queued"),
    ]
    for args, message in cases:
        one_line_error(invoke(app, "reports", "export", *args), message)
    assert not (tmp_path / "report.docx").exists()


def test_export_writes_each_format_as_a_file_that_opens(app, tmp_path):
    import csv
    import io

    import docx
    import openpyxl

    consultation = demo(40)
    _, question = question_numbered(consultation, "How should the combined authority")
    run = runs.start_run(consultation, question, {"engine": "fast"})
    run_job(run.id)
    labels = [theme.label for theme in run.visible_themes]
    for fmt in ("docx", "xlsx", "csv"):
        out = tmp_path / f"report.{fmt}"
        result = invoke(
            app, "reports", "export", "--run", str(run.id), "--format", fmt, "--out", str(out)
        )
        assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(tmp_path / "report.docx").paragraphs)
    assert all(label in text for label in labels)
    book = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert {"Themes", "Coding"} <= set(book.sheetnames)
    rows = list(csv.reader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert len(rows) - 1 == run.input_count


def test_worker_command_is_registered_with_its_help(app):
    result = invoke(app, "worker", "--help")
    assert result.exit_code == 0 and "--threads" in result.output
    one_line_error(invoke(app, "worker", "--threads", "0"), "--threads")
