"""Flask-Migrate bound lazily (consult/migrating.py): no Alembic at start, migrations as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import inspect, text

from consult import create_app
from consult.extensions import db
from consult.migrating import MigrateConfig

ROOT = Path(__file__).resolve().parent.parent


def test_building_the_app_imports_neither_alembic_nor_email_validator(tmp_path):
    code = (
        "import sys; from consult import create_app; create_app(); "
        "print(sorted(m for m in ('alembic', 'flask_migrate', 'mako', 'email_validator') "
        "if m in sys.modules))"
    )
    env = {**os.environ, "CONSULT_INSTANCE_PATH": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_db_commands_and_upgrade_work_through_the_lazy_binding(tmp_path):
    settings = {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite'}"}
    app = create_app(settings)
    config = app.extensions["migrate"]
    assert isinstance(config, MigrateConfig)
    assert config.directory == str(ROOT / "migrations")
    assert config.configure_args == {"render_as_batch": True, "compare_type": True}
    runner = app.test_cli_runner()
    assert "Perform database migrations." in runner.invoke(args=["--help"]).output
    assert runner.invoke(args=["db", "heads"]).exit_code == 0
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0  # `flask db upgrade`
    with app.app_context():
        assert "consultation" in inspect(db.engine).get_table_names()
        db.drop_all()
        db.session.execute(text("DROP TABLE alembic_version"))
        db.session.commit()
        upgrade()  # flask_migrate's function, as the tests and benches call it
        assert "consultation" in inspect(db.engine).get_table_names()
        db.engine.dispose()
    unknown = runner.invoke(args=["db", "nosuch"])
    assert unknown.exit_code == 2
    assert "No such command" in unknown.output
