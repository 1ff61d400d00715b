"""Liveness (no key) and readiness (database reachable, every programme's index loaded)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.problems import problem_responses
from api.schemas import Health, Readiness
from api.security import ANY_ROLE
from api.services import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness: the process answers")
def health() -> Health:
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Readiness,
    summary="Readiness: database reachable and every programme's index loaded",
    responses={
        503: {"model": Readiness, "description": "Not ready"},
        **problem_responses(401, 429),
    },
    dependencies=[Depends(ANY_ROLE)],
)
def ready(svc: ServicesDep) -> Readiness | JSONResponse:
    reachable = svc.database.is_reachable()
    programmes = svc.store.programmes() if reachable else []
    missing = [p.id for p in programmes if not svc.engine.has_index(p)]
    readiness = Readiness(
        status="ready" if reachable and not missing else "not ready",
        database=reachable,
        programmes=len(programmes),
        indexes_missing=missing,
    )
    if readiness.status != "ready":
        return JSONResponse(readiness.model_dump(), status_code=503)
    return readiness
