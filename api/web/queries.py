"""Reads the pages need and the API does not offer: the list of cases, and of screenings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from api.database import Database
from api.screening import visible_to
from api.security import Caller
from api.tables import DecisionRecord, RecognitionRecord, ScreeningRecord

PENDING = "pending"
STATES = (PENDING, "accept", "modify", "reject")


@dataclass(frozen=True)
class CaseRow:
    id: str
    created_at: dt.datetime
    programme_id: str
    programme_version: int
    titles: list[str]
    status: str  # the proposal's
    proposed_ects: float
    state: str  # pending, or the latest decision's action
    decided_at: dt.datetime | None
    awarded_ects: float | None


@dataclass(frozen=True)
class CaseFilter:
    programme_id: str | None = None
    state: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def list_cases(database: Database, where: CaseFilter, limit: int = 200) -> list[CaseRow]:
    """Return the cases that pass the filter, newest first."""
    latest = (
        select(DecisionRecord.recognition_id, func.max(DecisionRecord.id).label("decision_id"))
        .group_by(DecisionRecord.recognition_id)
        .subquery()
    )
    statement = (
        select(RecognitionRecord, DecisionRecord)
        .outerjoin(latest, latest.c.recognition_id == RecognitionRecord.id)
        .outerjoin(DecisionRecord, DecisionRecord.id == latest.c.decision_id)
        .order_by(RecognitionRecord.created_at.desc())
        .limit(limit)
    )
    if where.programme_id:
        statement = statement.where(RecognitionRecord.programme_id == where.programme_id)
    if where.state == PENDING:
        statement = statement.where(DecisionRecord.id.is_(None))
    elif where.state in STATES:
        statement = statement.where(DecisionRecord.action == where.state)
    if where.since:
        statement = statement.where(RecognitionRecord.created_at >= _start_of(where.since))
    if where.until:
        statement = statement.where(
            RecognitionRecord.created_at < _start_of(where.until + dt.timedelta(days=1))
        )
    with database.session() as session:
        return [_row(recognition, decision) for recognition, decision in session.execute(statement)]


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _row(recognition: RecognitionRecord, decision: DecisionRecord | None) -> CaseRow:
    proposal = recognition.proposal
    return CaseRow(
        id=recognition.id,
        created_at=recognition.created_at,
        programme_id=recognition.programme_id,
        programme_version=recognition.programme_version,
        titles=[credential["title"] for credential in proposal.get("credentials", [])],
        status=proposal["status"],
        proposed_ects=proposal.get("total_proposed_ects", 0.0),
        state=decision.action if decision else PENDING,
        decided_at=decision.created_at if decision else None,
        awarded_ects=decision.total_ects if decision else None,
    )


def list_screenings(
    database: Database, viewer: Caller, limit: int = 100
) -> list[ScreeningRecord]:
    """Return the latest screenings ``viewer`` may see, newest first (detached rows,
    read-only)."""
    statement = visible_to(viewer, select(ScreeningRecord))
    with database.session() as session:
        rows = session.scalars(
            statement.order_by(ScreeningRecord.created_at.desc()).limit(limit)
        ).all()
        session.expunge_all()
        return list(rows)
