"""Flask commands: ``flask --app consult demo load|links``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Load the demo consultation and print links into it.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only load when there are no consultations yet.")
@click.option("--responses", default=300, show_default=True, help="Synthetic responses to add.")
@click.option("--seed", default=2026, show_default=True, help="Random seed for the generator.")
def demo_load(if_empty: bool, responses: int, seed: int) -> None:
    """Load the Trailblazer Devolution Deal demo consultation and synthetic responses."""
    from .demo import database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("Demo: the database already has consultations; nothing loaded.")
        return
    summary = load_demo(responses=responses, seed=seed)
    click.echo(
        f"Demo: loaded '{summary.title}' with {summary.organisations} organisations and "
        f"{summary.submitted} synthetic submitted responses ({summary.drafts} drafts)."
    )


@demo_cli.command("links")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
def demo_links(base_url: str) -> None:
    """Print the demo's start page and a fresh invitation link for an organisation."""
    from .demo import fresh_demo_invitation

    links = fresh_demo_invitation()
    if links is None:
        click.echo("Demo: no demo consultation found; run 'flask --app consult demo load'.")
        return
    start_path, invitation_path, organisation = links
    click.echo("")
    click.echo(f"  Open link (anyone):         {base_url}{start_path}")
    click.echo(f"  Invitation for {organisation}: {base_url}{invitation_path}")
    click.echo("")


def register_commands(app: Flask) -> None:
    """Attach the project's commands to ``flask``."""
    app.cli.add_command(demo_cli)
