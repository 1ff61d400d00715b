"""Micro-credentials: submitted once, read back; the learner identity is never stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Response, status

from api.examples import CREDENTIAL_EXAMPLES
from api.problems import problem_responses
from api.schemas import CredentialPublic
from api.security import ANY_ROLE, Caller, Role, require
from api.services import ServicesDep
from recognition_engine.domain import MicroCredential

router = APIRouter(prefix="/credentials", tags=["credentials"])

SUBMIT_DESCRIPTION = """\
Submit a micro-credential with the elements of the EU Council Recommendation of 2022.

**The learner identity (`learner`), if sent, is dropped before storage and never logged or
returned.** No recognition decision depends on who the learner is.
"""


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CredentialPublic,
    summary="Submit a micro-credential",
    description=SUBMIT_DESCRIPTION,
    responses=problem_responses(400, 401, 403, 413, 422, 429),
)
def submit_credential(
    response: Response,
    credential: Annotated[MicroCredential, Body(openapi_examples=CREDENTIAL_EXAMPLES)],
    caller: Annotated[Caller, Depends(require(Role.SCREENING))],
    svc: ServicesDep,
) -> CredentialPublic:
    public = svc.store.add_credential(credential, caller)
    response.headers["Location"] = f"/v1/credentials/{public.id}"
    return public


@router.get(
    "/{credential_id}",
    response_model=CredentialPublic,
    summary="Get a submitted micro-credential",
    responses=problem_responses(401, 404, 422, 429),
    dependencies=[Depends(ANY_ROLE)],
)
def get_credential(
    credential_id: Annotated[str, Path(max_length=100)], svc: ServicesDep
) -> CredentialPublic:
    return svc.store.credential_public(credential_id)
