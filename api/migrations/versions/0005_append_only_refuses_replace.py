"""Append-only tables refuse REPLACE and INSERT OR REPLACE as well as UPDATE and DELETE.

SQLite resolves a REPLACE conflict by deleting the row in the way, and fires no DELETE
trigger for that unless ``recursive_triggers`` is on, a setting of each connection that any
client can leave off: a REPLACE on an existing id rewrote history past the triggers of 0001
and 0002. Here a BEFORE INSERT trigger refuses any insert whose primary key is taken, in the
schema itself, whatever the connection. (A plain INSERT on a taken key failed already; it now
fails with the append-only message.)

PostgreSQL has no REPLACE; ``INSERT ... ON CONFLICT DO UPDATE`` and ``MERGE`` update the row
in the way, which the row-level BEFORE UPDATE trigger of 0001 and 0002 already refuses
(``tests/api/test_attacks_state.py`` shows it on both).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from alembic import op

from api.migrations.ddl import allow_replace, refuse_replace

revision: str = "0005"
down_revision: str | None = "0004"

# Each append-only table and the columns of its primary key.
APPEND_ONLY = {
    "recognitions": ("id",),
    "decisions": ("id",),
    "programme_versions": ("programme_id", "version"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, key in APPEND_ONLY.items():
        refuse_replace(table, key)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in APPEND_ONLY:
        allow_replace(table)
