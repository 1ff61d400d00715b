"""Reads and writes of programmes, credentials, recognitions and decisions.

Turns stored rows into domain objects (for the engine) and public models (for the answer).
Each method is one short transaction: once it returns, what it wrote is on disk.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from api.database import Database
from api.problems import already_exists, not_found
from api.schemas import (
    CredentialPublic,
    DecidedBy,
    DecisionAction,
    DecisionPublic,
    DecisionRequest,
    ModuleAward,
    ProgrammePublic,
    ProgrammeSummary,
    RecognitionPublic,
)
from api.security import Caller
from api.tables import (
    CredentialRecord,
    DecisionRecord,
    ProgrammeRecord,
    RecognitionRecord,
    utcnow,
)
from recognition_engine.domain import MicroCredential, Programme, RecognitionProposal
from recognition_engine.errors import InvalidInput


def new_id() -> str:
    return uuid.uuid4().hex


def programme_exists(programme_id: str) -> Exception:
    hint = f"replace it with PUT /v1/programmes/{programme_id}"
    return already_exists("programme", programme_id, hint)


class Store:
    def __init__(self, database: Database) -> None:
        self.database = database

    # --- programmes ------------------------------------------------------------------------

    def programme_exists(self, programme_id: str) -> bool:
        with self.database.session() as session:
            return session.get(ProgrammeRecord, programme_id) is not None

    def create_programme(self, programme: Programme) -> ProgrammePublic:
        record = ProgrammeRecord(
            id=programme.id, version=1, payload=programme.model_dump(mode="json")
        )
        try:
            with self.database.session() as session:
                session.add(record)
        except IntegrityError as error:
            raise programme_exists(programme.id) from error
        return _programme_public(record)

    def replace_programme(self, programme: Programme) -> ProgrammePublic:
        with self.database.session() as session:
            record = session.get(ProgrammeRecord, programme.id, with_for_update=True)
            if record is None:
                raise not_found("programme", programme.id)
            record.payload = programme.model_dump(mode="json")
            record.version += 1
            record.updated_at = utcnow()
        return _programme_public(record)

    def programme(self, programme_id: str) -> tuple[Programme, int]:
        """Return the programme and its version."""
        with self.database.session() as session:
            record = session.get(ProgrammeRecord, programme_id)
            if record is None:
                raise not_found("programme", programme_id)
            return Programme.model_validate(record.payload), record.version

    def programme_public(self, programme_id: str) -> ProgrammePublic:
        with self.database.session() as session:
            record = session.get(ProgrammeRecord, programme_id)
            if record is None:
                raise not_found("programme", programme_id)
            return _programme_public(record)

    def programme_summaries(self, offset: int, limit: int) -> list[ProgrammeSummary]:
        with self.database.session() as session:
            records = session.scalars(
                select(ProgrammeRecord).order_by(ProgrammeRecord.id).offset(offset).limit(limit)
            ).all()
            return [_programme_summary(record) for record in records]

    def programmes(self) -> list[Programme]:
        with self.database.session() as session:
            records = session.scalars(select(ProgrammeRecord).order_by(ProgrammeRecord.id)).all()
            return [Programme.model_validate(record.payload) for record in records]

    # --- credentials -----------------------------------------------------------------------

    def add_credential(self, credential: MicroCredential, caller: Caller) -> CredentialPublic:
        record_id = new_id()
        # model_dump leaves out the learner identity (excluded in the domain model).
        payload = credential.model_dump(mode="json")
        payload.pop("learner", None)
        if not payload.get("id"):
            payload["id"] = record_id
        record = CredentialRecord(id=record_id, payload=payload, submitted_by=caller.key_id)
        with self.database.session() as session:
            session.add(record)
        return _credential_public(record)

    def credential_public(self, credential_id: str) -> CredentialPublic:
        with self.database.session() as session:
            record = session.get(CredentialRecord, credential_id)
            if record is None:
                raise not_found("credential", credential_id)
            return _credential_public(record)

    def credentials(self, credential_ids: Sequence[str]) -> list[MicroCredential]:
        """Return the credentials in the order asked (repeats included)."""
        with self.database.session() as session:
            records = session.scalars(
                select(CredentialRecord).where(CredentialRecord.id.in_(set(credential_ids)))
            ).all()
            found = {record.id: record.payload for record in records}
        missing = [cid for cid in credential_ids if cid not in found]
        if missing:
            raise not_found("credential", ", ".join(missing))
        return [MicroCredential.model_validate(found[cid]) for cid in credential_ids]

    # --- recognitions ----------------------------------------------------------------------

    def add_recognition(
        self,
        programme_version: int,
        credential_ids: Sequence[str],
        proposal: RecognitionProposal,
        caller: Caller,
    ) -> RecognitionPublic:
        record = RecognitionRecord(
            id=new_id(),
            programme_id=proposal.programme_id,
            programme_version=programme_version,
            credential_ids=list(credential_ids),
            proposal=proposal.model_dump(mode="json"),
            requested_by=caller.name,
        )
        with self.database.session() as session:
            session.add(record)
        return _recognition_public(record)

    def recognition(self, recognition_id: str) -> RecognitionPublic:
        with self.database.session() as session:
            record = session.get(RecognitionRecord, recognition_id)
            if record is None:
                raise not_found("recognition", recognition_id)
            return _recognition_public(record)

    # --- decisions -------------------------------------------------------------------------

    def add_decision(
        self, recognition_id: str, request: DecisionRequest, caller: Caller
    ) -> DecisionPublic:
        recognition = self.recognition(recognition_id)
        programme, _ = self.programme(recognition.programme_id)
        awards = _awards(request, recognition.proposal, programme)
        record = DecisionRecord(
            recognition_id=recognition_id,
            action=request.action.value,
            modules=[award.model_dump() for award in awards],
            total_ects=round(sum(award.ects for award in awards), 2),
            reason=request.reason,
            key_id=caller.key_id,
            key_name=caller.name,
        )
        with self.database.session() as session:
            session.add(record)
            session.flush()
        return _decision_public(record)

    def decisions(self, recognition_id: str) -> list[DecisionPublic]:
        with self.database.session() as session:
            if session.get(RecognitionRecord, recognition_id) is None:
                raise not_found("recognition", recognition_id)
            records = session.scalars(
                select(DecisionRecord)
                .where(DecisionRecord.recognition_id == recognition_id)
                .order_by(DecisionRecord.id)
            ).all()
            return [_decision_public(record) for record in records]

    def count(self, table: type) -> int:
        with self.database.session() as session:
            return session.scalar(select(func.count()).select_from(table)) or 0


def _awards(
    request: DecisionRequest, proposal: RecognitionProposal, programme: Programme
) -> list[ModuleAward]:
    """What the decision awards: the proposal's modules, the evaluator's, or nothing."""
    if request.action is DecisionAction.REJECT:
        return []
    if request.action is DecisionAction.ACCEPT:
        return [
            ModuleAward(module_code=module.module_code, ects=module.proposed_ects)
            for module in proposal.modules
            if module.proposed_ects > 0
        ]
    awards = request.modules or []
    ects_of = {module.code: module.ects for module in programme.modules}
    for award in awards:
        if award.module_code not in ects_of:
            raise InvalidInput(f"{programme.id} has no module {award.module_code!r}")
        if award.ects > ects_of[award.module_code]:
            raise InvalidInput(
                f"{award.ects:g} ECTS awarded for {award.module_code}, "
                f"a module of {ects_of[award.module_code]:g} ECTS"
            )
    total = sum(award.ects for award in awards)
    if total > proposal.ects_cap + 1e-9:
        raise InvalidInput(
            f"{total:g} ECTS awarded exceeds the cap of {proposal.ects_cap:g} ECTS "
            "for micro-credentials in this programme"
        )
    return awards


def _programme_public(record: ProgrammeRecord) -> ProgrammePublic:
    return ProgrammePublic(
        **record.payload,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def _programme_summary(record: ProgrammeRecord) -> ProgrammeSummary:
    payload = record.payload
    return ProgrammeSummary(
        id=record.id,
        title=payload["title"],
        institution=payload["institution"],
        country=payload["country"],
        cycle=payload["cycle"],
        total_ects=payload["total_ects"],
        modules=len(payload["modules"]),
        version=record.version,
        updated_at=record.updated_at,
    )


def _credential_public(record: CredentialRecord) -> CredentialPublic:
    return CredentialPublic(
        id=record.id,
        created_at=record.created_at,
        credential=MicroCredential.model_validate(record.payload),
    )


def _recognition_public(record: RecognitionRecord) -> RecognitionPublic:
    return RecognitionPublic(
        id=record.id,
        programme_id=record.programme_id,
        programme_version=record.programme_version,
        credential_ids=record.credential_ids,
        requested_by=record.requested_by,
        created_at=record.created_at,
        proposal=RecognitionProposal.model_validate(record.proposal),
    )


def _decision_public(record: DecisionRecord) -> DecisionPublic:
    return DecisionPublic(
        id=record.id,
        recognition_id=record.recognition_id,
        action=DecisionAction(record.action),
        modules=[ModuleAward.model_validate(item) for item in record.modules or []],
        total_ects=record.total_ects or 0.0,
        reason=record.reason,
        decided_by=DecidedBy(key_id=record.key_id, name=record.key_name),
        decided_at=record.created_at,
    )
