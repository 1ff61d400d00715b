"""Standing equivalency rules: an evaluator's decision kept to apply to the next learner."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Response, status
from pydantic import BeforeValidator

from api.equivalency_rules import EquivalencyRules
from api.equivalency_schemas import (
    END_EXAMPLES,
    RULE_EXAMPLES,
    EquivalencyRulePublic,
    RuleEndRequest,
    RuleRequest,
)
from api.listing import After, Limit
from api.operations import any_role_reads, idempotent_write
from api.schemas import Page
from api.security import EvaluatorCaller
from api.services import ServicesDep

router = APIRouter(prefix="/equivalency-rules", tags=["equivalency rules"])
RuleId = Annotated[str, Path(max_length=100, description="The rule's id.")]

CREATE_DESCRIPTION = """\
Make an accept or modify decision a standing rule: a later credential toward the same programme,
from the same awarding body and with the same title (compared without regard to case, spacing
or Unicode form), issued from `valid_from` until `valid_until` (inclusive; null: until ended), is
proposed the modules the decision awarded, each with the finding `equivalency.rule_applied`
citing the decision and `modules[].rule_id`. One issued outside the window gets
`equivalency.rule_expired`, and the engine's own proposal.

Only the latest decision on a proposal of one credential can stand: a rejection, a superseded
decision or one on stacked credentials is refused (409); an unknown decision is a 404.
Rules are append-only, like decisions: a rule is never changed; ending it adds to its history.
"""


def _rules(svc: ServicesDep) -> EquivalencyRules:
    return EquivalencyRules(svc.database)


Rules = Annotated[EquivalencyRules, Depends(_rules)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Make a decision a standing equivalency rule",
    description=CREATE_DESCRIPTION,
    **idempotent_write(RuleRequest),
)
def create_equivalency_rule(
    response: Response,
    request: Annotated[RuleRequest, Body(openapi_examples=RULE_EXAMPLES)],
    caller: EvaluatorCaller,
    rules: Rules,
) -> EquivalencyRulePublic:
    public = rules.create(request, caller)
    response.headers["Location"] = f"/v1/equivalency-rules/{public.id}"
    return public


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date_only(value: object) -> object:
    """An ISO date as written (YYYY-MM-DD), not any value pydantic could read as a date (``0``
    is a Unix time to it)."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("an ISO date, YYYY-MM-DD")
    return value


@router.get(
    "",
    summary="List standing equivalency rules, oldest first, a page at a time",
    description="`active_on=DATE`: only the rules that cover credentials issued that day.",
    **any_role_reads(),
)
def list_equivalency_rules(
    rules: Rules,
    after: After = None,
    limit: Limit = 50,
    active_on: Annotated[
        dt.date | None, BeforeValidator(iso_date_only), Query(description="An ISO date.")
    ] = None,
    programme_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[EquivalencyRulePublic]:
    return rules.page(after, limit, active_on, programme_id)


@router.get(
    "/{rule_id}",
    summary="Get a standing equivalency rule, with its history",
    **any_role_reads(),
)
def get_equivalency_rule(rule_id: RuleId, rules: Rules) -> EquivalencyRulePublic:
    return rules.get(rule_id)


@router.post(
    "/{rule_id}/end",
    summary="End a standing equivalency rule",
    description="Credentials issued after `ends_on` (by default today) are no longer covered. "
    "The end is added to the rule's history; an end can come sooner than the rule's, never "
    "later (409): make a new rule to cover later credentials.",
    **idempotent_write(RuleEndRequest),
)
def end_equivalency_rule(
    rule_id: RuleId,
    request: Annotated[RuleEndRequest, Body(openapi_examples=END_EXAMPLES)],
    caller: EvaluatorCaller,
    rules: Rules,
) -> EquivalencyRulePublic:
    return rules.end(rule_id, request, caller)
