"""Batch pre-screening jobs: acknowledged at once (202), run in background threads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Response, status

from api.examples import SCREENING_EXAMPLES
from api.idempotency import idempotency_key
from api.links import SCREENING_LINKS, created
from api.listing import After, CreatedBefore, CreatedFrom, Limit, Window
from api.operations import READ_PROBLEMS
from api.problems import problem_responses
from api.reader_language import ReaderLanguage, results_for_reader
from api.schemas import (
    Page,
    ScreeningCreated,
    ScreeningPublic,
    ScreeningRequest,
    ScreeningResults,
    ScreeningStatus,
)
from api.security import AnyCaller, ScreeningCaller
from api.services import ServicesDep
from api.strict_body import strict_json
from recognition_engine.ingestion import read_credentials
from recognition_engine.skills.counting import SkillCount, SkillRole

router = APIRouter(prefix="/screenings", tags=["screenings"])
ScreeningId = Annotated[str, Path(max_length=100, description="The screening's id.")]

CREATE_DESCRIPTION = """\
Each credential is screened alone against each programme. Learner identities are dropped before
storage; each credential is read as `POST /v1/credentials` reads the engine's format, so its
`provenance` and `eu_elements` are the engine's, never what the body says. Poll the job, then
page through its results; or give a `callback_url` to be called when it completes.

**The callback** is a `POST` of the screening's status (JSON) with two headers:

* `X-Recognition-Screening`: the screening's id;
* `X-Recognition-Signature: t=<unix time>,v1=<hex>`: the HMAC-SHA256, under the
  `callback_secret` of this answer (shown once: keep it), of the time, a `.` and the raw body.

A receiver recomputes `v1` over `t + "." + body` and compares in constant time, and refuses a
`t` more than a few minutes from its clock (a replay). Until it answers 2xx the call is tried
again, waiting longer each time; a redirect is not followed (a failed try). `callback` in the
screening's status says how the delivery went.
"""


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Screen many credentials against one or more programmes (a background job)",
    responses=problem_responses(400, 401, 403, 404, 413, 422, 429)
    | created(SCREENING_LINKS, status=202),
    description=CREATE_DESCRIPTION,
    dependencies=[Depends(idempotency_key), strict_json(ScreeningRequest)],
)
def create_screening(
    response: Response,
    request: Annotated[ScreeningRequest, Body(openapi_examples=SCREENING_EXAMPLES)],
    caller: ScreeningCaller,
    svc: ServicesDep,
) -> ScreeningCreated:
    public = svc.screenings.submit(_read_inline(request), caller)
    response.headers["Location"] = f"/v1/screenings/{public.id}"
    return public


def _read_inline(request: ScreeningRequest) -> ScreeningRequest:
    """The request with each inline credential as the engine's reader reads it: what the body
    says of its own provenance and EU 2022 elements is not believed."""
    read = [
        credential
        for number, sent in enumerate(request.credentials)
        for credential in read_credentials(
            sent.model_dump(mode="json"), f"request body: credentials[{number}]"
        )
    ]
    return request.model_copy(update={"credentials": read})


@router.get(
    "",
    summary="List screenings, oldest first, a page at a time",
    description="Only the screenings this key asked for (an admin sees them all).",
    responses=problem_responses(*READ_PROBLEMS),
)
def list_screenings(
    svc: ServicesDep,
    caller: AnyCaller,
    # a CreatedWindow's parameters, spelled out: FastAPI would list a dependency's after the
    # route's own, and the document has always listed them before the filters
    after: After = None,
    limit: Limit = 50,
    created_from: CreatedFrom = None,
    created_before: CreatedBefore = None,
    status: ScreeningStatus | None = None,
) -> Page[ScreeningPublic]:
    window = Window(after, limit, created_from, created_before)
    return svc.screenings.page(caller, window, status)


@router.get(
    "/{screening_id}",
    summary="Status and progress of a screening",
    description="A screening is visible to the key that asked for it (through the API or "
    "the workbench) and to admins; to any other key it does not exist (404).",
    responses=problem_responses(*READ_PROBLEMS),
)
def get_screening(
    screening_id: ScreeningId, svc: ServicesDep, caller: AnyCaller
) -> ScreeningPublic:
    return svc.screenings.status(screening_id, caller)


@router.get(
    "/{screening_id}/results",
    summary="A page of a screening's results, in request order",
    description="Visible as the screening is: to the key that asked for it and to admins.",
    responses=problem_responses(*READ_PROBLEMS),
)
def get_screening_results(
    screening_id: ScreeningId,
    svc: ServicesDep,
    caller: AnyCaller,
    language: ReaderLanguage,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    skill: Annotated[
        str | None,
        Query(
            max_length=500,
            description="An ESCO skill URI: only the results whose proposed modules have it.",
        ),
    ] = None,
    skill_role: Annotated[
        SkillRole,
        Query(description="With skill: the modules share it, lack it, or either."),
    ] = "any",
) -> ScreeningResults:
    results = svc.screenings.results(screening_id, offset, limit, caller, skill, skill_role)
    return results_for_reader(results, language)


@router.get(
    "/{screening_id}/skills",
    summary="A screening's ESCO skills, counted",
    description="For each ESCO skill of the screening's proposed modules: in how many "
    "proposals a module shares it with the credential, and in how many the credential lacks "
    "it. Most shared first. Visible as the screening is.",
    responses=problem_responses(*READ_PROBLEMS),
)
def get_screening_skills(
    screening_id: ScreeningId, svc: ServicesDep, caller: AnyCaller
) -> list[SkillCount]:
    return svc.screenings.skill_counts(screening_id, caller)
