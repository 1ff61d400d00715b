"""Programme versions, applications, credential fingerprints, key expiry and revocation; a
recognition names the API key that asked by its id.

* ``programme_versions`` keeps every version's catalogue (append-only, like the audit trail);
  ``programmes`` keeps the id and the current version. Versions replaced before this revision
  were not kept: only each programme's current one is carried over.
* ``applications`` and ``application_recognitions`` group the recognitions of one learner's
  credentials toward one programme, under a pseudonymous id.
* ``credentials.fingerprint``: ``MicroCredential.content_fingerprint()``, filled in for the
  stored credentials (left empty for a payload that no longer validates).
* ``api_keys``: ``expires_at``, ``revoked_at``, ``last_used_at``.
* ``recognitions.requested_by`` held the key's name (up to 200 characters in a 32-character
  column); it now holds the key's id. Rows whose name belongs to exactly one key are rewritten
  (the append-only triggers are lifted for that statement only).

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-24
"""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

from api.migrations.ddl import allow_changes, refuse_changes

revision: str = "0002"
down_revision: str | None = "0001"

KEY_COLUMNS = ("expires_at", "revoked_at", "last_used_at")


def _when(name: str = "created_at", nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    for column in KEY_COLUMNS:
        op.add_column("api_keys", _when(column, nullable=True))
    _keep_programme_versions()
    _add_fingerprints()
    op.create_table(
        "applications",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("programme_id", sa.String(100), sa.ForeignKey("programmes.id"), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        _when(),
        sa.UniqueConstraint("programme_id", "reference"),
    )
    op.create_index("ix_applications_programme_id", "applications", ["programme_id"])
    op.create_table(
        "application_recognitions",
        sa.Column(
            "recognition_id", sa.String(32), sa.ForeignKey("recognitions.id"), primary_key=True
        ),
        sa.Column(
            "application_id", sa.String(32), sa.ForeignKey("applications.id"), nullable=False
        ),
    )
    op.create_index(
        "ix_application_recognitions_application_id",
        "application_recognitions",
        ["application_id"],
    )
    _rewrite_requested_by(name_to_id=True)


def downgrade() -> None:
    _rewrite_requested_by(name_to_id=False)
    op.drop_table("application_recognitions")
    op.drop_table("applications")
    op.drop_index("ix_credentials_fingerprint", "credentials")
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("fingerprint")
    _drop_programme_versions()
    with op.batch_alter_table("api_keys") as batch:
        for column in KEY_COLUMNS:
            batch.drop_column(column)


# --- programme versions --------------------------------------------------------------------

OLD_PROGRAMMES = sa.table(
    "programmes",
    sa.column("id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("payload", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
VERSIONS = sa.table(
    "programme_versions",
    sa.column("programme_id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("payload", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _programme_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        _when(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _keep_programme_versions() -> None:
    # Rebuilt rather than altered: SQLite cannot drop the payload column of a table that
    # programme_versions' foreign key points at. Catalogues are few; they fit in memory.
    rows = op.get_bind().execute(sa.select(OLD_PROGRAMMES)).mappings().all()
    op.drop_table("programmes")
    programmes = op.create_table("programmes", *_programme_columns())
    op.create_table(
        "programme_versions",
        sa.Column("programme_id", sa.String(100), sa.ForeignKey("programmes.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        _when(),
        sa.PrimaryKeyConstraint("programme_id", "version"),
    )
    op.bulk_insert(
        programmes,
        [{key: row[key] for key in ("id", "version", "created_at", "updated_at")} for row in rows],
    )
    op.bulk_insert(
        VERSIONS,
        [
            {
                "programme_id": row["id"],
                "version": row["version"],
                "payload": row["payload"],
                "created_at": row["updated_at"],
            }
            for row in rows
        ],
    )
    refuse_changes("programme_versions")


def _drop_programme_versions() -> None:
    bind = op.get_bind()
    programmes = sa.table(
        "programmes",
        sa.column("id", sa.String),
        sa.column("version", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    current = bind.execute(
        sa.select(programmes, VERSIONS.c.payload).join(
            VERSIONS,
            sa.and_(
                VERSIONS.c.programme_id == programmes.c.id,
                VERSIONS.c.version == programmes.c.version,
            ),
        )
    ).mappings().all()
    allow_changes("programme_versions")
    op.drop_table("programme_versions")
    op.drop_table("programmes")
    old = op.create_table(
        "programmes", *_programme_columns(), sa.Column("payload", sa.JSON, nullable=False)
    )
    op.bulk_insert(old, [dict(row) for row in current])


# --- credential fingerprints ---------------------------------------------------------------


def _add_fingerprints() -> None:
    from recognition_engine.domain import MicroCredential

    op.add_column("credentials", sa.Column("fingerprint", sa.String(64), nullable=True))
    op.create_index("ix_credentials_fingerprint", "credentials", ["fingerprint"])
    credentials = sa.table(
        "credentials",
        sa.column("id", sa.String),
        sa.column("payload", sa.JSON),
        sa.column("fingerprint", sa.String),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(credentials.c.id, credentials.c.payload)).all():
        try:
            fingerprint = MicroCredential.model_validate(row.payload).content_fingerprint()
        except ValueError:  # a payload the current model refuses: matched by id only
            continue
        bind.execute(
            credentials.update()
            .where(credentials.c.id == row.id)
            .values(fingerprint=fingerprint)
        )


# --- requested_by: key name → key id -------------------------------------------------------


def _rewrite_requested_by(*, name_to_id: bool) -> None:
    bind = op.get_bind()
    ids_by_name: dict[str, list[str]] = defaultdict(list)
    for key_id, name in bind.execute(sa.text("SELECT id, name FROM api_keys")).all():
        ids_by_name[name].append(key_id)
    # Only where the answer is certain (a name that one key alone has) and, going back, fits.
    pairs: list[dict[str, Any]] = [
        {"old": name, "new": ids[0]} if name_to_id else {"old": ids[0], "new": name}
        for name, ids in ids_by_name.items()
        if len(ids) == 1 and (name_to_id or len(name) <= 32)
    ]
    if not pairs:
        return
    allow_changes("recognitions")
    bind.execute(
        sa.text("UPDATE recognitions SET requested_by = :new WHERE requested_by = :old"), pairs
    )
    refuse_changes("recognitions")

