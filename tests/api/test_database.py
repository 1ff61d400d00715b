"""Migrations: idempotent, reversible, and the schema they make matches the stored models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from apitest_support import downgrade_to_base
from sqlalchemy import inspect

from api.database import MIGRATIONS, Database
from api.tables import Base


def test_migrations_are_idempotent_and_reversible(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()
    database.migrate()
    tables = set(inspect(database.engine).get_table_names())
    assert {"api_keys", "programmes", "credentials", "recognitions", "decisions"} <= tables
    downgrade_to_base(database)
    assert set(inspect(database.engine).get_table_names()) == {"alembic_version"}
    database.migrate()
    database.dispose()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    database.dispose()
    assert differences == []


def test_migration_files_are_where_the_package_data_expects_them() -> None:
    assert (MIGRATIONS / "alembic.ini").is_file()
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert list((MIGRATIONS / "versions").glob("0001_*.py"))


def test_no_service_code_can_lift_the_append_only_triggers() -> None:
    """Only the migrations' downgrades drop the triggers, and only tests run those."""
    assert not hasattr(Database, "downgrade_to_base")
    root = MIGRATIONS.parents[1]
    for folder in ("api", "cli"):
        for path in (root / folder).rglob("*.py"):
            if MIGRATIONS in path.parents:
                continue
            source = path.read_text()
            assert "downgrade" not in source and "DROP TRIGGER" not in source.upper(), path
