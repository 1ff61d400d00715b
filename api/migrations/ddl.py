"""The DDL that several migrations run: the triggers that make a table append-only.

Frozen: released migrations call these functions, and deployed databases have run what they
emitted. A function here must never change the SQL it emits, not even its spelling; a table
that needs another shape of trigger gets a new function, and the migration that wants it calls
that one.

Only SQLite and PostgreSQL are supported.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op


def refuse_changes(table: str) -> None:
    """Make ``table`` refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) in the schema itself."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_refuse_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} are append-only'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_refuse_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_change()"
        )
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"no append-only triggers for {dialect}")


def allow_changes(table: str) -> None:
    """Drop what :func:`refuse_changes` made, if it is there."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_{event}")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_change ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_refuse_change()")


def refuse_replace(table: str, key: Sequence[str]) -> None:
    """Make an SQLite ``table`` refuse an insert whose primary key ``key`` is taken.

    SQLite resolves a REPLACE by deleting the row in the way without firing the DELETE trigger
    (unless the connection turns ``recursive_triggers`` on). Call it on SQLite only: PostgreSQL
    has no REPLACE, and its row-level UPDATE trigger already refuses an upsert.
    """
    taken = " AND ".join(f"{column} = NEW.{column}" for column in key)
    op.execute(
        f"CREATE TRIGGER {table}_refuse_replace BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {taken}) "
        f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
    )


def allow_replace(table: str) -> None:
    """Drop what :func:`refuse_replace` made, if it is there (SQLite only)."""
    op.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_replace")
