"""Migrations: idempotent, reversible, and the schema they make matches the stored models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from apitest_support import downgrade_to_base
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from api.database import MIGRATIONS, Database, alembic_config
from api.examples import CREDENTIAL, PROGRAMME
from api.store import Store
from api.tables import Base
from recognition_engine.domain import MicroCredential, Programme

REQUESTED_BY = text("SELECT id, requested_by FROM recognitions")


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


def test_upgrade_from_0001_keeps_the_data(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    check_upgrade_from_0001(database)
    database.dispose()


def check_upgrade_from_0001(database: Database) -> None:
    """Data stored at 0001 survives the upgrade to head and the way back (also on PostgreSQL,
    from test_postgres); the database is left at 0001."""
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    then = "2025-01-01 00:00:00.000000"
    rows = {
        "api_keys (id, name, role, key_hash, created_at)": [
            ("k1", "intake office", "screening", "h1", then),
            ("k2", "twin", "screening", "h2", then),
            ("k3", "twin", "screening", "h3", then),
        ],
        "programmes (id, version, payload, created_at, updated_at)": [
            (PROGRAMME["id"], 3, json.dumps(PROGRAMME), then, then),
        ],
        "credentials (id, payload, submitted_by, created_at)": [
            ("c1", json.dumps(CREDENTIAL), "k1", then),
        ],
        "recognitions (id, programme_id, programme_version, credential_ids, proposal,"
        " requested_by, created_at)": [
            ("r1", PROGRAMME["id"], 3, '["c1"]', "{}", "intake office", then),
            ("r2", PROGRAMME["id"], 3, '["c1"]', "{}", "twin", then),  # two keys: as it was
        ],
    }
    with database.engine.begin() as connection:
        for table, values in rows.items():
            for row in values:
                placeholders = ", ".join(f":v{i}" for i in range(len(row)))
                connection.execute(
                    text(f"INSERT INTO {table} VALUES ({placeholders})"),
                    {f"v{i}": value for i, value in enumerate(row)},
                )

    database.migrate()
    programme, version = Store(database).programme(PROGRAMME["id"])
    assert version == 3 and programme == Programme.model_validate(PROGRAMME)
    with database.engine.connect() as connection:
        requested = dict(connection.execute(REQUESTED_BY).all())
        fingerprint = connection.scalar(text("SELECT fingerprint FROM credentials"))
    assert requested == {"r1": "k1", "r2": "twin"}
    assert fingerprint == MicroCredential.model_validate(CREDENTIAL).content_fingerprint()
    with pytest.raises(DatabaseError, match="append-only"), database.engine.begin() as conn:
        conn.execute(text("UPDATE recognitions SET requested_by = 'forged'"))

    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    with database.engine.connect() as connection:
        requested = dict(connection.execute(REQUESTED_BY).all())
        payload = connection.scalar(text("SELECT payload FROM programmes"))
    assert requested == {"r1": "intake office", "r2": "twin"}
    assert (json.loads(payload) if isinstance(payload, str) else payload) == PROGRAMME
