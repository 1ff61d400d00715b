"""Programmes and their module catalogues (admin); every change re-indexes the programme."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Response, status

from api.examples import PROGRAMME_EXAMPLES
from api.idempotency import idempotency_key
from api.links import PROGRAMME_LINKS, created
from api.listing import Window, window_query
from api.operations import any_role_reads
from api.problems import problem_responses
from api.schemas import (
    Page,
    ProgrammePublic,
    ProgrammeReplacement,
    ProgrammeRequest,
    ProgrammeSummary,
)
from api.security import require
from api.services import ServicesDep
from api.store import programme_exists
from api.strict_body import strict_json

router = APIRouter(prefix="/programmes", tags=["programmes"])
ProgrammeId = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{0,99}$", description="The programme's id.")
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a programme and index its module catalogue",
    responses=problem_responses(400, 401, 403, 409, 413, 422, 429) | created(PROGRAMME_LINKS),
    dependencies=[Depends(idempotency_key), Depends(require()), strict_json(ProgrammeRequest)],
)
def create_programme(
    response: Response,
    request: Annotated[ProgrammeRequest, Body(openapi_examples=PROGRAMME_EXAMPLES)],
    svc: ServicesDep,
) -> ProgrammePublic:
    programme = request.programme()
    if svc.store.programme_exists(programme.id):  # before indexing over the stored one's index
        raise programme_exists(programme.id)
    report = svc.engine.index_programme(programme)
    public = svc.store.create_programme(programme)
    response.headers["Location"] = f"/v1/programmes/{programme.id}"
    return public.model_copy(update={"indexed_outcomes": report.outcomes})


@router.put(
    "/{programme_id}",
    summary="Replace a programme (a new version; earlier ones are kept) and re-index it",
    description="The path names the programme replaced; an `id` in the body is ignored, so "
    "that a programme read with GET can be sent back changed.",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 429)
    | created(PROGRAMME_LINKS, status=200),
    dependencies=[Depends(require()), strict_json(ProgrammeReplacement)],
)
def replace_programme(
    programme_id: ProgrammeId,
    replacement: Annotated[ProgrammeReplacement, Body(openapi_examples=PROGRAMME_EXAMPLES)],
    svc: ServicesDep,
) -> ProgrammePublic:
    programme = replacement.programme(programme_id)
    svc.store.programme(programme_id)  # 404 before any indexing
    report = svc.engine.index_programme(programme)
    public = svc.store.replace_programme(programme)
    return public.model_copy(update={"indexed_outcomes": report.outcomes})


@router.get(
    "",
    summary="List programmes, oldest first, a page at a time",
    **any_role_reads(),
)
def list_programmes(
    svc: ServicesDep, window: Annotated[Window, window_query(default_limit=100)]
) -> Page[ProgrammeSummary]:
    return svc.store.programme_page(window)


@router.get(
    "/{programme_id}",
    summary="Get a programme with its module catalogue",
    **any_role_reads(),
)
def get_programme(programme_id: ProgrammeId, svc: ServicesDep) -> ProgrammePublic:
    return svc.store.programme_public(programme_id)


@router.get(
    "/{programme_id}/versions/{version}",
    summary="Get a version of a programme, with its module catalogue as it was",
    description="Every replacement makes a new version and keeps the earlier ones unchanged: "
    "a recognition links to the version it was proposed against.",
    **any_role_reads(),
)
def get_programme_version(
    programme_id: ProgrammeId,
    version: Annotated[int, Path(ge=1, le=1_000_000, description="The version number.")],
    svc: ServicesDep,
) -> ProgrammePublic:
    return svc.store.programme_public(programme_id, version)
