"""Reads and writes of programmes: every version kept, the current one read by default."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.database import Database
from api.listing import Window, keyset_page
from api.problems import already_exists, not_found
from api.schemas import (
    Page,
    ProgrammePublic,
    ProgrammeSummary,
)
from api.tables import (
    ProgrammeRecord,
    ProgrammeVersionRecord,
    utcnow,
)
from recognition_engine.domain import Programme


class ProgrammeStore:
    """Programmes, every version kept (mixed into ``Store``)."""

    database: Database

    def programme_exists(self, programme_id: str) -> bool:
        with self.database.session() as session:
            return session.get(ProgrammeRecord, programme_id) is not None

    def create_programme(self, programme: Programme) -> ProgrammePublic:
        now = utcnow()
        record = ProgrammeRecord(id=programme.id, version=1, created_at=now, updated_at=now)
        version = ProgrammeVersionRecord(
            programme_id=programme.id, version=1, payload=_payload(programme), created_at=now
        )
        try:
            with self.database.session() as session:
                session.add(record)
                session.flush()
                session.add(version)
        except IntegrityError as error:
            raise programme_exists(programme.id) from error
        return _programme_public(record, version)

    def replace_programme(self, programme: Programme) -> ProgrammePublic:
        """Store a new version; the earlier ones stay as they were."""
        now = utcnow()
        with self.database.session() as session:
            number = session.scalar(
                update(ProgrammeRecord)
                .where(ProgrammeRecord.id == programme.id)
                .values(version=ProgrammeRecord.version + 1, updated_at=now)
                .returning(ProgrammeRecord.version)
            )
            if number is None:
                raise not_found("programme", programme.id)
            version = ProgrammeVersionRecord(
                programme_id=programme.id,
                version=number,
                payload=_payload(programme),
                created_at=now,
            )
            session.add(version)
            record = session.get(ProgrammeRecord, programme.id)
            return _programme_public(record, version)

    def programme(self, programme_id: str) -> tuple[Programme, int]:
        """Return the programme's current version and its number."""
        with self.database.session() as session:
            record, version = current_version(session, programme_id)
            return Programme.model_validate(version.payload), version.version

    def programme_version(self, programme_id: str, version: int) -> Programme:
        with self.database.session() as session:
            return Programme.model_validate(version_row(session, programme_id, version).payload)

    def programme_public(self, programme_id: str, version: int | None = None) -> ProgrammePublic:
        """Return the current version, or the one asked for."""
        with self.database.session() as session:
            record, current = current_version(session, programme_id)
            if version is not None and version != current.version:
                current = version_row(session, programme_id, version)
            return _programme_public(record, current)

    def programme_summaries(self, offset: int, limit: int) -> list[ProgrammeSummary]:
        with self.database.session() as session:
            rows = session.execute(
                _with_current_version(select(ProgrammeRecord, ProgrammeVersionRecord))
                .order_by(ProgrammeRecord.id)
                .offset(offset)
                .limit(limit)
            ).all()
            return [_programme_summary(record, version) for record, version in rows]

    def programme_page(self, window: Window) -> Page[ProgrammeSummary]:
        statement = _with_current_version(select(ProgrammeRecord, ProgrammeVersionRecord))
        with self.database.session() as session:
            rows, next_after = keyset_page(session, statement, ProgrammeRecord, window)
            items = [_programme_summary(record, version) for record, version in rows]
        return Page[ProgrammeSummary](items=items, next_after=next_after)

    def programmes(self) -> list[Programme]:
        """Return the current version of every programme."""
        with self.database.session() as session:
            payloads = session.scalars(
                _with_current_version(select(ProgrammeVersionRecord.payload)).order_by(
                    ProgrammeRecord.id
                )
            ).all()
            return [Programme.model_validate(payload) for payload in payloads]


def programme_exists(programme_id: str) -> Exception:
    hint = f"replace it with PUT /v1/programmes/{programme_id}"
    return already_exists("programme", programme_id, hint)


def programme_version_url(programme_id: str, version: int) -> str:
    return f"/v1/programmes/{programme_id}/versions/{version}"


def _with_current_version(statement):  # noqa: ANN001, ANN202 - a Select of any columns
    return statement.select_from(ProgrammeRecord).join(
        ProgrammeVersionRecord,
        (ProgrammeVersionRecord.programme_id == ProgrammeRecord.id)
        & (ProgrammeVersionRecord.version == ProgrammeRecord.version),
    )


def current_version(
    session: Session, programme_id: str
) -> tuple[ProgrammeRecord, ProgrammeVersionRecord]:
    row = session.execute(
        _with_current_version(select(ProgrammeRecord, ProgrammeVersionRecord)).where(
            ProgrammeRecord.id == programme_id
        )
    ).first()
    if row is None:
        raise not_found("programme", programme_id)
    return row[0], row[1]


def version_row(session: Session, programme_id: str, version: int) -> ProgrammeVersionRecord:
    record = session.get(ProgrammeVersionRecord, (programme_id, version))
    if record is None:
        if session.get(ProgrammeRecord, programme_id) is None:
            raise not_found("programme", programme_id)
        raise not_found(f"version of programme {programme_id!r}", str(version))
    return record


def _payload(programme: Programme) -> dict:
    return programme.model_dump(mode="json")


def _programme_public(record: ProgrammeRecord, version: ProgrammeVersionRecord) -> ProgrammePublic:
    return ProgrammePublic(
        **version.payload,
        version=version.version,
        created_at=record.created_at,
        updated_at=version.created_at,
    )


def _programme_summary(
    record: ProgrammeRecord, version: ProgrammeVersionRecord
) -> ProgrammeSummary:
    payload = version.payload
    return ProgrammeSummary(
        id=record.id,
        title=payload["title"],
        institution=payload["institution"],
        country=payload["country"],
        cycle=payload["cycle"],
        total_ects=payload["total_ects"],
        modules=len(payload["modules"]),
        version=version.version,
        updated_at=version.created_at,
    )
