"""Server-side workbench sessions, and idempotency keys scoped to the key's owner.

* ``web_sessions``: one row per workbench session, found by the SHA-256 of the random id its
  cookie carries; signing out, revoking the key and expiry remove it.
* ``idempotency_keys``: scoped to the id of the API key that sent the request (``key_id``)
  instead of the key's hash, which is no longer copied into a second table; ``locked_until``
  lets the retry of a request whose server died take it over. Rows whose key is unknown are
  dropped (nobody can send them again).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"

SCRATCH = "idempotency_keys_rebuilt"
COPIED = "idempotency_key, request_hash, status, headers, body, created_at, expires_at"


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("key_id", sa.String(32), sa.ForeignKey("api_keys.id"), nullable=True),
        sa.Column("lang", sa.String(5), nullable=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        _when("created_at"),
        _when("last_seen_at"),
        _when("expires_at"),
    )
    for column in ("key_id", "last_seen_at", "expires_at"):
        op.create_index(f"ix_web_sessions_{column}", "web_sessions", [column])
    _rebuild_idempotency_keys(
        owner=sa.Column("key_id", sa.String(32), nullable=False),
        extra=[_when("locked_until", nullable=True)],
        # a row left in progress before this revision may be taken over by its retry at once
        copy=f"INSERT INTO {SCRATCH} (key_id, {COPIED}, locked_until) "
        f"SELECT k.id, {_prefixed('i')}, "
        "CASE WHEN i.status IS NULL THEN i.created_at END FROM idempotency_keys i "
        "JOIN api_keys k ON k.key_hash = i.key_hash",
    )


def downgrade() -> None:
    _rebuild_idempotency_keys(
        owner=sa.Column("key_hash", sa.String(64), nullable=False),
        extra=[],
        copy=f"INSERT INTO {SCRATCH} (key_hash, {COPIED}) "
        f"SELECT k.key_hash, {_prefixed('i')} FROM idempotency_keys i "
        "JOIN api_keys k ON k.id = i.key_id",
    )
    op.drop_table("web_sessions")


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{name.strip()}" for name in COPIED.split(","))


def _rebuild_idempotency_keys(owner: sa.Column, extra: list[sa.Column], copy: str) -> None:
    """Re-make the table with another owner column (a primary key column: SQLite cannot alter
    one in place), carrying the rows over."""
    owner_name = owner.name
    op.create_table(
        SCRATCH,
        owner,
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer, nullable=True),
        sa.Column("headers", sa.JSON, nullable=True),
        sa.Column("body", sa.LargeBinary, nullable=True),
        _when("created_at"),
        _when("expires_at"),
        *extra,
        sa.PrimaryKeyConstraint(owner_name, "idempotency_key", name=f"{SCRATCH}_pkey"),
    )
    op.execute(copy)
    op.drop_index("ix_idempotency_keys_expires_at", "idempotency_keys")
    op.drop_table("idempotency_keys")
    op.rename_table(SCRATCH, "idempotency_keys")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE idempotency_keys RENAME CONSTRAINT {SCRATCH}_pkey "
            "TO idempotency_keys_pkey"
        )
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])
