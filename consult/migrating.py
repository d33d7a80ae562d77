"""Flask-Migrate, bound to each app without importing it (or Alembic) until a migration runs.

Importing ``flask_migrate`` imports Alembic, its dialects and Mako (with Pygments): about
0.11 CPU seconds, a tenth of :func:`consult.create_app`, paid by every gunicorn worker, job
worker and ``flask`` command although only ``flask db ...`` and an upgrade before serving
use it (BENCHMARKS.md "ci33"). :class:`LazyMigrate` stands where ``flask_migrate.Migrate``
stood and does what its ``init_app`` does, lazily:

- ``app.extensions["migrate"]`` holds a :class:`MigrateConfig` with the attributes that
  Flask-Migrate's functions (``upgrade``, ``downgrade``, ...) and ``migrations/env.py``
  read: ``db``, ``directory``, ``configure_args``, ``metadata`` and ``migrate``, the real
  ``flask_migrate.Migrate``, made on first use;
- the ``flask db`` command group is a :class:`LazyCommandGroup`, which imports
  ``flask_migrate.cli`` when the command is run (``flask --help`` lists it from its own
  help text).
"""

from __future__ import annotations

import importlib
from typing import Any

import click
from flask import Flask

DB_HELP = "Perform database migrations."  # flask_migrate.cli.db's own help


class MigrateConfig:
    """What ``app.extensions["migrate"]`` is to Flask-Migrate and ``migrations/env.py``
    (``flask_migrate._MigrateConfig``'s attributes), with ``migrate`` made when first read."""

    def __init__(self, db: Any, directory: str, configure_args: dict[str, Any]) -> None:
        self.db = db
        self.directory = directory
        self.configure_args = dict(configure_args)
        self._migrate: Any = None

    @property
    def migrate(self) -> Any:
        """The ``flask_migrate.Migrate`` for this app's database and folder (imported now)."""
        if self._migrate is None:
            from flask_migrate import Migrate

            self._migrate = Migrate(db=self.db, directory=self.directory, **self.configure_args)
        return self._migrate

    @property
    def metadata(self) -> Any:
        return self.db.metadata


class LazyCommandGroup(click.Group):
    """A click command group that imports the real one (``module:attribute``) only when it is
    run or its help asked for: the parent hands the arguments to :meth:`make_context`, which
    returns the real group's context, and click runs ``context.command``."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name=name, help=help)
        self.target = target

    def real(self) -> click.Command:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[override]
        return self.real().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self.real().list_commands(ctx)  # type: ignore[attr-defined]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.real().get_command(ctx, name)  # type: ignore[attr-defined]


class LazyMigrate:
    """``flask_migrate.Migrate(**configure_args)``'s ``init_app``, without the import (see the
    module's docstring)."""

    def __init__(self, command: str = "db", **configure_args: Any) -> None:
        self.command = command
        self.configure_args = configure_args

    def init_app(self, app: Flask, db: Any, directory: str) -> None:
        app.extensions["migrate"] = MigrateConfig(db, str(directory), self.configure_args)
        app.cli.add_command(
            LazyCommandGroup(self.command, "flask_migrate.cli:db", DB_HELP), name=self.command
        )
