"""Stored models: what the database keeps (SQLAlchemy 2 declarative tables).

Payloads are kept as JSON documents in the shape of the domain models, minus anything the
service must not keep (the learner identity is never part of a stored credential).
Changing a table here needs a new migration in ``api/migrations/versions``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

Shape = TypeVar("Shape", bound=BaseModel)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Times in UTC, read back as aware datetimes on SQLite too (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, dt.datetime: UTCDateTime}


def from_columns(shape: type[Shape], record: Base, **computed: Any) -> Shape:
    """Return ``shape`` made of ``computed`` and, for each of its other fields, the record's
    column of the same name, validated (a JSON column becomes the models it holds)."""
    columns = record.__mapper__.column_attrs.keys()
    values = {name: getattr(record, name) for name in shape.model_fields if name in columns}
    return shape.model_validate(values | computed)


class ApiKeyRecord(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Written at most once a minute per key, so that reads do not write on every request.
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ProgrammeRecord(Base):
    """A programme's id and current version; each version's catalogue is kept below."""

    __tablename__ = "programmes"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProgrammeVersionRecord(Base):
    """One version of a programme, as it was: recognitions and decisions point at it.

    Append-only (the migration adds triggers that refuse UPDATE and DELETE).
    """

    __tablename__ = "programme_versions"

    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CredentialRecord(Base):
    __tablename__ = "credentials"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # MicroCredential.content_fingerprint(): the same credential under another id has the same.
    # None only for credentials stored before fingerprints were, that no longer validate.
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    submitted_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RecognitionRecord(Base):
    __tablename__ = "recognitions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    programme_id: Mapped[str] = mapped_column(String(100), index=True)
    programme_version: Mapped[int] = mapped_column(Integer)
    credential_ids: Mapped[list[Any]] = mapped_column(JSON)
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON)
    requested_by: Mapped[str] = mapped_column(String(32))  # the API key's id
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApplicationRecord(Base):
    """The credentials one learner brings to one programme, under a pseudonymous id only."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("programme_id", "reference"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # +1 at each recognition or decision in the application: writers serialise on this row.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApplicationRecognitionRecord(Base):
    """Which application a recognition belongs to (a table of its own: recognitions are
    append-only, and adding a column there would mean rebuilding the audit table)."""

    __tablename__ = "application_recognitions"

    recognition_id: Mapped[str] = mapped_column(ForeignKey("recognitions.id"), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)


class DecisionRecord(Base):
    """One entry of the audit trail; the migration adds triggers that refuse UPDATE and DELETE."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recognition_id: Mapped[str] = mapped_column(ForeignKey("recognitions.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    modules: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    total_ects: Mapped[float | None] = mapped_column(Float, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(32))
    key_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ScreeningRecord(Base):
    __tablename__ = "screenings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    programme_ids: Mapped[list[Any]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Called when the screening completes: its delivery is a CallbackDeliveryRecord, written
    # in the transaction that completes the screening.
    callback_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    callback_delivery: Mapped[CallbackDeliveryRecord | None] = relationship(
        lazy="selectin", viewonly=True
    )


class CallbackDeliveryRecord(Base):
    """The callback outbox: a completed screening's callback, until delivered or given up
    (``api/callback_sender.py``). The body is kept as sent; each try signs it anew."""

    __tablename__ = "callback_deliveries"

    screening_id: Mapped[str] = mapped_column(ForeignKey("screenings.id"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # when the next try is due (past it while a sender holds the row); null once done
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, index=True
    )
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)  # HTTP status
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ScreeningItemRecord(Base):
    """One credential × programme pair of a screening, with its result once screened."""

    __tablename__ = "screening_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    screening_id: Mapped[str] = mapped_column(ForeignKey("screenings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    programme_id: Mapped[str] = mapped_column(String(100))
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    proposal: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class IdempotencyRecord(Base):
    """The answer to a creating POST under its ``Idempotency-Key`` (``api/idempotency.py``).

    Scoped to the key's owner: the id of the API key that sent it (never the key's hash).
    """

    __tablename__ = "idempotency_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))  # method, path, query, type, body
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)  # null: in progress
    headers: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    # In progress: renewed while the request runs; once past, a retry takes the request over
    # (its server died). Null once answered.
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class WebSessionRecord(Base):
    """A workbench session (``api/web/session.py``): the cookie holds a random id, the table
    its SHA-256, so that a copy of the table cannot be replayed as cookies. Signing out, the
    key's revocation and expiry (idle and absolute) remove the row."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str | None] = mapped_column(
        ForeignKey("api_keys.id"), nullable=True, index=True
    )
    lang: Mapped[str | None] = mapped_column(String(5), nullable=True)
    csrf: Mapped[str] = mapped_column(String(64))  # the token every form post must carry
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class EquivalencyRuleRecord(Base):
    """A standing equivalency rule as it was made from a decision (``api/equivalency_rules.py``).

    Append-only, like the decisions it comes from: an end is a row of its own below.
    """

    __tablename__ = "equivalency_rules"
    __table_args__ = (Index("ix_equivalency_rules_programme_key", "programme_id", "match_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    recognition_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[str] = mapped_column(String(100))
    awarding_body: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    # rule_key(awarding_body, title): the rules that may name a credential, found by index
    match_key: Mapped[str] = mapped_column(String(64))
    modules: Mapped[list[Any]] = mapped_column(JSON)  # [{module_code, ects}] as decided
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(32))
    key_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EquivalencyRuleEndRecord(Base):
    """An end put to a rule: from the day after ``ends_on`` it no longer applies. Append-only;
    a later end that comes sooner supersedes an earlier one."""

    __tablename__ = "equivalency_rule_ends"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(ForeignKey("equivalency_rules.id"), index=True)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    key_id: Mapped[str] = mapped_column(String(32))
    key_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
