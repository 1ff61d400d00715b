"""What operations of one kind declare alike: who may call them and the problems they answer.

Routers spread these into their route decorators (``@router.get(..., **any_role_reads())``),
so that reading a stored resource, or writing one with an idempotency key and a strict JSON
body, is documented and guarded the same way everywhere.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from pydantic import BaseModel

from api.idempotency import idempotency_key
from api.links import created
from api.problems import problem_responses
from api.security import ANY_ROLE
from api.strict_body import strict_json

READ_PROBLEMS = (401, 404, 422, 429)
WRITE_PROBLEMS = (400, 401, 403, 404, 409, 413, 422, 429)


def any_role_reads() -> dict[str, Any]:
    """Return the route keywords of a read of a stored resource that any role may make."""
    return {"responses": problem_responses(*READ_PROBLEMS), "dependencies": [Depends(ANY_ROLE)]}


def idempotent_write(
    body: type[BaseModel],
    *,
    also: tuple[int, ...] = (),
    links: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Return the route keywords of a write with an idempotency key and a strict JSON ``body``.

    ``also``: the problems it answers beyond ``WRITE_PROBLEMS``; ``links``: the OpenAPI links
    of its 201 response.
    """
    responses = problem_responses(*WRITE_PROBLEMS, *also)
    if links is not None:
        responses |= created(links)
    return {"responses": responses, "dependencies": [Depends(idempotency_key), strict_json(body)]}
