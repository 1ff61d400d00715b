"""Reads and writes of submitted credentials, stored without the learner's identity."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from api.database import Database
from api.listing import Window, keyset_page
from api.problems import not_found
from api.schemas import (
    CredentialPublic,
    Page,
)
from api.security import Caller
from api.tables import (
    CredentialRecord,
)
from recognition_engine.domain import MicroCredential


class CredentialStore:
    """Submitted credentials (mixed into ``Store``)."""

    database: Database

    def add_credential(self, credential: MicroCredential, caller: Caller) -> CredentialPublic:
        record = credential_record(credential, caller)
        with self.database.session() as session:
            session.add(record)
        return _credential_public(record)

    def credential_page(self, window: Window) -> Page[CredentialPublic]:
        statement = select(CredentialRecord)
        with self.database.session() as session:
            rows, next_after = keyset_page(session, statement, CredentialRecord, window)
            items = [_credential_public(row[0]) for row in rows]
        return Page[CredentialPublic](items=items, next_after=next_after)

    def credential_public(self, credential_id: str) -> CredentialPublic:
        with self.database.session() as session:
            record = session.get(CredentialRecord, credential_id)
            if record is None:
                raise not_found("credential", credential_id)
            return _credential_public(record)


def new_id() -> str:
    return uuid.uuid4().hex


def credential_record(credential: MicroCredential, caller: Caller) -> CredentialRecord:
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


def _credential_public(record: CredentialRecord) -> CredentialPublic:
    return CredentialPublic(
        id=record.id,
        created_at=record.created_at,
        credential=MicroCredential.model_validate(record.payload),
    )
