"""Migrations: idempotent, reversible, and the schema they make matches the stored models."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from apitest_support import assert_append_only, downgrade_to_base
from sqlalchemy import inspect, text

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


# What would lift or step round the triggers: dropping or disabling them (PostgreSQL skips
# every trigger of a session in replica mode), or editing SQLite's schema table in place.
LIFTS_TRIGGERS = ("DROP TRIGGER", "DISABLE TRIGGER", "SESSION_REPLICATION_ROLE", "WRITABLE_SCHEMA")


def test_no_service_code_can_lift_the_append_only_triggers() -> None:
    """Only the migrations' downgrades drop the triggers, and only tests run those."""
    assert not hasattr(Database, "downgrade_to_base")
    root = MIGRATIONS.parents[1]
    sources = [
        path
        for folder in ("api", "cli", "recognition_engine")
        for path in (root / folder).rglob("*.py")
        if MIGRATIONS not in path.parents
    ]
    assert any(path.name == "database.py" for path in sources)  # it looks where the code is
    for path in sources:
        source = path.read_text()
        assert "downgrade" not in source, path
        assert not [words for words in LIFTS_TRIGGERS if words in source.upper()], path


# Each append-only table, a row to put in it and a change of that row.
APPEND_ONLY = {
    "recognitions": (
        "(id, programme_id, programme_version, credential_ids, proposal, requested_by,"
        " created_at) VALUES ('r1', 'p', 1, '[]', '{}', 'k', '2025-01-01')",
        "requested_by = 'forged'",
    ),
    "decisions": (
        "(id, recognition_id, action, reason, key_id, key_name, created_at)"
        " VALUES (1, 'r1', 'reject', 'kept', 'k', 'n', '2025-01-01')",
        "reason = 'forged'",
    ),
    "programme_versions": (
        "(programme_id, version, payload, created_at) VALUES ('p', 1, '{}', '2025-01-01')",
        "payload = '{\"forged\": true}'",
    ),
}


def test_sqlite_refuses_every_way_to_rewrite_an_append_only_row(tmp_path: Path) -> None:
    """REPLACE deletes the row in its way without firing DELETE triggers (unless
    recursive_triggers is on, which no connection need turn on): refused all the same."""
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    database.migrate()
    with database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO programmes VALUES ('p', 1, '2025-01-01', '2025-01-01')"
        ))
        for table, (row, _) in APPEND_ONLY.items():
            connection.execute(text(f"INSERT INTO {table} {row}"))
        assert connection.scalar(text("PRAGMA recursive_triggers")) == 0
    for table, (row, change) in APPEND_ONLY.items():
        assert_append_only(database, (
            f"REPLACE INTO {table} {row}",
            f"INSERT OR REPLACE INTO {table} {row}",
            f"INSERT INTO {table} {row} ON CONFLICT DO UPDATE SET {change}",
            f"UPDATE {table} SET {change}",
            f"UPDATE OR REPLACE {table} SET {change}",
            f"DELETE FROM {table}",
        ))
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT reason FROM decisions")) == "kept"
        assert connection.scalar(text("SELECT requested_by FROM recognitions")) == "k"
    database.dispose()


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
    assert_append_only(database, ["UPDATE recognitions SET requested_by = 'forged'"])

    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    with database.engine.connect() as connection:
        requested = dict(connection.execute(REQUESTED_BY).all())
        payload = connection.scalar(text("SELECT payload FROM programmes"))
    assert requested == {"r1": "intake office", "r2": "twin"}
    assert (json.loads(payload) if isinstance(payload, str) else payload) == PROGRAMME


def test_0006_carries_the_idempotency_keys_over_to_their_key_id(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    then = "2025-01-01 00:00:00.000000"
    later = "2099-01-01 00:00:00.000000"
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
        connection.execute(text(
            f"INSERT INTO api_keys (id, name, role, key_hash, created_at) "
            f"VALUES ('k1', 'intake', 'screening', 'h1', '{then}')"
        ))
        for key_hash, key, status in (("h1", "done", 201), ("h1", "stuck", None),
                                      ("no-such-key", "orphan", 201)):
            connection.execute(
                text("INSERT INTO idempotency_keys (key_hash, idempotency_key, request_hash,"
                     " status, headers, body, created_at, expires_at)"
                     " VALUES (:h, :k, 'r', :s, '{}', x'7b7d', :then, :later)"),
                {"h": key_hash, "k": key, "s": status, "then": then, "later": later},
            )
        command.upgrade(alembic_config(connection), "0006")
        rows = connection.execute(text(
            "SELECT key_id, idempotency_key, status, locked_until IS NOT NULL"
            " FROM idempotency_keys ORDER BY idempotency_key"
        )).all()
        # the answered one kept; the one left in progress may be taken over at once; the one
        # of no key dropped (nobody can send it again)
        assert [tuple(row) for row in rows] == [("k1", "done", 201, 0), ("k1", "stuck", None, 1)]
        command.downgrade(alembic_config(connection), "0005")
        rows = connection.execute(text(
            "SELECT key_hash, idempotency_key FROM idempotency_keys ORDER BY idempotency_key"
        )).all()
        assert [tuple(row) for row in rows] == [("h1", "done"), ("h1", "stuck")]
    database.dispose()
