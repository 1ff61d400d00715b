"""Micro-credentials: submitted once, read back; the learner identity is never stored.

A credential arrives in the engine's JSON, as a Europass EDC (JSON-LD, signed or not), or as an
Open Badges 3.0 credential (JSON, or a compact JWT); the media type and the content tell which.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from api.examples import CREDENTIAL_EXAMPLES
from api.idempotency import idempotency_key
from api.links import CREDENTIAL_LINKS, created
from api.listing import CreatedWindow
from api.operations import any_role_reads
from api.problems import ApiProblem, problem_responses
from api.schemas import CredentialPublic, Page
from api.security import ScreeningCaller
from api.services import ServicesDep
from api.strict_body import field_errors
from recognition_engine.domain import MicroCredential
from recognition_engine.errors import InvalidFields, InvalidInput, MalformedDocument, NestedTooDeep
from recognition_engine.ingestion import (
    CredentialDocument,
    Syntax,
    parse_credentials,
    read_credentials,
)
from recognition_engine.ingestion.strict_text import DEFAULT_MAX_DEPTH

router = APIRouter(prefix="/credentials", tags=["credentials"])

SOURCE = "request body"
JSON_TYPES = {"", "application/json"}
JSON_LD_TYPES = {"application/ld+json", "application/vc+ld+json", "application/vc"}
JWT_TYPES = {"application/vc+jwt", "application/jwt"}

SUBMIT_DESCRIPTION = """\
Submit a micro-credential with the elements of the EU Council Recommendation of 2022, in one of:

* `application/json`: the engine's format (below), or an Open Badges 3.0 / Europass EDC
  credential, told apart by its content;
* `application/ld+json`: a Europass digital credential (European Learning Model), plain or
  signed (JAdES, JWS JSON serialisation), or an Open Badges 3.0 credential;
* `application/vc+jwt` or `application/jwt`: an Open Badges 3.0 credential as a compact JWT.

A digital credential is validated against its shipped JSON schema, its signature is checked
offline (`provenance.signature`: verified, invalid, not_verifiable_offline or unsigned), and
the EU 2022 mandatory elements it lacks are listed in `eu_elements.missing`: nothing is
invented. `language` picks the evaluator's language in a multilingual credential.
The request body's schema below is the engine's format; the digital formats are defined by their
own specifications (EDC, Open Badges 3.0) and answered 422 when they cannot be read.
`provenance` and `eu_elements` are always the engine's reading: in the engine's format they are
`json` and `unsigned`, and the elements it states, whatever the body says of itself. The same
file reads the same through the CLI, this operation and the workbench.

**The learner identity (`learner`), if sent, is dropped before storage and never logged or
returned; the name, e-mail, birth date and identifiers in a digital credential are never read
into the record.** No recognition decision depends on who the learner is.
"""

# Only the engine's JSON is in the request body's content: what makes an EDC or an Open Badge
# readable (its shipped schema, its envelope, its signature) is more than a JSON Schema can say,
# so a client generated from the document would send bodies the route must refuse. The
# description above names those media types; the route takes them all.
REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/MicroCredential-Input"},
            "examples": CREDENTIAL_EXAMPLES,
        },
    },
}


async def submitted_body(request: Request) -> tuple[str, bytes]:
    """The media type (without parameters) and the raw body of the request."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type, await request.body()


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Submit a micro-credential",
    description=SUBMIT_DESCRIPTION,
    responses=problem_responses(400, 401, 403, 413, 415, 422, 429) | created(CREDENTIAL_LINKS),
    openapi_extra={"requestBody": REQUEST_BODY},
    dependencies=[Depends(idempotency_key)],
)
def submit_credential(
    response: Response,
    body: Annotated[tuple[str, bytes], Depends(submitted_body)],
    caller: ScreeningCaller,
    svc: ServicesDep,
    language: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z]{2,3}$",
            description="The evaluator's language (ISO 639-1) for multilingual credentials.",
        ),
    ] = None,
) -> CredentialPublic:
    media_type, raw = body
    credential = read_submission(
        media_type, raw, language, svc.settings.max_file_bytes, svc.settings.max_nesting_depth
    )
    public = svc.store.add_credential(credential, caller)
    response.headers["Location"] = f"/v1/credentials/{public.id}"
    return public


def read_submission(
    media_type: str,
    raw: bytes,
    language: str | None,
    max_bytes: int,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> MicroCredential:
    """Return the one credential in a request body of the given media type, as the engine's
    reader (``read_credentials``) reads it."""
    if media_type in JWT_TYPES:
        syntax = Syntax.JWT
    elif media_type in JSON_LD_TYPES:
        syntax = Syntax.JSON_LD
    elif media_type in JSON_TYPES or media_type.endswith("+json"):
        syntax = Syntax.JSON
    else:
        raise ApiProblem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "send application/json, application/ld+json, application/vc+jwt or application/jwt",
        )
    document = _parsed(raw, syntax, max_bytes, max_depth)
    if isinstance(document.content, list):
        raise InvalidInput(f"{SOURCE}: one credential per request, not a list")
    try:
        [credential] = read_credentials(
            document,
            SOURCE,
            syntax=syntax,
            language=language,
            max_bytes=max_bytes,
            max_depth=max_depth,
        )
    except InvalidFields as error:
        raise field_errors(error.errors) from error  # the 422 of a body's field errors
    return credential


def _parsed(raw: bytes, syntax: Syntax, max_bytes: int, max_depth: int) -> CredentialDocument:
    """The parsed body; JSON that cannot be parsed is the 400 of a malformed body."""
    if syntax is Syntax.JWT:
        return parse_credentials(raw, SOURCE, syntax=syntax, max_bytes=max_bytes)
    try:
        # strictly: UTF-8, no lone surrogate, bounded nesting (``json_bodies`` checked the
        # body on its way in; a caller of this function may not have that middleware)
        return parse_credentials(
            raw, SOURCE, syntax=syntax, max_bytes=max_bytes, max_depth=max_depth
        )
    except NestedTooDeep as error:
        raise ApiProblem(400, "nested-too-deep", "JSON nested too deeply", str(error)) from error
    except MalformedDocument as error:
        reason = str(error).removeprefix(f"{SOURCE}: ")
        raise ApiProblem(
            400, "malformed-json", "Malformed JSON", f"the request body is not valid JSON: {reason}"
        ) from error


@router.get(
    "",
    summary="List submitted credentials, oldest first, a page at a time",
    **any_role_reads(),
)
def list_credentials(svc: ServicesDep, window: CreatedWindow) -> Page[CredentialPublic]:
    return svc.store.credential_page(window)


@router.get(
    "/{credential_id}",
    summary="Get a submitted micro-credential",
    **any_role_reads(),
)
def get_credential(
    credential_id: Annotated[str, Path(max_length=100)], svc: ServicesDep
) -> CredentialPublic:
    return svc.store.credential_public(credential_id)
