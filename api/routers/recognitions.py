"""Recognition proposals, and the evaluators' append-only decisions on them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Response, status

from api.equivalency_rules import EquivalencyRules
from api.examples import DECISION_EXAMPLES, RECOGNITION_EXAMPLES
from api.links import RECOGNITION_LINKS
from api.listing import After, CreatedBefore, CreatedFrom, Limit, Window
from api.operations import any_role_reads, idempotent_write
from api.problems import problem_responses
from api.reader_language import ReaderLanguage, for_reader
from api.schemas import (
    DecisionBody,
    DecisionPublic,
    Page,
    RecognitionListState,
    RecognitionPublic,
    RecognitionRequest,
)
from api.security import EvaluatorCaller, Role, ScreeningCaller, require
from api.services import ServicesDep

router = APIRouter(prefix="/recognitions", tags=["recognitions"])
RecognitionId = Annotated[str, Path(max_length=100, description="The recognition's id.")]

PROPOSE_DESCRIPTION = """\
The proposal is made against the programme's current version, and keeps pointing at it
(`programme_version_url`): later decisions are checked against that version's modules.

With an `application_id`, the programme's cap holds across the application: the proposal stays
within what its earlier recognitions leave (a pending one reserves its proposed ECTS, a decided
one holds what was awarded, a rejected one nothing), and a credential already in one of them
that is not rejected, under its id or another with the same content, is refused with a 409.

Every finding and reason is a stable dotted `code` with typed `params` (what a client reads),
and a `message` rendered for people in the language of `Accept-Language`: English (`en`, also
when the header is absent or names none of these), Georgian (`ka`) or Armenian (`hy`); the
answer's `Content-Language` says which. A finding's `reason` is the same text as its `message`,
and `reasons` are the `reason_codes` rendered, kept for clients that read them.
"""


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Propose recognition of one or more (stacked) credentials toward a programme",
    description=PROPOSE_DESCRIPTION,
    **idempotent_write(RecognitionRequest, also=(503,), links=RECOGNITION_LINKS),
)
def create_recognition(
    response: Response,
    request: Annotated[RecognitionRequest, Body(openapi_examples=RECOGNITION_EXAMPLES)],
    caller: ScreeningCaller,
    svc: ServicesDep,
    language: ReaderLanguage,
) -> RecognitionPublic:
    basis = svc.store.recognition_basis(request)
    proposal = svc.engine.recognise(
        list(basis.credentials), basis.programme, awarded_ects=basis.awarded_ects
    )
    proposal = EquivalencyRules(svc.database).apply(proposal, basis.credentials, basis.programme)
    public = svc.store.add_recognition(basis, proposal, caller)
    response.headers["Location"] = f"/v1/recognitions/{public.id}"
    return _localised(public, language)


def _localised(public: RecognitionPublic, language: str) -> RecognitionPublic:
    return public.model_copy(update={"proposal": for_reader(public.proposal, language)})


@router.get(
    "",
    summary="List recognitions, oldest first, a page at a time",
    description="`status=awaiting_decision`: the proposals no evaluator has decided yet, the "
    "workbench's queue; `decided`: those with at least one decision.",
    **any_role_reads(),
)
def list_recognitions(
    svc: ServicesDep,
    language: ReaderLanguage,
    # a CreatedWindow's parameters, spelled out: FastAPI would list a dependency's after the
    # route's own, and the document has always listed them before the filters
    after: After = None,
    limit: Limit = 50,
    created_from: CreatedFrom = None,
    created_before: CreatedBefore = None,
    status: RecognitionListState | None = None,
    programme_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[RecognitionPublic]:
    window = Window(after, limit, created_from, created_before)
    page = svc.store.recognition_page(window, status, programme_id)
    return page.model_copy(update={"items": [_localised(r, language) for r in page.items]})


@router.get(
    "/{recognition_id}",
    summary="Get a recognition proposal",
    **any_role_reads(),
)
def get_recognition(
    recognition_id: RecognitionId, svc: ServicesDep, language: ReaderLanguage
) -> RecognitionPublic:
    return _localised(svc.store.recognition(recognition_id), language)


DECISION_DESCRIPTION = """\
Record an evaluator's decision: **accept** the proposal as it is, **modify** it (other modules
or ECTS, given in `modules`), or **reject** it, always with a reason.

Decisions are an append-only audit trail (who, when, what, why): there is no way to change or
delete one, through the API or in the database. A later decision supersedes an earlier one.

Modules are checked against the programme version the proposal was made against, and the total
against the programme's cap and, in an application, against what its other recognitions leave.
"""


@router.post(
    "/{recognition_id}/decisions",
    status_code=status.HTTP_201_CREATED,
    summary="Record a decision on a proposal",
    description=DECISION_DESCRIPTION,
    **idempotent_write(DecisionBody),
)
def record_decision(
    recognition_id: RecognitionId,
    decision: Annotated[DecisionBody, Body(openapi_examples=DECISION_EXAMPLES)],
    caller: EvaluatorCaller,
    svc: ServicesDep,
) -> DecisionPublic:
    return svc.store.add_decision(recognition_id, decision.decision(), caller)


@router.get(
    "/{recognition_id}/decisions",
    summary="The decision history of a proposal, oldest first",
    responses=problem_responses(401, 403, 404, 422, 429),
    dependencies=[Depends(require(Role.EVALUATOR))],
)
def list_decisions(
    recognition_id: RecognitionId, svc: ServicesDep
) -> list[DecisionPublic]:
    return svc.store.decisions(recognition_id)
