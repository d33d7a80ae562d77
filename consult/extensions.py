"""Flask extensions, created here and bound to the app in :func:`consult.create_app`."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .migrating import LazyMigrate

# Named constraints so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# Flask-Migrate (and Alembic) imported only when a migration runs: consult/migrating.py.
migrate = LazyMigrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()


def execute(statement, parameters=None):
    """Run a Core statement (on tables, not ORM classes) in the request's database session:
    on the session's own connection and transaction, like ``db.session.execute``, without
    the ORM's per-statement work (a plain statement needs none: nothing to flush first,
    no objects to load). About half the cost of a small query on the hot pages."""
    return db.session.connection().execute(statement, parameters)


def use_write_ahead_log(dbapi_connection, _record) -> None:
    """Put an SQLite database in write-ahead-log mode on connecting.

    The web server, the job worker and long exports then read while another process writes,
    instead of waiting for its lock (the embedded default has two processes: web and worker).
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()
