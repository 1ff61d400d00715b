"""Schemathesis hooks for ``test_schemathesis_cli.py`` (loaded with ``SCHEMATHESIS_HOOKS``).

A client makes a new ``Idempotency-Key`` for each operation; schemathesis, left to itself,
draws the same UUID for many different requests (``00000000-…`` is hypothesis's favourite),
which the service rightly refuses as a reused key (422). So each valid key it draws is replaced
by a fresh one just before the call, as a client would send it; a key that is not a UUID is
sent as drawn (the negative cases). Reuse itself is tested in ``test_idempotency.py``.
"""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis

HEADER = "Idempotency-Key"


def fresh(headers: dict[str, Any] | None) -> dict[str, Any] | None:
    """The headers with a fresh key in place of a drawn UUID (an invalid key stays)."""
    drawn = (headers or {}).get(HEADER)
    if not isinstance(drawn, str):
        return headers
    try:
        uuid.UUID(drawn)
    except ValueError:
        return headers
    return {**headers, HEADER: str(uuid.uuid4())}  # type: ignore[dict-item]


@schemathesis.hook
def map_headers(context: Any, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    return fresh(headers)




@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    # the coverage phase draws fixed values that map_headers does not see
    if case.headers and HEADER in case.headers:
        case.headers[HEADER] = fresh(case.headers)[HEADER]  # in place: the case keeps its meta
    return case
