"""Reads and writes of programmes (every version kept), credentials, applications,
recognitions and decisions.

Turns stored rows into domain objects (for the engine) and public models (for the answer).
Each method is one short transaction: once it returns, what it wrote is on disk.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.applications import Ledger, claim, load_ledger, lock_application_of
from api.database import Database
from api.listing import keyset_page
from api.problems import Conflict, already_exists, not_found
from api.schemas import (
    ApplicationPublic,
    ApplicationRequest,
    CredentialPublic,
    DecisionAction,
    DecisionPublic,
    DecisionRequest,
    KeyRef,
    ModuleAward,
    Page,
    ProgrammePublic,
    ProgrammeSummary,
    RecognitionListState,
    RecognitionPublic,
    RecognitionRequest,
)
from api.security import Caller
from api.tables import (
    ApiKeyRecord,
    ApplicationRecognitionRecord,
    ApplicationRecord,
    CredentialRecord,
    DecisionRecord,
    ProgrammeRecord,
    ProgrammeVersionRecord,
    RecognitionRecord,
    utcnow,
)
from recognition_engine.decision.caps import (
    Award,
    cap_left,
    check_cap_left,
    decision_awards,
    programme_cap,
)
from recognition_engine.domain import MicroCredential, Programme, RecognitionProposal


def new_id() -> str:
    return uuid.uuid4().hex


def programme_exists(programme_id: str) -> Exception:
    hint = f"replace it with PUT /v1/programmes/{programme_id}"
    return already_exists("programme", programme_id, hint)


def programme_version_url(programme_id: str, version: int) -> str:
    return f"/v1/programmes/{programme_id}/versions/{version}"


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


class Store:
    def __init__(self, database: Database) -> None:
        self.database = database

    # --- programmes ------------------------------------------------------------------------

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
                programme_id=programme.id, version=number, payload=_payload(programme),
                created_at=now,
            )
            session.add(version)
            record = session.get(ProgrammeRecord, programme.id)
            return _programme_public(record, version)

    def programme(self, programme_id: str) -> tuple[Programme, int]:
        """Return the programme's current version and its number."""
        with self.database.session() as session:
            record, version = _current(session, programme_id)
            return Programme.model_validate(version.payload), version.version

    def programme_version(self, programme_id: str, version: int) -> Programme:
        with self.database.session() as session:
            return Programme.model_validate(_version(session, programme_id, version).payload)

    def programme_public(self, programme_id: str, version: int | None = None) -> ProgrammePublic:
        """Return the current version, or the one asked for."""
        with self.database.session() as session:
            record, current = _current(session, programme_id)
            if version is not None and version != current.version:
                current = _version(session, programme_id, version)
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

    def programme_page(
        self, after: str | None, limit: int, since: dt.datetime | None, until: dt.datetime | None
    ) -> Page[ProgrammeSummary]:
        with self.database.session() as session:
            rows, next_after = keyset_page(
                session, _with_current_version(select(ProgrammeRecord, ProgrammeVersionRecord)),
                ProgrammeRecord, ProgrammeRecord.created_at,
                after=after, limit=limit, since=since, until=until,
            )
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

    # --- credentials -----------------------------------------------------------------------

    def add_credential(self, credential: MicroCredential, caller: Caller) -> CredentialPublic:
        record = _credential_record(credential, caller)
        with self.database.session() as session:
            session.add(record)
        return _credential_public(record)

    def credential_page(
        self, after: str | None, limit: int, since: dt.datetime | None, until: dt.datetime | None
    ) -> Page[CredentialPublic]:
        with self.database.session() as session:
            rows, next_after = keyset_page(
                session, select(CredentialRecord), CredentialRecord, CredentialRecord.created_at,
                after=after, limit=limit, since=since, until=until,
            )
            items = [_credential_public(row[0]) for row in rows]
        return Page[CredentialPublic](items=items, next_after=next_after)

    def credential_public(self, credential_id: str) -> CredentialPublic:
        with self.database.session() as session:
            record = session.get(CredentialRecord, credential_id)
            if record is None:
                raise not_found("credential", credential_id)
            return _credential_public(record)

    # --- applications ----------------------------------------------------------------------

    def create_application(self, request: ApplicationRequest, caller: Caller) -> ApplicationPublic:
        if not self.programme_exists(request.programme_id):
            raise not_found("programme", request.programme_id)
        record = ApplicationRecord(
            id=new_id(), programme_id=request.programme_id, reference=request.reference,
            revision=0, created_by=caller.key_id,
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
            _, version = _current(session, ledger.programme_id)
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

    # --- recognitions ----------------------------------------------------------------------

    def recognition_basis(self, request: RecognitionRequest) -> RecognitionBasis:
        """Return what the proposal is made from; refuse a credential the application holds."""
        with self.database.session() as session:
            _, version = _current(session, request.programme_id)
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
        records = tuple(_credential_record(credential, caller) for credential in credentials)
        with self.database.session() as session:
            _, version = _current(session, programme_id)
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
        after: str | None,
        limit: int,
        since: dt.datetime | None,
        until: dt.datetime | None,
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
            rows, next_after = keyset_page(
                session, statement, RecognitionRecord, RecognitionRecord.created_at,
                after=after, limit=limit, since=since, until=until,
            )
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
                    _version(session, recognition.programme_id, recognition.programme_version)
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


def _with_current_version(statement):  # noqa: ANN001, ANN202 - a Select of any columns
    return statement.select_from(ProgrammeRecord).join(
        ProgrammeVersionRecord,
        (ProgrammeVersionRecord.programme_id == ProgrammeRecord.id)
        & (ProgrammeVersionRecord.version == ProgrammeRecord.version),
    )


def _current(
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


def _version(session: Session, programme_id: str, version: int) -> ProgrammeVersionRecord:
    record = session.get(ProgrammeVersionRecord, (programme_id, version))
    if record is None:
        if session.get(ProgrammeRecord, programme_id) is None:
            raise not_found("programme", programme_id)
        raise not_found(f"version of programme {programme_id!r}", str(version))
    return record


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


def _credential_record(credential: MicroCredential, caller: Caller) -> CredentialRecord:
    record_id = new_id()
    # model_dump leaves out the learner identity (excluded in the domain model).
    payload = credential.model_dump(mode="json")
    payload.pop("learner", None)
    if not payload.get("id"):
        payload["id"] = record_id
    return CredentialRecord(
        id=record_id,
        payload=payload,
        fingerprint=credential.content_fingerprint(),
        submitted_by=caller.key_id,
    )


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


def _payload(programme: Programme) -> dict:
    return programme.model_dump(mode="json")


def _programme_public(
    record: ProgrammeRecord, version: ProgrammeVersionRecord
) -> ProgrammePublic:
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


def _credential_public(record: CredentialRecord) -> CredentialPublic:
    return CredentialPublic(
        id=record.id,
        created_at=record.created_at,
        credential=MicroCredential.model_validate(record.payload),
    )


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
    return DecisionPublic(
        id=record.id,
        recognition_id=record.recognition_id,
        action=DecisionAction(record.action),
        modules=[ModuleAward.model_validate(item) for item in record.modules or []],
        total_ects=record.total_ects or 0.0,
        reason=record.reason,
        decided_by=KeyRef(key_id=record.key_id, name=record.key_name),
        decided_at=record.created_at,
    )
