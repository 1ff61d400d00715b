"""Applications: the credentials one learner brings to one programme, under a pseudonymous id.

The programme's cap on micro-credential ECTS holds across an application. Each earlier
recognition in it counts its latest decision's awarded ECTS if decided (0 if rejected), else its
proposal's total: a pending proposal reserves its ECTS. A credential already in a recognition of
the application that is not rejected, under its id or another one with the same content, is
refused.

Writers serialise on the application's row: a decision bumps its ``revision`` before it reads
the ledger, and a recognition (whose proposal takes a while) is stored only if the revision it
was proposed at is still the current one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.problems import ApiProblem, not_found
from api.schemas import ApplicationRecognition, DecisionAction, RecognitionState
from api.tables import (
    ApplicationRecognitionRecord,
    ApplicationRecord,
    CredentialRecord,
    DecisionRecord,
    RecognitionRecord,
)

STATE_OF_ACTION = {
    DecisionAction.ACCEPT.value: RecognitionState.ACCEPTED,
    DecisionAction.MODIFY.value: RecognitionState.MODIFIED,
    DecisionAction.REJECT.value: RecognitionState.REJECTED,
}


@dataclass(frozen=True)
class LedgerEntry:
    """One earlier recognition of an application, as it counts now."""

    recognition_id: str
    credential_ids: tuple[str, ...]
    fingerprints: frozenset[str]
    state: RecognitionState
    ects: float

    def public(self) -> ApplicationRecognition:
        return ApplicationRecognition(
            recognition_id=self.recognition_id,
            credential_ids=list(self.credential_ids),
            state=self.state,
            ects=self.ects,
        )


@dataclass(frozen=True)
class Ledger:
    """What an application holds of its programme's cap, at one revision."""

    application_id: str
    programme_id: str
    revision: int
    entries: tuple[LedgerEntry, ...]

    def counted_ects(self, excluding: str | None = None) -> float:
        """Return the ECTS the recognitions hold of the cap (all but ``excluding``)."""
        total = sum(e.ects for e in self.entries if e.recognition_id != excluding)
        return round(total, 2)

    def refuse_repeats(self, credentials: Sequence[tuple[str, str | None]]) -> None:
        """Refuse (409) a credential, given as (id, fingerprint), that the application holds."""
        for credential_id, fingerprint in credentials:
            for entry in self.entries:
                if entry.state is RecognitionState.REJECTED:
                    continue
                if credential_id in entry.credential_ids:
                    raise _already_recognised(
                        f"credential {credential_id!r} is already in recognition "
                        f"{entry.recognition_id!r} of application {self.application_id!r}"
                    )
                if fingerprint is not None and fingerprint in entry.fingerprints:
                    raise _already_recognised(
                        f"credential {credential_id!r} has the same content as a credential "
                        f"already in recognition {entry.recognition_id!r} of application "
                        f"{self.application_id!r}"
                    )


def _already_recognised(detail: str) -> ApiProblem:
    return ApiProblem(
        409, "already-recognised", "Credential already recognised in this application",
        detail + "; a credential counts once (record a 'reject' decision on the earlier "
        "recognition to request it again)",
    )


def load_ledger(session: Session, application_id: str) -> Ledger:
    """Return the application's ledger as the session sees it (404 if unknown)."""
    application = session.get(ApplicationRecord, application_id)
    if application is None:
        raise not_found("application", application_id)
    recognitions = session.execute(
        select(RecognitionRecord.id, RecognitionRecord.credential_ids, RecognitionRecord.proposal)
        .join(
            ApplicationRecognitionRecord,
            ApplicationRecognitionRecord.recognition_id == RecognitionRecord.id,
        )
        .where(ApplicationRecognitionRecord.application_id == application_id)
        .order_by(RecognitionRecord.created_at, RecognitionRecord.id)
    ).all()
    ids = [row.id for row in recognitions]
    latest: dict[str, tuple[str, float]] = {}
    for recognition_id, action, total in session.execute(
        select(DecisionRecord.recognition_id, DecisionRecord.action, DecisionRecord.total_ects)
        .where(DecisionRecord.recognition_id.in_(ids))
        .order_by(DecisionRecord.id)
    ).all():
        latest[recognition_id] = (action, total or 0.0)  # a later decision supersedes
    credential_ids = {cid for row in recognitions for cid in row.credential_ids}
    fingerprint_of = dict(
        session.execute(
            select(CredentialRecord.id, CredentialRecord.fingerprint).where(
                CredentialRecord.id.in_(credential_ids)
            )
        ).all()
    )
    entries = []
    for row in recognitions:
        if row.id in latest:
            action, awarded = latest[row.id]
            state = STATE_OF_ACTION[action]
            ects = 0.0 if state is RecognitionState.REJECTED else awarded
        else:
            state, ects = RecognitionState.PENDING, row.proposal.get("total_proposed_ects", 0.0)
        entries.append(
            LedgerEntry(
                recognition_id=row.id,
                credential_ids=tuple(row.credential_ids),
                fingerprints=frozenset(
                    fp for cid in row.credential_ids if (fp := fingerprint_of.get(cid))
                ),
                state=state,
                ects=float(ects),
            )
        )
    return Ledger(application_id, application.programme_id, application.revision, tuple(entries))


def lock_application_of(session: Session, recognition_id: str) -> str | None:
    """Take the row of the recognition's application, if it has one, and return its id.

    The first statement of the transaction must be this write: SQLite starts its write lock
    there, and every read after it sees what the lock protects.
    """
    locked = session.execute(
        update(ApplicationRecord)
        .where(
            ApplicationRecord.id
            == select(ApplicationRecognitionRecord.application_id)
            .where(ApplicationRecognitionRecord.recognition_id == recognition_id)
            .scalar_subquery()
        )
        .values(revision=ApplicationRecord.revision + 1)
    )
    if locked.rowcount == 0:
        return None
    return session.scalar(
        select(ApplicationRecognitionRecord.application_id).where(
            ApplicationRecognitionRecord.recognition_id == recognition_id
        )
    )


def claim(session: Session, ledger: Ledger) -> None:
    """Take the application's row if it is still at the ledger's revision, else refuse (409).

    The first statement of the transaction, as in ``lock_application_of``.
    """
    claimed = session.execute(
        update(ApplicationRecord)
        .where(
            ApplicationRecord.id == ledger.application_id,
            ApplicationRecord.revision == ledger.revision,
        )
        .values(revision=ApplicationRecord.revision + 1)
    )
    if claimed.rowcount != 1:
        raise ApiProblem(
            409, "application-changed", "Application changed",
            f"application {ledger.application_id!r} changed while the proposal was made; "
            "send the request again",
        )
