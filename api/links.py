"""OpenAPI links: from each operation that creates an id to the operations that use it.

A client (or a stateful test generator) follows them from a 201 to what the new resource can be
used for. Operation ids are the route functions' names (``create_app``). A ``requestBody`` here
is merged into the body the client sends: only the fields named come from the response.
"""

from __future__ import annotations

from typing import Any

ID = "$response.body#/id"


def _link(operation_id: str, description: str, **fields: Any) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": operation_id, "description": description}
    body = fields.pop("request_body", None)
    if fields:
        link["parameters"] = fields
    if body is not None:
        link["requestBody"] = body
    return link


def created(links: dict[str, dict[str, Any]], status: int = 201) -> dict[int | str, Any]:
    """The ``responses`` entry that adds ``links`` to a route's success response."""
    return {status: {"links": links}}


PROGRAMME_LINKS = {
    "GetProgramme": _link("get_programme", "The programme as stored.", programme_id=ID),
    "ReplaceProgramme": _link(
        "replace_programme", "Replace it with a new version.", programme_id=ID
    ),
    "GetProgrammeVersion": _link(
        "get_programme_version", "This version, as it stays.",
        programme_id=ID, version="$response.body#/version",
    ),
    "OpenApplication": _link(
        "create_application", "Open an application toward it.",
        request_body={"programme_id": ID},
    ),
    "ProposeRecognition": _link(
        "create_recognition", "Propose recognition of credentials toward it.",
        request_body={"programme_id": ID},
    ),
    "Screen": _link(
        "create_screening", "Screen credentials against it.",
        request_body={"programme_ids": [ID]},
    ),
}

CREDENTIAL_LINKS = {
    "GetCredential": _link("get_credential", "The credential as stored.", credential_id=ID),
    "ProposeRecognition": _link(
        "create_recognition", "Propose its recognition toward a programme.",
        request_body={"credential_ids": [ID]},
    ),
}

APPLICATION_LINKS = {
    "GetApplication": _link(
        "get_application", "The application and what it holds of the cap.", application_id=ID
    ),
    "ProposeRecognition": _link(
        "create_recognition", "Propose recognition of a credential within the application.",
        request_body={"application_id": ID, "programme_id": "$response.body#/programme_id"},
    ),
}

RECOGNITION_LINKS = {
    "GetRecognition": _link("get_recognition", "The proposal.", recognition_id=ID),
    "RecordDecision": _link(
        "record_decision", "Accept, modify or reject it.", recognition_id=ID
    ),
    "ListDecisions": _link("list_decisions", "Its decision history.", recognition_id=ID),
    "GetCredential": _link(
        "get_credential", "The first credential it is made from.",
        credential_id="$response.body#/credential_ids/0",
    ),
}

SCREENING_LINKS = {
    "GetScreening": _link("get_screening", "Status and progress.", screening_id=ID),
    "GetScreeningResults": _link(
        "get_screening_results", "A page of its results.", screening_id=ID
    ),
}
