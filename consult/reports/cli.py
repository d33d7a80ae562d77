"""Commands: ``flask reports run|export`` (a contract for scripts) and ``flask worker``.

Bad arguments exit with status 2 and one line on stderr; a run that fails exits with 1.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from ..edge import bounded_int
from ..extensions import db
from ..models import Consultation
from .models import AnalysisRun


class OneLineError(click.ClickException):
    """A usage error shown as one line (``Error: ...``) with exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


class OneLineCommand(click.Command):
    """A command whose argument errors are one line, not click's usage block."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise OneLineError(error.format_message()) from None


reports_cli = AppGroup("reports", help="Run theme analyses and export their reports.")


@reports_cli.command("run", cls=OneLineCommand)
@click.option("--consultation", "slug", help="The consultation's slug.")
@click.option("--question", "number", help="The question's number as partners see it (Q7: 7).")
@click.option("--themes", default="auto", show_default=True, help="'auto' or a number.")
@click.option("--engine", default="auto", show_default=True, help="auto, fast or semantic.")
@click.option("--seed", default="0", show_default=True, help="Random seed (a whole number).")
@click.option(
    "--segments",
    default="partner_type",
    show_default=True,
    help="Comma-separated: partner_type, area, size_band.",
)
@click.option(
    "--side-margin",
    default="",
    help="0 to 1, or 'off': how much less similar a theme on an answer's own side may be "
    "for the answer to move there (agreement 'why' questions; default "
    "analysis.flags.SIDE_MARGIN, recorded in the run).",
)
@click.option(
    "--wait",
    is_flag=True,
    help="Wait until the run has finished (running it here if no worker is running).",
)
def run_command(
    slug: str | None,
    number: str | None,
    themes: str,
    engine: str,
    seed: str,
    segments: str,
    side_margin: str,
    wait: bool,
) -> None:
    """Start an analysis of one free-text question; prints the run id on the last line."""
    from .runs import RunError, question_by_number, start_run

    if not slug:
        raise OneLineError("--consultation SLUG is required.")
    if not number:
        raise OneLineError("--question N is required.")
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if consultation is None:
        raise OneLineError(f"No consultation with the slug '{slug}'.")
    try:
        question_number = int(number)
    except ValueError:
        raise OneLineError(f"--question must be a question number, not '{number}'.") from None
    try:
        question = question_by_number(consultation, question_number)
        run = start_run(
            consultation,
            question,
            {
                "engine": engine,
                "n_themes": themes,
                "seed": seed,
                "segments": segments,
                "side_margin": side_margin,
            },
            actor="flask reports run",
        )
    except RunError as error:
        raise OneLineError(str(error)) from None
    run_id = run.id
    if not wait:
        click.echo(f"Queued run {run_id}; a worker will run it.", err=True)
        click.echo(run_id)
        return
    status, error = wait_for_run(run_id)
    if status == "failed":
        click.echo(f"Run {run_id} failed: {error}", err=True)
        click.echo(run_id)
        sys.exit(1)
    click.echo(f"Run {run_id} finished.", err=True)
    click.echo(run_id)


def wait_for_run(run_id: int, poll: float = 0.5) -> tuple[str, str | None]:
    """Wait until the run has finished. When no worker has been seen lately and the run is
    still queued, run it in this process instead (saying so on stderr)."""
    from .jobs import run_job
    from .runs import sweep_stale_runs, worker_status

    last_stage = None
    last_sweep = time.monotonic()
    while True:
        db.session.expire_all()
        run = db.session.get(AnalysisRun, run_id)
        if run is None:
            return "failed", "the run was deleted"
        if run.finished:
            return run.status, run.error
        if run.stage and run.stage != last_stage:
            click.echo(f"  {run.stage} ({run.stage_done}/{run.stage_total})", err=True)
            last_stage = run.stage
        if run.status == "queued" and not worker_status().alive:
            click.echo(
                "No background worker is running: running the analysis in this process.",
                err=True,
            )
            db.session.commit()
            run_job(run_id)
            continue
        if time.monotonic() - last_sweep > current_app.config["WORKER_HEARTBEAT_SECONDS"]:
            sweep_stale_runs()
            last_sweep = time.monotonic()
        db.session.commit()
        time.sleep(poll)


DOCUMENTS = {
    "docx": "run_docx",
    "xlsx": "run_xlsx",
    "csv": "run_coding_csv",
}


@reports_cli.command("export", cls=OneLineCommand)
@click.option("--run", "run_id", help="The run's id (printed by 'flask reports run').")
@click.option("--format", "fmt", help="docx, xlsx or csv (per-response coding).")
@click.option("--out", "out", help="The file to write.")
def export_command(run_id: str | None, fmt: str | None, out: str | None) -> None:
    """Write a run's report (Word or Excel) or its per-response coding (CSV) to a file."""
    from .. import audit

    if not run_id:
        raise OneLineError("--run ID is required.")
    if fmt not in DOCUMENTS:
        raise OneLineError(f"--format must be docx, xlsx or csv, not '{fmt or ''}'.")
    if not out:
        raise OneLineError("--out FILE is required.")
    number = bounded_int(run_id, None)
    if number is None:
        raise OneLineError(f"--run must be a run id (a number), not '{run_id}'.")
    run = db.session.get(AnalysisRun, number)
    if run is None:
        raise OneLineError(f"No run with id {run_id}.")
    if run.status != "succeeded":
        raise OneLineError(f"Run {run_id} has no results to export (it is {run.status}).")
    target = Path(out)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OneLineError(f"Cannot write {out}: it is a folder.")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise OneLineError(f"Cannot write {out}: the folder does not exist or is not writable.")
    from . import documents

    content = getattr(documents, DOCUMENTS[fmt])(run)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OneLineError(f"Cannot write {out}: {error.strerror}.") from None
    audit.record("analysis_exported", f"run {run.id}", actor="flask reports export", format=fmt)
    db.session.commit()
    click.echo(f"Wrote {target} ({len(content):,} bytes).", err=True)


@click.command("worker", cls=OneLineCommand)
@click.option(
    "--threads",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs run at once by this worker (each analysis uses its own threads too).",
)
@with_appcontext
def worker_command(threads: int) -> None:
    """Run a background worker for analyses (Ctrl+C stops it after its current job)."""
    from ..logs import make_handler
    from .worker import Worker

    app = current_app._get_current_object()
    # huey's messages in the app's LOG_FORMAT (plain, or JSON lines), like the app's own.
    logging.basicConfig(
        level=logging.INFO,
        handlers=[make_handler(str(app.config["LOG_FORMAT"]).lower())],
        force=True,
    )
    Worker(app, workers=threads).run()
