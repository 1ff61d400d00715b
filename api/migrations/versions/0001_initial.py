"""Initial schema: keys, programmes, credentials, recognitions, append-only decisions, screenings.

Revision ID: 0001
Revises:
Create Date: 2025-11-22
"""

import sqlalchemy as sa
from alembic import op

from api.migrations.ddl import allow_changes, refuse_changes

revision: str = "0001"
down_revision: str | None = None

# The audit trail is append-only: the database itself refuses to change or remove a row.
APPEND_ONLY = ("recognitions", "decisions")


def _when() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _when(),
    )
    op.create_index("ix_api_keys_key_hash", "api_keys", ["key_hash"], unique=True)
    op.create_table(
        "programmes",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        _when(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("submitted_by", sa.String(32), nullable=False),
        _when(),
    )
    op.create_table(
        "recognitions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("programme_id", sa.String(100), nullable=False),
        sa.Column("programme_version", sa.Integer, nullable=False),
        sa.Column("credential_ids", sa.JSON, nullable=False),
        sa.Column("proposal", sa.JSON, nullable=False),
        sa.Column("requested_by", sa.String(32), nullable=False),
        _when(),
    )
    op.create_index("ix_recognitions_programme_id", "recognitions", ["programme_id"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "recognition_id", sa.String(32), sa.ForeignKey("recognitions.id"), nullable=False
        ),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("modules", sa.JSON, nullable=True),
        sa.Column("total_ects", sa.Float, nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("key_name", sa.String(200), nullable=False),
        _when(),
    )
    op.create_index("ix_decisions_recognition_id", "decisions", ["recognition_id"])
    op.create_table(
        "screenings",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("programme_ids", sa.JSON, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("completed", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("requested_by", sa.String(32), nullable=False),
        _when(),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_screenings_status", "screenings", ["status"])
    op.create_table(
        "screening_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("screening_id", sa.String(32), sa.ForeignKey("screenings.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("programme_id", sa.String(100), nullable=False),
        sa.Column("credential", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("proposal", sa.JSON, nullable=True),
        sa.Column("problem", sa.JSON, nullable=True),
    )
    op.create_index("ix_screening_items_screening_id", "screening_items", ["screening_id"])
    for table in APPEND_ONLY:
        refuse_changes(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        allow_changes(table)
    for table in ("screening_items", "screenings", "decisions", "recognitions", "credentials",
                  "programmes", "api_keys"):
        op.drop_table(table)

