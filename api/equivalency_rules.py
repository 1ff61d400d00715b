"""Reads and writes of standing equivalency rules: made from a decision, ended, never changed.

A rule and each end put to it are rows of append-only tables (migration 0008); what a rule
covers now is read from both. Applying rules to a proposal is the engine's pure
``recognition_engine.decision.equivalency``: this module only loads them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.database import Database
from api.equivalency_schemas import EquivalencyRulePublic, RuleEnd, RuleEndRequest, RuleRequest
from api.listing import Window, keyset_page
from api.problems import Conflict, not_found
from api.schemas import DecisionAction, KeyRef, Page
from api.security import Caller
from api.tables import (
    CredentialRecord,
    DecisionRecord,
    EquivalencyRuleEndRecord,
    EquivalencyRuleRecord,
    RecognitionRecord,
    from_columns,
)
from recognition_engine.decision.equivalency import apply_equivalency_rules, rule_key
from recognition_engine.domain import MicroCredential, Programme, RecognitionProposal
from recognition_engine.domain.equivalency import EquivalencyRule


class EquivalencyRules:
    """The rules kept in the service's database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create(self, request: RuleRequest, caller: Caller) -> EquivalencyRulePublic:
        """Make a rule from an accept or modify decision, the latest on its recognition."""
        with self.database.session() as session:
            decision = session.get(DecisionRecord, request.decision_id)
            if decision is None:
                raise not_found("decision", str(request.decision_id))
            credential = _decided_credential(session, decision)
            record = EquivalencyRuleRecord(
                id=uuid.uuid4().hex,
                decision_id=decision.id,
                recognition_id=decision.recognition_id,
                programme_id=session.get(RecognitionRecord, decision.recognition_id).programme_id,
                awarding_body=credential.awarding_body,
                title=credential.title,
                match_key=rule_key(credential.awarding_body, credential.title),
                modules=list(decision.modules or []),
                valid_from=request.valid_from,
                valid_until=request.valid_until,
                note=request.note,
                decided_at=decision.created_at,
                key_id=caller.key_id,
                key_name=caller.name,
            )
            session.add(record)
            session.flush()
            return _public(record, [])

    def end(self, rule_id: str, request: RuleEndRequest, caller: Caller) -> EquivalencyRulePublic:
        """Record an end; it may bring the rule's end sooner, never later (make a new rule)."""
        ends_on = request.ends_on or dt.datetime.now(dt.UTC).date()
        with self.database.session() as session:
            record, ends = _rule(session, rule_id)
            until = _valid_until(record, ends)
            if ends_on < record.valid_from:
                raise Conflict(
                    f"the rule covers credentials issued from {record.valid_from}: it cannot "
                    f"end on {ends_on}, before it starts"
                )
            if until is not None and ends_on > until:
                raise Conflict(
                    f"the rule already ends on {until}: an end can only come sooner (make a new "
                    "rule from the decision to cover later credentials)"
                )
            session.add(
                EquivalencyRuleEndRecord(
                    rule_id=record.id,
                    ends_on=ends_on,
                    note=request.note,
                    key_id=caller.key_id,
                    key_name=caller.name,
                )
            )
            session.flush()
            return _public(record, _ends(session, [record.id])[record.id])

    def get(self, rule_id: str) -> EquivalencyRulePublic:
        with self.database.session() as session:
            return _public(*_rule(session, rule_id))

    def page(
        self,
        after: str | None,
        limit: int,
        active_on: dt.date | None = None,
        programme_id: str | None = None,
    ) -> Page[EquivalencyRulePublic]:
        """Rules oldest first; ``active_on``: those that cover credentials issued that day."""
        statement = select(EquivalencyRuleRecord)
        if programme_id is not None:
            statement = statement.where(EquivalencyRuleRecord.programme_id == programme_id)
        if active_on is not None:
            statement = _active_on(statement, active_on)
        with self.database.session() as session:
            rows, next_after = keyset_page(
                session, statement, EquivalencyRuleRecord, Window(after, limit)
            )
            records = [row[0] for row in rows]
            ends = _ends(session, [record.id for record in records])
            items = [_public(record, ends[record.id]) for record in records]
        return Page[EquivalencyRulePublic](items=items, next_after=next_after)

    def made_from(self, recognition_id: str) -> list[EquivalencyRulePublic]:
        """The rules made from the decisions on one recognition, oldest first."""
        with self.database.session() as session:
            records = session.scalars(
                select(EquivalencyRuleRecord)
                .where(EquivalencyRuleRecord.recognition_id == recognition_id)
                .order_by(EquivalencyRuleRecord.created_at, EquivalencyRuleRecord.id)
            ).all()
            ends = _ends(session, [record.id for record in records])
            return [_public(record, ends[record.id]) for record in records]

    def naming(
        self, programme_id: str, credentials: Sequence[MicroCredential]
    ) -> list[EquivalencyRule]:
        """The programme's rules that may name one of ``credentials`` (same awarding body and
        title), as they stand now, ended or not: the engine tells a credential in a rule's
        window from one outside it."""
        keys = {rule_key(c.awarding_body, c.title) for c in credentials}
        with self.database.session() as session:
            records = session.scalars(
                select(EquivalencyRuleRecord)
                .where(
                    EquivalencyRuleRecord.programme_id == programme_id,
                    EquivalencyRuleRecord.match_key.in_(keys),
                )
                .order_by(EquivalencyRuleRecord.created_at, EquivalencyRuleRecord.id)
            ).all()
            ends = _ends(session, [record.id for record in records])
            return [_domain(record, ends[record.id]) for record in records]

    def apply(
        self,
        proposal: RecognitionProposal,
        credentials: Sequence[MicroCredential],
        programme: Programme,
    ) -> RecognitionProposal:
        """Return ``proposal`` with the programme's standing rules applied."""
        rules = self.naming(programme.id, credentials)
        return apply_equivalency_rules(proposal, credentials, programme, rules)


Ends = Sequence[EquivalencyRuleEndRecord]  # a rule's ends, oldest first


# --- reads ---------------------------------------------------------------------------------


def _decided_credential(session: Session, decision: DecisionRecord) -> MicroCredential:
    """The one credential a rule can be made from; refuse what cannot stand as a rule."""
    if decision.action == DecisionAction.REJECT.value:
        raise Conflict(
            f"decision {decision.id} rejects the proposal: only an accept or modify decision "
            "can stand as a rule"
        )
    if not decision.modules:
        raise Conflict(f"decision {decision.id} awards no module: there is nothing to stand")
    latest = session.scalar(
        select(func.max(DecisionRecord.id)).where(
            DecisionRecord.recognition_id == decision.recognition_id
        )
    )
    if latest != decision.id:
        raise Conflict(
            f"decision {decision.id} was superseded by decision {latest} on the same "
            "recognition: make the rule from the latest"
        )
    recognition = session.get(RecognitionRecord, decision.recognition_id)
    if len(recognition.credential_ids) != 1:
        raise Conflict(
            f"decision {decision.id} is on {len(recognition.credential_ids)} stacked "
            "credentials: a standing rule is made from a decision on one credential"
        )
    record = session.get(CredentialRecord, recognition.credential_ids[0])
    if record is None:
        raise not_found("credential", recognition.credential_ids[0])
    return MicroCredential.model_validate(record.payload)


def _rule(
    session: Session, rule_id: str
) -> tuple[EquivalencyRuleRecord, list[EquivalencyRuleEndRecord]]:
    record = session.get(EquivalencyRuleRecord, rule_id)
    if record is None:
        raise not_found("equivalency rule", rule_id)
    return record, _ends(session, [rule_id])[rule_id]


def _ends(session: Session, rule_ids: Sequence[str]) -> dict[str, list[EquivalencyRuleEndRecord]]:
    """Each rule's ends, oldest first."""
    ends: dict[str, list[EquivalencyRuleEndRecord]] = {rule_id: [] for rule_id in rule_ids}
    if rule_ids:
        records = session.scalars(
            select(EquivalencyRuleEndRecord)
            .where(EquivalencyRuleEndRecord.rule_id.in_(set(rule_ids)))
            .order_by(EquivalencyRuleEndRecord.id)
        ).all()
        for record in records:
            ends[record.rule_id].append(record)
    return ends


def _active_on(statement, day: dt.date):  # noqa: ANN001, ANN202 - a Select of rules
    ended_before = (
        select(EquivalencyRuleEndRecord.id)
        .where(EquivalencyRuleEndRecord.rule_id == EquivalencyRuleRecord.id)
        .where(EquivalencyRuleEndRecord.ends_on < day)
        .exists()
    )
    return statement.where(
        EquivalencyRuleRecord.valid_from <= day,
        (EquivalencyRuleRecord.valid_until.is_(None)) | (EquivalencyRuleRecord.valid_until >= day),
        ~ended_before,
    )


def _valid_until(record: EquivalencyRuleRecord, ends: Ends) -> dt.date | None:
    """The last issue date the rule covers now: the soonest of its own and its ends'."""
    days = [day for day in (record.valid_until, *(end.ends_on for end in ends)) if day]
    return min(days) if days else None


# --- shapes --------------------------------------------------------------------------------


def _domain(record: EquivalencyRuleRecord, ends: Ends) -> EquivalencyRule:
    return from_columns(
        EquivalencyRule,
        record,
        valid_until=_valid_until(record, ends),
        decided_on=record.decided_at.date(),
    )


def _public(record: EquivalencyRuleRecord, ends: Ends) -> EquivalencyRulePublic:
    return from_columns(
        EquivalencyRulePublic,
        record,
        valid_until=_valid_until(record, ends),
        valid_until_as_made=record.valid_until,
        made_by=KeyRef(key_id=record.key_id, name=record.key_name),
        made_at=record.created_at,
        ends=[
            RuleEnd(
                ends_on=end.ends_on,
                note=end.note,
                ended_by=KeyRef(key_id=end.key_id, name=end.key_name),
                ended_at=end.created_at,
            )
            for end in ends
        ],
    )
