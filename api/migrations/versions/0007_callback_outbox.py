"""The callback outbox: one delivery row per completed screening, signed with a secret of its own.

The row is written in the transaction that completes the screening and sent by a sender of its
own (``api/callback_sender.py``), so that neither a crash nor a slow receiver loses or stalls a
callback. 0004's ``callback_attempts`` and ``callback_delivered_at`` move into the rows of the
screenings already completed with a callback: delivered as they were, or failed. A callback
left unsent by the old code is not sent now: its client holds no secret that could check the new
signature, and a stale call it cannot check is worse than none. ``callback_url`` stays on the
screening: what to call once it completes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"

MOVE_TO_OUTBOX = """
INSERT INTO callback_deliveries
    (screening_id, url, body, state, attempts, last_error, created_at, delivered_at)
SELECT id, callback_url,
       '{"id": "' || id || '", "status": "completed"}',
       CASE WHEN callback_delivered_at IS NOT NULL THEN 'delivered' ELSE 'failed' END,
       COALESCE(callback_attempts, CASE WHEN callback_delivered_at IS NULL THEN 0 ELSE 1 END),
       CASE WHEN callback_delivered_at IS NOT NULL THEN NULL
            WHEN COALESCE(callback_attempts, 0) > 0 THEN 'given up before the outbox (0007)'
            ELSE 'not sent before the outbox (0007): the server stopped first' END,
       COALESCE(finished_at, created_at), callback_delivered_at
FROM screenings
WHERE status = 'completed' AND callback_url IS NOT NULL
"""

MOVE_BACK = """
UPDATE screenings SET
    callback_attempts = (SELECT attempts FROM callback_deliveries d
                         WHERE d.screening_id = screenings.id),
    callback_delivered_at = (SELECT delivered_at FROM callback_deliveries d
                             WHERE d.screening_id = screenings.id)
"""


def upgrade() -> None:
    op.create_table(
        "callback_deliveries",
        sa.Column("screening_id", sa.String(32), sa.ForeignKey("screenings.id"), primary_key=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer, nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_callback_deliveries_next_attempt_at", "callback_deliveries", ["next_attempt_at"]
    )
    op.execute(MOVE_TO_OUTBOX)
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch copy: copying `screenings`
    # would drop the table its items and deliveries point at.
    op.drop_column("screenings", "callback_delivered_at")
    op.drop_column("screenings", "callback_attempts")


def downgrade() -> None:
    op.add_column("screenings", sa.Column("callback_attempts", sa.Integer, nullable=True))
    op.add_column(
        "screenings",
        sa.Column("callback_delivered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.execute(MOVE_BACK)
    op.drop_index("ix_callback_deliveries_next_attempt_at", "callback_deliveries")
    op.drop_table("callback_deliveries")
