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
    from .demo import DEMO_SLUG, database_is_empty, load_demo
    from .extensions import db
    from .models import Consultation

    if if_empty and not database_is_empty():
        click.echo("Demo: the database already has consultations; nothing loaded.")
        return
    if db.session.scalar(db.select(Consultation.id).where(Consultation.slug == DEMO_SLUG)):
        raise click.UsageError(
            f"the demo is already loaded (a consultation at /c/{DEMO_SLUG}); nothing loaded. "
            "Load it into an empty database, or delete that consultation first."
        )
    summary = load_demo(responses=responses, seed=seed)
    click.echo(
        f"Demo: loaded '{summary.title}' with {summary.organisations} organisations and "
        f"{summary.submitted} synthetic submitted responses ({summary.drafts} drafts)."
    )
    if summary.taken:
        shown = ", ".join(f"'{name}'" for name in summary.taken[:5])
        more = f" and {len(summary.taken) - 5} more" if len(summary.taken) > 5 else ""
        click.echo(
            f"Demo: {len(summary.taken)} of the demo's organisation names were already taken "
            f"by organisations in the database, which were left as they were; the demo's "
            f"organisations took other names instead of {shown}{more}."
        )


@demo_cli.command("links")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
def demo_links(base_url: str) -> None:
    """Print the demo's start page and a fresh invitation link for an organisation."""
    from .demo import DEMO_SLUG, fresh_demo_invitation
    from .extensions import db
    from .models import Consultation

    links = fresh_demo_invitation()
    if links is None:
        loaded = db.session.scalar(db.select(Consultation.id).where(Consultation.slug == DEMO_SLUG))
        if loaded is None:
            click.echo("Demo: no demo consultation found; run 'flask --app consult demo load'.")
        else:
            click.echo(
                f"Demo: every demo organisation has answered, so there is no invitation link "
                f"to give. The open link still works: {base_url}/c/{DEMO_SLUG}"
            )
        return
    start_path, invitation_path, organisation = links
    click.echo("")
    click.echo(f"  Open link (anyone):         {base_url}{start_path}")
    click.echo(f"  Invitation for {organisation}: {base_url}{invitation_path}")
    click.echo("")


users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="The user's email address (their sign-in name).")
@click.option("--role", required=True, type=click.Choice(["admin", "editor", "analyst", "viewer"]))
@click.option("--name", default="", help="Their name.")
@click.option("--password", default=None, help="At least 12 characters (asked for if omitted).")
def users_create(email: str, role: str, name: str, password: str | None) -> None:
    """Create a staff user."""
    from . import audit
    from .extensions import db
    from .staff.accounts import create_user

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, role, password, name)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    audit.record("user_created", user.email, actor="flask users create", role=role)
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")


@users_cli.command("set-role")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "editor", "analyst", "viewer"]))
def users_set_role(email: str, role: str) -> None:
    """Change a staff user's role."""
    from sqlalchemy import select

    from . import audit
    from .extensions import db
    from .models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.UsageError(f"no user with email {email}")
    audit.record("role_changed", user.email, actor="flask users set-role", old=user.role, new=role)
    user.role = role
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")


@users_cli.command("sign-out")
@click.option("--email", required=True)
def users_sign_out(email: str) -> None:
    """End every session of a staff user on every device (a lost laptop, a leaver)."""
    from sqlalchemy import select

    from . import audit
    from .extensions import db
    from .models import User
    from .sessions import revoke_user

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.UsageError(f"no user with email {email}")
    ended = revoke_user(user.id)
    audit.record("signed_out_everywhere", user.email, actor="flask users sign-out", ended=ended)
    db.session.commit()
    click.echo(f"{user.email}: {ended} sessions ended.")


@demo_cli.command("admin")
@click.option("--email", default="admin@example.org", show_default=True)
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
def demo_admin(email: str, base_url: str) -> None:
    """Create the demo admin (or give it a new password) and print the credentials."""
    from sqlalchemy import select

    from . import audit
    from .extensions import db
    from .models import User
    from .staff.accounts import create_user, hash_password, new_password

    password = new_password()
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        create_user(email, "admin", password, "Demo admin")
        audit.record("user_created", email, actor="flask demo admin", role="admin")
    else:
        user.password_hash = hash_password(password)
        user.active = True
    db.session.commit()
    click.echo(
        f"  Staff sign-in:              {base_url}/staff/sign-in  as {email}  password {password}"
    )


@click.command("purge")
@click.option(
    "--mode",
    type=click.Choice(["anonymise", "delete"]),
    default="anonymise",
    show_default=True,
    help="Anonymise (keep closed answers) or delete responses.",
)
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@click.option(
    "--empty-draft-days",
    type=click.IntRange(min=1),
    default=None,
    help="Delete drafts with nothing written in them untouched for this many days "
    "(default: the EMPTY_DRAFT_DAYS setting).",
)
@click.option(
    "--outbox-days",
    type=click.IntRange(min=1),
    default=None,
    help="Delete invitation batches, mail-merge CSVs and kept emails in instance/outbox "
    "older than this many days (default: the OUTBOX_DAYS setting).",
)
def purge_command(
    mode: str, dry_run: bool, empty_draft_days: int | None, outbox_days: int | None
) -> None:
    """Delete or anonymise responses past their consultation's retention period, and delete
    abandoned empty drafts, old outbox files holding invitation links and expired browser
    sessions."""
    from flask import current_app

    from .retention import purge

    if empty_draft_days is None:
        empty_draft_days = current_app.config.get("EMPTY_DRAFT_DAYS")
    if outbox_days is None:
        outbox_days = current_app.config.get("OUTBOX_DAYS")
    results = purge(mode=mode, dry_run=dry_run, empty_draft_days=empty_draft_days)
    if not results:
        click.echo("Nothing is past its retention period and there are no abandoned drafts.")
    verb = "would be" if dry_run else "were"
    for result in results:
        if result.empty_drafts:
            click.echo(
                f"{result.consultation}: {result.responses} empty drafts untouched for "
                f"{empty_draft_days} days {verb} deleted."
            )
        else:
            click.echo(f"{result.consultation}: {result.responses} responses {verb} {mode}d.")
    if outbox_days is not None:
        _clean_outbox(outbox_days, dry_run)
    if not dry_run:
        from .sessions import purge_expired

        click.echo(f"{purge_expired()} expired browser sessions were deleted.")


def _clean_outbox(days: int, dry_run: bool) -> None:
    """``flask purge``'s outbox step: delete (or list) the old files holding links."""
    from pathlib import Path

    from flask import current_app

    from .retention import clean_outbox

    files = clean_outbox(Path(current_app.instance_path) / "outbox", days, dry_run)
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{len(files)} outbox {'file' if len(files) == 1 else 'files'} holding invitation "
        f"links (batches, mail-merge CSVs, kept emails) older than {days} days {verb} deleted."
    )


def register_commands(app: Flask) -> None:
    """Attach the project's commands to ``flask``."""
    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(purge_command)
    from .reports.cli import reports_cli, worker_command

    app.cli.add_command(reports_cli)
    app.cli.add_command(worker_command)
