"""Applications: a learner's credentials toward one programme, under a pseudonymous id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Response, status

from api.examples import APPLICATION_EXAMPLES
from api.idempotency import idempotency_key
from api.links import APPLICATION_LINKS, created
from api.problems import problem_responses
from api.schemas import ApplicationPublic, ApplicationRequest
from api.security import ANY_ROLE, Caller, Role, require
from api.services import ServicesDep
from api.strict_body import strict_json

router = APIRouter(prefix="/applications", tags=["applications"])

CREATE_DESCRIPTION = """\
Open an application: the credentials one learner brings to one programme. It is known by a
pseudonymous id only; **no learner identity is stored**. Give your own opaque `reference`
(unique per programme) to find it again, or keep the returned id.

Recognitions requested with its `application_id` share the programme's cap on
micro-credential ECTS, and a credential counts once in it.
"""


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationPublic,
    summary="Open an application toward a programme",
    description=CREATE_DESCRIPTION,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 429)
    | created(APPLICATION_LINKS),
    dependencies=[Depends(idempotency_key), strict_json(ApplicationRequest)],
)
def create_application(
    response: Response,
    request: Annotated[ApplicationRequest, Body(openapi_examples=APPLICATION_EXAMPLES)],
    caller: Annotated[Caller, Depends(require(Role.SCREENING))],
    svc: ServicesDep,
) -> ApplicationPublic:
    public = svc.store.create_application(request, caller)
    response.headers["Location"] = f"/v1/applications/{public.id}"
    return public


@router.get(
    "/{application_id}",
    response_model=ApplicationPublic,
    summary="An application: its recognitions and what they hold of the programme's cap",
    responses=problem_responses(401, 404, 422, 429),
    dependencies=[Depends(ANY_ROLE)],
)
def get_application(
    application_id: Annotated[str, Path(max_length=100, description="The application's id.")],
    svc: ServicesDep,
) -> ApplicationPublic:
    return svc.store.application_public(application_id)
