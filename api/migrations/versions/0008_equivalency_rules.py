"""Standing equivalency rules, append-only like the decisions they are made from.

``equivalency_rules`` keeps each rule as it was made; ``equivalency_rule_ends`` each end put to
one (the rule's history). Both refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) as 0001
makes the decisions refuse them, and on SQLite an insert on a taken key as 0005 does.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.migrations.ddl import allow_changes, allow_replace, refuse_changes, refuse_replace

revision: str = "0008"
down_revision: str | None = "0007"

# Each append-only table and the columns of its primary key.
APPEND_ONLY = {"equivalency_rules": ("id",), "equivalency_rule_ends": ("id",)}


def upgrade() -> None:
    op.create_table(
        "equivalency_rules",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("recognition_id", sa.String(32), nullable=False),
        sa.Column("programme_id", sa.String(100), nullable=False),
        sa.Column("awarding_body", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("match_key", sa.String(64), nullable=False),
        sa.Column("modules", sa.JSON, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("key_name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_equivalency_rules_decision_id", "equivalency_rules", ["decision_id"])
    op.create_index(
        "ix_equivalency_rules_programme_key", "equivalency_rules", ["programme_id", "match_key"]
    )
    op.create_table(
        "equivalency_rule_ends",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("rule_id", sa.String(32), sa.ForeignKey("equivalency_rules.id"), nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("key_name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_equivalency_rule_ends_rule_id", "equivalency_rule_ends", ["rule_id"])
    for table, key in APPEND_ONLY.items():
        _refuse_changes(table, key)


def downgrade() -> None:
    for table in APPEND_ONLY:
        _allow_changes(table)
    op.drop_index("ix_equivalency_rule_ends_rule_id", "equivalency_rule_ends")
    op.drop_table("equivalency_rule_ends")
    op.drop_index("ix_equivalency_rules_programme_key", "equivalency_rules")
    op.drop_index("ix_equivalency_rules_decision_id", "equivalency_rules")
    op.drop_table("equivalency_rules")


def _refuse_changes(table: str, key: Sequence[str]) -> None:
    refuse_changes(table)
    if op.get_bind().dialect.name == "sqlite":
        refuse_replace(table, key)


def _allow_changes(table: str) -> None:
    allow_changes(table)
    if op.get_bind().dialect.name == "sqlite":
        allow_replace(table)
