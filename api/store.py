"""Reads and writes of recognitions and decisions, and the ``Store`` that holds every read and
write of the service: programmes (every version kept), credentials and applications live in
their own modules.

Turns stored rows into domain objects (for the engine) and public models (for the answer).
Each method is one short transaction: once it returns, what it wrote is on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, exists, func, select
from sqlalchemy.orm import Session

from api.application_store import ApplicationStore
from api.applications import Ledger, claim, load_ledger, lock_application_of
from api.credential_store import CredentialStore, credential_record, new_id
from api.database import Database
from api.listing import Window, keyset_page
from api.problems import Conflict, not_found
from api.programme_store import (
    ProgrammeStore,
    current_version,
    programme_exists,
    programme_version_url,
    version_row,
)
from api.schemas import (
    DecisionAction,
    DecisionPublic,
    DecisionRequest,
    KeyRef,
    ModuleAward,
    Page,
    RecognitionListState,
    RecognitionPublic,
    RecognitionRequest,
)
from api.security import Caller
from api.tables import (
    ApiKeyRecord,
    ApplicationRecognitionRecord,
    CredentialRecord,
    DecisionRecord,
    RecognitionRecord,
    from_columns,
)
from recognition_engine.decision.caps import (
    Award,
    check_cap_left,
    decision_awards,
)
from recognition_engine.domain import MicroCredential, Programme, RecognitionProposal

__all__ = [
    "NewCase",
    "RecognitionBasis",
    "Store",
    "new_id",
    "programme_exists",
    "programme_version_url",
]








@dataclass(frozen=True)
class RecognitionBasis:
    """What a proposal is made from; the application's part is checked again when stored."""

    programme: Programme
    programme_version: int
    credential_ids: tuple[str, ...]
    credentials: tuple[MicroCredential, ...]
    ledger: Ledger | None

    @property
    def awarded_ects(self) -> float:
        """What earlier recognitions of the application hold of the programme's cap."""
        return self.ledger.counted_ects() if self.ledger else 0.0


@dataclass(frozen=True)
class NewCase:
    """A workbench case before anything of it is stored: its credentials' rows, and what the
    proposal is made from."""

    credentials: tuple[CredentialRecord, ...]
    basis: RecognitionBasis


class Store(ProgrammeStore, CredentialStore, ApplicationStore):
    """The service's reads and writes: programmes, credentials and applications (each in its
    own module), and here the recognitions and decisions made of them."""

    def __init__(self, database: Database) -> None:
        self.database = database



    # --- recognitions ----------------------------------------------------------------------

    def recognition_basis(self, request: RecognitionRequest) -> RecognitionBasis:
        """Return what the proposal is made from; refuse a credential the application holds."""
        with self.database.session() as session:
            _, version = current_version(session, request.programme_id)
            records = session.scalars(
                select(CredentialRecord).where(CredentialRecord.id.in_(set(request.credential_ids)))
            ).all()
            found = {record.id: record for record in records}
            missing = [cid for cid in request.credential_ids if cid not in found]
            if missing:
                raise not_found("credential", ", ".join(missing))
            ledger = None
            if request.application_id is not None:
                ledger = load_ledger(session, request.application_id)
                if ledger.programme_id != request.programme_id:
                    raise Conflict(
                        f"application {ledger.application_id!r} is for programme "
                        f"{ledger.programme_id!r}, not {request.programme_id!r}"
                    )
                ledger.refuse_repeats(
                    [(cid, found[cid].fingerprint) for cid in request.credential_ids]
                )
            return RecognitionBasis(
                programme=Programme.model_validate(version.payload),
                programme_version=version.version,
                credential_ids=tuple(request.credential_ids),
                credentials=tuple(
                    MicroCredential.model_validate(found[cid].payload)
                    for cid in request.credential_ids
                ),
                ledger=ledger,
            )

    def new_case(
        self, credentials: Sequence[MicroCredential], programme_id: str, caller: Caller
    ) -> NewCase:
        """Return the credentials of a workbench case as they would be stored, and what its
        proposal is made from; nothing is written (``add_case`` writes it all at once)."""
        records = tuple(credential_record(credential, caller) for credential in credentials)
        with self.database.session() as session:
            _, version = current_version(session, programme_id)
            basis = RecognitionBasis(
                programme=Programme.model_validate(version.payload),
                programme_version=version.version,
                credential_ids=tuple(record.id for record in records),
                credentials=tuple(
                    MicroCredential.model_validate(record.payload) for record in records
                ),
                ledger=None,
            )
        return NewCase(credentials=records, basis=basis)

    def add_case(
        self, case: NewCase, proposal: RecognitionProposal, caller: Caller
    ) -> RecognitionPublic:
        """Store a case's credentials and its proposal in one transaction: a case refused on
        the way (or a failed write) leaves nothing behind."""
        record = _recognition_record(case.basis, proposal, caller)
        with self.database.session() as session:
            session.add_all(case.credentials)
            session.flush()
            session.add(record)
        return _recognition_public(record, caller.name, None)

    def add_recognition(
        self, basis: RecognitionBasis, proposal: RecognitionProposal, caller: Caller
    ) -> RecognitionPublic:
        """Store the proposal; in an application, only if nothing changed there meanwhile."""
        record = _recognition_record(basis, proposal, caller)
        application_id = basis.ledger.application_id if basis.ledger else None
        with self.database.session() as session:
            if basis.ledger is not None:
                claim(session, basis.ledger)
            session.add(record)
            if application_id is not None:
                session.flush()
                session.add(
                    ApplicationRecognitionRecord(
                        recognition_id=record.id, application_id=application_id
                    )
                )
        return _recognition_public(record, caller.name, application_id)

    def recognition_page(
        self,
        window: Window,
        state: RecognitionListState | None = None,
        programme_id: str | None = None,
    ) -> Page[RecognitionPublic]:
        """Recognitions oldest first; ``awaiting_decision``: those without a decision yet."""
        decided = exists().where(DecisionRecord.recognition_id == RecognitionRecord.id)
        statement = _recognition_select()
        if state is RecognitionListState.AWAITING_DECISION:
            statement = statement.where(~decided)
        elif state is RecognitionListState.DECIDED:
            statement = statement.where(decided)
        if programme_id is not None:
            statement = statement.where(RecognitionRecord.programme_id == programme_id)
        with self.database.session() as session:
            rows, next_after = keyset_page(session, statement, RecognitionRecord, window)
            items = [_recognition_public(*row) for row in rows]
        return Page[RecognitionPublic](items=items, next_after=next_after)

    def recognition(self, recognition_id: str) -> RecognitionPublic:
        with self.database.session() as session:
            return _recognition_public(*_recognition_row(session, recognition_id))

    # --- decisions -------------------------------------------------------------------------

    def add_decision(
        self, recognition_id: str, request: DecisionRequest, caller: Caller
    ) -> DecisionPublic:
        """Record a decision, checked against the programme version the proposal was made
        against and, in an application, against what is left there of the cap."""
        with self.database.session() as session:
            application_id = lock_application_of(session, recognition_id)
            recognition = session.get(RecognitionRecord, recognition_id)
            if recognition is None:
                raise not_found("recognition", recognition_id)
            proposal = RecognitionProposal.model_validate(recognition.proposal)
            catalogue = None
            if request.action is DecisionAction.MODIFY:
                catalogue = Programme.model_validate(
                    version_row(session, recognition.programme_id, recognition.programme_version)
                    .payload
                )
            chosen = [Award(a.module_code, a.ects) for a in request.modules or []]
            awards = decision_awards(request.action.value, proposal, chosen, catalogue)
            total = round(sum(award.ects for award in awards), 2)
            if application_id is not None:
                others = load_ledger(session, application_id).counted_ects(recognition_id)
                check_cap_left(total, proposal.ects_cap, others, application_id)
            record = DecisionRecord(
                recognition_id=recognition_id,
                action=request.action.value,
                modules=[
                    ModuleAward(module_code=a.module_code, ects=a.ects).model_dump()
                    for a in awards
                ],
                total_ects=total,
                reason=request.reason,
                key_id=caller.key_id,
                key_name=caller.name,
            )
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


# --- reads ---------------------------------------------------------------------------------








def _recognition_select():  # noqa: ANN202 - a Select of (record, key name, application id)
    return (
        select(RecognitionRecord, ApiKeyRecord.name, ApplicationRecognitionRecord.application_id)
        .outerjoin(ApiKeyRecord, ApiKeyRecord.id == RecognitionRecord.requested_by)
        .outerjoin(
            ApplicationRecognitionRecord,
            ApplicationRecognitionRecord.recognition_id == RecognitionRecord.id,
        )
    )


def _recognition_row(
    session: Session, recognition_id: str
) -> Row[tuple[RecognitionRecord, str | None, str | None]]:
    row = session.execute(
        _recognition_select().where(RecognitionRecord.id == recognition_id)
    ).first()
    if row is None:
        raise not_found("recognition", recognition_id)
    return row


# --- new rows ------------------------------------------------------------------------------




def _recognition_record(
    basis: RecognitionBasis, proposal: RecognitionProposal, caller: Caller
) -> RecognitionRecord:
    return RecognitionRecord(
        id=new_id(),
        programme_id=basis.programme.id,
        programme_version=basis.programme_version,
        credential_ids=list(basis.credential_ids),
        proposal=proposal.model_dump(mode="json"),
        requested_by=caller.key_id,
    )


# --- public shapes -------------------------------------------------------------------------










def _recognition_public(
    record: RecognitionRecord, key_name: str | None, application_id: str | None
) -> RecognitionPublic:
    return RecognitionPublic(
        id=record.id,
        programme_id=record.programme_id,
        programme_version=record.programme_version,
        programme_version_url=programme_version_url(
            record.programme_id, record.programme_version
        ),
        application_id=application_id,
        credential_ids=record.credential_ids,
        # Rows from before keys were stored by id may still hold a name no key has alone.
        requested_by=KeyRef(key_id=record.requested_by, name=key_name or record.requested_by),
        created_at=record.created_at,
        proposal=RecognitionProposal.model_validate(record.proposal),
    )


def _decision_public(record: DecisionRecord) -> DecisionPublic:
    return from_columns(
        DecisionPublic,
        record,
        modules=record.modules or [],
        total_ects=record.total_ects or 0.0,
        decided_by=KeyRef(key_id=record.key_id, name=record.key_name),
        decided_at=record.created_at,
    )
