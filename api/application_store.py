"""Reads and writes of applications: what their recognitions hold of the programme's cap."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.applications import load_ledger
from api.credential_store import new_id
from api.database import Database
from api.problems import already_exists, not_found
from api.programme_store import current_version
from api.schemas import (
    ApplicationPublic,
    ApplicationRequest,
)
from api.security import Caller
from api.tables import (
    ApplicationRecord,
    ProgrammeRecord,
)
from recognition_engine.decision.caps import (
    cap_left,
    programme_cap,
)
from recognition_engine.domain import Programme


class ApplicationStore:
    """Applications and what their recognitions hold of the cap (mixed into ``Store``)."""

    database: Database

    def create_application(self, request: ApplicationRequest, caller: Caller) -> ApplicationPublic:
        with self.database.session() as session:
            known = session.get(ProgrammeRecord, request.programme_id) is not None
        if not known:
            raise not_found("programme", request.programme_id)
        record = ApplicationRecord(
            id=new_id(),
            programme_id=request.programme_id,
            reference=request.reference,
            revision=0,
            created_by=caller.key_id,
        )
        try:
            with self.database.session() as session:
                session.add(record)
        except IntegrityError as error:
            raise self._reference_taken(request) from error
        return self.application_public(record.id)

    def _reference_taken(self, request: ApplicationRequest) -> Exception:
        with self.database.session() as session:
            existing = session.scalar(
                select(ApplicationRecord.id).where(
                    ApplicationRecord.programme_id == request.programme_id,
                    ApplicationRecord.reference == request.reference,
                )
            )
        hint = f"it is application {existing!r} (GET /v1/applications/{existing})"
        return already_exists("application reference", request.reference or "", hint)

    def application_public(self, application_id: str) -> ApplicationPublic:
        with self.database.session() as session:
            ledger = load_ledger(session, application_id)
            record = session.get(ApplicationRecord, application_id)
            _, version = current_version(session, ledger.programme_id)
            programme = Programme.model_validate(version.payload)
        cap = round(programme_cap(programme), 2)
        counted = ledger.counted_ects()
        return ApplicationPublic(
            id=record.id,
            programme_id=record.programme_id,
            reference=record.reference,
            created_at=record.created_at,
            ects_cap=cap,
            ects_counted=counted,
            ects_cap_remaining=round(cap_left(cap, counted), 2),
            recognitions=[entry.public() for entry in ledger.entries],
        )
