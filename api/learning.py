"""The decisions evaluators recorded on a programme, as the engine learns from them.

The latest decision on each recognition counts (a later one supersedes an earlier one): what
it awards counts for those modules; modules that were proposed and not awarded (a rejection,
or modules a modification removed) count against them. Only what the proposal kept of each
credential is read — titles and outcomes, never learner identity.
"""

from __future__ import annotations

from sqlalchemy import func, select

from api.database import Database
from api.tables import DecisionRecord, RecognitionRecord
from recognition_engine.domain import RecognitionProposal
from recognition_engine.learning.recorded import RecordedDecision
from recognition_engine.matching import credential_text


def recorded_decisions(database: Database, programme_id: str) -> list[RecordedDecision]:
    """Return the latest decision on each recognition of the programme, oldest first."""
    latest = (
        select(DecisionRecord.recognition_id, func.max(DecisionRecord.id).label("id"))
        .group_by(DecisionRecord.recognition_id)
        .subquery()
    )
    with database.session() as session:
        rows = session.execute(
            select(RecognitionRecord, DecisionRecord)
            .join(latest, latest.c.recognition_id == RecognitionRecord.id)
            .join(DecisionRecord, DecisionRecord.id == latest.c.id)
            .where(RecognitionRecord.programme_id == programme_id)
            .order_by(DecisionRecord.id)
        ).all()
        return [_recorded(recognition, decision) for recognition, decision in rows]


def _recorded(recognition: RecognitionRecord, decision: DecisionRecord) -> RecordedDecision:
    proposal = RecognitionProposal.model_validate(recognition.proposal)
    awarded = [str(item["module_code"]) for item in decision.modules or []]
    proposed = [module.module_code for module in proposal.modules]
    credentials = proposal.credentials
    known = [c.ects for c in credentials if c.ects is not None]
    return RecordedDecision(
        key=recognition.id,
        title=" + ".join(c.title for c in credentials),
        outcomes=[text for c in credentials for text in c.outcomes],
        whole_text=" ".join(credential_text(c.title, c.outcomes) for c in credentials),
        ects=sum(known) if known else None,
        accepted=awarded,
        refused=[code for code in proposed if code not in awarded],
        decided_on=decision.created_at.date().isoformat(),
        record_id=str(decision.id),
    )
