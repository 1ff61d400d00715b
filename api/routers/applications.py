"""Applications: a learner's credentials toward one programme, under a pseudonymous id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Response, status

from api.examples import APPLICATION_EXAMPLES
from api.links import APPLICATION_LINKS
from api.operations import any_role_reads, idempotent_write
from api.schemas import ApplicationPublic, ApplicationRequest
from api.security import ScreeningCaller
from api.services import ServicesDep

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
    summary="Open an application toward a programme",
    description=CREATE_DESCRIPTION,
    **idempotent_write(ApplicationRequest, links=APPLICATION_LINKS),
)
def create_application(
    response: Response,
    request: Annotated[ApplicationRequest, Body(openapi_examples=APPLICATION_EXAMPLES)],
    caller: ScreeningCaller,
    svc: ServicesDep,
) -> ApplicationPublic:
    public = svc.store.create_application(request, caller)
    response.headers["Location"] = f"/v1/applications/{public.id}"
    return public


@router.get(
    "/{application_id}",
    summary="An application: its recognitions and what they hold of the programme's cap",
    **any_role_reads(),
)
def get_application(
    application_id: Annotated[str, Path(max_length=100, description="The application's id.")],
    svc: ServicesDep,
) -> ApplicationPublic:
    return svc.store.application_public(application_id)
