"""Screening completion callbacks: the URL to call, and when it was answered.

Revision ID: 0004
Revises: 0003
Create Date: 2025-11-25
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.add_column(sa.Column("callback_url", sa.String(2000), nullable=True))
        batch.add_column(sa.Column("callback_attempts", sa.Integer, nullable=True))
        batch.add_column(
            sa.Column("callback_delivered_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("callback_delivered_at")
        batch.drop_column("callback_attempts")
        batch.drop_column("callback_url")
